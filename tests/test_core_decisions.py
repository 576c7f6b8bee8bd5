"""The core's per-call decisions, driven as pure flows on a fake clock: when a request goes, with which timeout,
what each reply turns into (a value, a retry, a refresh, an error with its context), and what a wait reports.

Replies are fed in and effects read out (tests/flow_service.py); every figure asserted is one a user sees: the
seconds a call paused, the error and its fields, the events `on_poll` got.
"""

from __future__ import annotations

import math
import random
from typing import Any

import pytest
from flow_service import POLL, Service, context, drive, envelope, poll_op, polled

import pan123_oss
from pan123_oss._errors import DeadlineError
from pan123_oss._flows import _call, _effects
from pan123_oss._flows._governor import Governor
from pan123_oss._policy import PollGate, RetryPolicy
from pan123_oss._types import PollEvent

DETAIL = "/api/v1/oss/file/detail"
PID = "pid-core-1"


class Draw(random.Random):
    """Always draws `value`, so jitter is a known number."""

    def __init__(self, value: float = 0.0) -> None:
        super().__init__(0)
        self.value = value

    def random(self) -> float:
        return self.value


def detail_op(*, authenticated: bool = True, preupload_id: str | None = None) -> _call.Operation[Any]:
    request = _effects.request_for("getFileDetail", params={"fileID": "f1"})
    return _call.Operation(request, lambda env: env.data, authenticated=authenticated, preupload_id=preupload_id)


def call(service: Service, op: _call.Operation[Any] | None = None, *, deadline: float = math.inf,
         retry: RetryPolicy | None = None, can_refresh: bool = True, answer: Any = None) -> Any:  # fmt: skip
    ctx = context(service)
    ctx.rng, ctx.can_refresh = Draw(), can_refresh
    if retry is not None:
        ctx.retry = retry
    return drive(_call.call(ctx, op or detail_op(), deadline), answer or service.answer)


def reply(code: int, trace: str = "trace-x", retry_after: float | None = None, status: int = 200) -> _effects.Reply:
    return _effects.Reply(status, envelope(None, code=code, trace=trace).content, retry_after=retry_after)


def sent_at(service: Service) -> list[float]:
    return [s.at - service.clock.monotonic() for s in service.sent]


# When a request goes, and with what timeout.


def test_a_paced_endpoint_waits_for_its_turn_even_under_a_second() -> None:
    service = Service({DETAIL: [envelope({"ok": 1})]}, governor=Governor({}, overrides={DETAIL: 2.0}))
    start = service.clock.monotonic()
    call(service)
    call(service)
    assert [s.at - start for s in service.sent] == pytest.approx([0.0, 1 / (2.0 * 0.95)])
    assert service.clock.sleeps == pytest.approx([1 / (2.0 * 0.95)])


def test_a_request_gets_the_time_left_before_the_deadline_as_its_timeout() -> None:
    service = Service({DETAIL: [envelope({"ok": 1})]})
    call(service, deadline=service.clock.monotonic() + 5.0)
    assert [s.timeout for s in service.sent] == [5.0]
    call(service)
    assert service.sent[-1].timeout == 30.0  # the client's request timeout, with time to spare


def test_a_token_fetch_that_uses_up_the_deadline_sends_nothing() -> None:
    service = Service({DETAIL: [envelope({"ok": 1})]})

    def slow_token(effect: _effects.Effect) -> object:
        if isinstance(effect, _effects.GetToken):
            service.clock.advance(10.0)
        return service.answer(effect)

    with pytest.raises(DeadlineError) as caught:
        call(service, detail_op(preupload_id="pid-9"), deadline=service.clock.monotonic() + 5.0, answer=slow_token)
    assert str(caught.value) == f"no time left to wait for the rate limit of {DETAIL}"
    assert (caught.value.endpoint, caught.value.preupload_id) == (DETAIL, "pid-9")
    assert service.sent == []


def test_a_token_fetched_again_after_a_rate_wait_that_uses_up_the_deadline_sends_nothing() -> None:
    service = Service({DETAIL: [envelope({"ok": 1})]}, governor=Governor({}, overrides={DETAIL: 1.0}))
    call(service)  # takes the endpoint's turn: the next one is about a second away
    fetches = []

    def slow_second_token(effect: _effects.Effect) -> object:
        if isinstance(effect, _effects.GetToken):
            fetches.append(effect)
            if len(fetches) == 2:  # asked again after the rate wait, and slow
                service.clock.advance(10.0)
        return service.answer(effect)

    with pytest.raises(DeadlineError) as caught:
        call(service, detail_op(preupload_id="pid-9"), deadline=service.clock.monotonic() + 5.0,
             answer=slow_second_token)  # fmt: skip
    assert str(caught.value) == f"no time left for {DETAIL}"
    assert (caught.value.endpoint, caught.value.preupload_id) == (DETAIL, "pid-9")
    assert len(service.sent) == 1  # the first call's only


def test_after_waiting_for_a_turn_a_refreshed_call_still_refuses_the_rejected_token() -> None:
    service = Service({DETAIL: [reply(401), envelope({"ok": 1})]}, governor=Governor({}, overrides={DETAIL: 1.0}))
    asked: list[str | None] = []

    def tokens(effect: _effects.Effect) -> object:
        if isinstance(effect, _effects.GetToken):
            asked.append(effect.stale)
        return service.answer(effect)

    assert call(service, answer=tokens) == {"ok": 1}
    # The first token, then (after the 401) one that is not the rejected one, asked again after the rate wait.
    assert asked == [None, "token-1", "token-1"]


# What a reply turns into.


def test_a_rejected_token_without_a_way_to_refresh_is_an_auth_error_with_its_context() -> None:
    service = Service({DETAIL: [reply(401, trace="tr-401")]})
    with pytest.raises(pan123_oss.AuthError) as caught:
        call(service, detail_op(preupload_id="pid-3"), can_refresh=False)
    err = caught.value
    assert err.message == "access token rejected: refused"
    assert (err.code, err.trace_id, err.http_status, err.endpoint, err.preupload_id) == (
        401, "tr-401", 200, DETAIL, "pid-3")  # fmt: skip
    assert len(service.sent) == 1


def test_a_second_401_after_a_refresh_ends_the_call() -> None:
    service = Service({DETAIL: [reply(401, trace="tr-a"), reply(401, trace="tr-b")]})
    with pytest.raises(pan123_oss.AuthError) as caught:
        call(service)
    assert caught.value.trace_id == "tr-b"
    assert len(service.sent) == 2


def test_rejected_credentials_are_not_refreshed() -> None:
    service = Service({DETAIL: [reply(401)]})
    with pytest.raises(pan123_oss.AuthError, match=r"^credentials rejected: refused"):
        call(service, detail_op(authenticated=False))
    assert len(service.sent) == 1


@pytest.mark.parametrize(("retry_after", "goes_again"), [(120.0, True), (120.5, False)])
def test_a_retry_after_beyond_two_minutes_ends_the_call_at_once(retry_after: float, goes_again: bool) -> None:
    service = Service({DETAIL: [reply(429, retry_after=retry_after), envelope({"ok": 1})]})
    if goes_again:
        assert call(service) == {"ok": 1}
        assert [s.at - service.sent[0].at for s in service.sent] == [0.0, retry_after]
        return
    with pytest.raises(pan123_oss.RateLimitError) as caught:
        call(service)
    assert (caught.value.message, caught.value.code) == ("rate limited: refused", 429)
    assert len(service.sent) == 1 and service.clock.sleeps == []


def test_a_failed_connection_is_retried_after_the_retry_delay_as_a_transport_error() -> None:
    service = Service({DETAIL: [_effects.Failed("connection reset")]})
    with pytest.raises(pan123_oss.TransportError) as caught:
        call(service, retry=RetryPolicy(attempts=3, initial=2.0, jitter=0.0))
    assert caught.value.message == "request failed: connection reset"
    assert (caught.value.code, caught.value.http_status, caught.value.trace_id) == (None, None, None)
    assert service.clock.sleeps == [2.0, 4.0]  # a 429 goes at its turn; a failure waits out the retry delay


def test_a_server_error_is_retried_and_keeps_its_code_and_trace() -> None:
    failure = _effects.Reply(502, b'{"code": 5, "x-traceID": "tr-502"}')
    service = Service({DETAIL: [failure]})
    with pytest.raises(pan123_oss.TransportError) as caught:
        call(service, retry=RetryPolicy(attempts=2, initial=1.0, jitter=0.0))
    assert (caught.value.message, caught.value.code, caught.value.trace_id, caught.value.http_status) == (
        "server error HTTP 502", 5, "tr-502", 502)  # fmt: skip
    assert service.clock.sleeps == [1.0]


def test_a_reply_breaking_the_spec_is_not_retried() -> None:
    service = Service({DETAIL: [_effects.Reply(200, b"[]")]})
    with pytest.raises(pan123_oss.MalformedResponseError, match="reply is JSON but not an object"):
        call(service)
    assert len(service.sent) == 1


def test_a_payload_the_parser_refuses_is_malformed_with_the_reply_context() -> None:
    def parse(env: Any) -> Any:
        from pan123_oss._flows._replies import Malformed

        raise Malformed("fileID is empty")

    op = _call.Operation(_effects.request_for("getFileDetail", params={"fileID": "f1"}), parse, preupload_id="p")
    service = Service({DETAIL: [envelope({"x": 1}, trace="tr-m")]})
    with pytest.raises(pan123_oss.MalformedResponseError) as caught:
        call(service, op)
    assert (caught.value.message, caught.value.code, caught.value.trace_id, caught.value.preupload_id) == (
        "reply breaks the spec: fileID is empty", 0, "tr-m", "p")  # fmt: skip


def test_another_failure_code_is_an_api_error_said_as_the_service_said_it() -> None:
    service = Service({DETAIL: [reply(5066, trace="tr-5066")]})
    with pytest.raises(pan123_oss.ApiError) as caught:
        call(service)
    assert type(caught.value) is pan123_oss.ApiError
    assert (caught.value.message, caught.value.code, caught.value.trace_id) == ("refused", 5066, "tr-5066")


def test_a_retry_that_would_end_on_the_deadline_is_not_slept() -> None:
    service = Service({DETAIL: [_effects.Failed("reset")]})
    start = service.clock.monotonic()
    with pytest.raises(DeadlineError) as caught:
        call(service, detail_op(preupload_id="pid-7"), deadline=start + 2.0,
             retry=RetryPolicy(initial=2.0, jitter=0.0))  # fmt: skip
    assert str(caught.value) == f"deadline reached retrying {DETAIL}"
    assert caught.value.preupload_id == "pid-7"
    assert isinstance(caught.value.__cause__, pan123_oss.TransportError)
    assert service.clock.sleeps == []


# What a wait reports.


def wait(service: Service, timeout: float, events: list[PollEvent] | None = None) -> str:
    ctx = context(service)
    ctx.rng, ctx.retry = Draw(), RetryPolicy(initial=3.0, jitter=0.0)
    on_poll = None if events is None else events.append
    file_id: str = drive(_call.wait(ctx, poll_op(PID), timeout=timeout, on_poll=on_poll), service.answer)
    return file_id


def test_each_poll_is_reported_with_what_it_saw() -> None:
    service = Service({POLL: [_effects.Failed("reset"), reply(429, trace="tr-429"), polled(False, trace="tr-p"),
                              polled(True, "f-1", trace="tr-done")]})  # fmt: skip
    events: list[PollEvent] = []
    assert wait(service, 60.0, events) == "f-1"
    assert [(e.attempt, e.completed, e.trace_id, e.code, e.error) for e in events] == [
        (1, False, None, None, f"request failed: reset (endpoint {POLL}, preuploadID '{PID}', no trace ID)."),
        (2, False, "tr-429", 429, f"rate limited: refused (code 429, HTTP 200, endpoint {POLL}, preuploadID "
                                  f"'{PID}', trace ID tr-429)."),
        (3, False, "tr-p", 0, None),
        (4, True, "tr-done", 0, None),
    ]  # fmt: skip
    # 3 s after the failure (its retry delay, over the 1 s floor), then the 429's turn a second on, then 1 s.
    assert [e.elapsed for e in events] == pytest.approx([0.0, 3.0, 4.0, 5.0])


def test_a_wait_that_runs_out_says_how_many_polls_in_how_long_and_the_last_trace() -> None:
    service = Service({POLL: [polled(False, trace="tr-last")]})
    with pytest.raises(pan123_oss.PollTimeoutError) as caught:
        wait(service, 3.0)
    err = caught.value
    assert err.message == "upload not completed after 3 polls in 2.5 s"
    assert (err.polls, err.elapsed, err.last_trace_id, err.trace_id, err.preupload_id, err.endpoint) == (
        3, 2.5, "tr-last", "tr-last", PID, POLL)  # fmt: skip
    assert err.__cause__ is None


def test_a_wait_that_runs_out_after_a_429_says_the_last_poll_was_throttled() -> None:
    service = Service({POLL: [polled(False), reply(429, retry_after=30.0)]})
    with pytest.raises(pan123_oss.PollTimeoutError) as caught:
        wait(service, 10.0)
    assert caught.value.message == (
        "upload not completed after 2 polls in 1.0 s; the last poll failed: rate limited: refused"
    )
    assert isinstance(caught.value.__cause__, pan123_oss.RateLimitError)


def test_a_poll_whose_one_second_floor_ends_past_the_deadline_is_not_sent() -> None:
    service = Service({POLL: [polled(False)]})
    ctx = context(service)
    drive(_call.call(ctx, poll_op(PID)), service.answer)  # books the upload's next poll a second from now
    now = service.clock.monotonic()
    with pytest.raises(DeadlineError) as caught:
        drive(_call.call(ctx, poll_op(PID), now + 1.2), service.answer)  # 1 s + the last poll's slack > 1.2 s
    assert str(caught.value) == f"no time left to wait out the 1 s floor of {POLL}"
    assert caught.value.endpoint == POLL
    assert len(service.sent) == 1 and service.clock.sleeps == []


def test_a_poll_refused_for_lack_of_time_does_not_hold_back_the_next_one() -> None:
    service = Service({POLL: [polled(False), polled(False)]})
    ctx = context(service)
    drive(_call.call(ctx, poll_op(PID)), service.answer)  # the next poll may go a second from now
    start = service.clock.monotonic()
    with pytest.raises(DeadlineError):
        drive(_call.call(ctx, poll_op(PID), start + 1.2), service.answer)  # no time for that second: not sent
    assert drive(_call.call(ctx, poll_op(PID)), service.answer).completed is False
    assert [s.at - start for s in service.sent] == [0.0, 1.0]  # one floor after the poll sent, not two


def test_a_poll_gate_frees_only_the_slot_it_was_asked_to() -> None:
    gate = PollGate()
    assert gate.reserve("p", 10.0) == 0.0  # goes at 10, next at 11
    assert gate.reserve("p", 10.0) == 1.0  # goes at 11, next at 12
    gate.cancel("p", 10.0)  # the first was booked at 10, but one is booked behind it: its slot stays
    assert gate.reserve("p", 10.0) == 2.0
    gate.cancel("p", 12.0)  # the last one booked, freed
    assert gate.reserve("p", 10.0) == 2.0


def test_a_poll_whose_one_second_floor_just_fits_before_the_deadline_is_sent() -> None:
    service = Service({POLL: [polled(False)]})
    ctx = context(service)
    drive(_call.call(ctx, poll_op(PID)), service.answer)
    now = service.clock.monotonic()
    assert drive(_call.call(ctx, poll_op(PID), now + 1.25), service.answer).completed is False
    assert [s.at - now for s in service.sent] == [0.0, 1.0]


def test_a_wait_that_runs_out_after_transport_trouble_says_why_the_last_poll_failed() -> None:
    service = Service({POLL: [polled(False), _effects.Failed("connection reset")]})
    with pytest.raises(pan123_oss.PollTimeoutError) as caught:
        wait(service, 5.0)
    assert caught.value.message == (
        "upload not completed after 3 polls in 4.0 s; the last poll failed: request failed: connection reset"
    )
    assert isinstance(caught.value.__cause__, pan123_oss.TransportError)
