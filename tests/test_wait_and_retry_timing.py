"""How long the client waits between tries, and when it gives up: `Retry-After`, retry jitter, the policies'
refusals. Flows are driven on a fake clock; every number checked is one a user can observe as a pause or an
error."""

from __future__ import annotations

import random
from typing import Any

import pytest
from flow_service import POLL, Service, context, drive, envelope, poll_op, polled

import pan123_oss
from pan123_oss._errors import DeadlineError
from pan123_oss._flows import _call, _effects
from pan123_oss._policy import PollGate, PollPolicy, RetryPolicy, fit_before_deadline

PID = "pid-wait-1"


class Middle(random.Random):
    """Draws 0.5 every time: jitter lands halfway, so a lengthened wait and a shortened one differ."""

    def random(self) -> float:
        return 0.5


def rate_limited(retry_after: float | None, trace: str = "trace-429") -> _effects.Reply:
    body = envelope(None, code=429, trace=trace)
    return _effects.Reply(200, body.content, retry_after=retry_after)


def polls_at(service: Service) -> list[float]:
    return [s.at for s in service.sent if s.path == POLL]


def wait(service: Service, timeout: float = 60.0, **kwargs: Any) -> str:
    ctx = context(service)
    for name, value in kwargs.items():
        setattr(ctx, name, value)
    file_id: str = drive(_call.wait(ctx, poll_op(PID), timeout=timeout, on_poll=None), service.answer)
    return file_id


def test_a_wait_honours_retry_after_on_429() -> None:
    service = Service({POLL: [rate_limited(9.0), polled(True, "f-1")]})
    assert wait(service) == "f-1"
    first, second = polls_at(service)
    assert second - first >= 9.0  # the rate-limited backoff alone would be 2-2.2 s


def test_a_wait_gives_up_at_once_when_retry_after_is_past_its_deadline() -> None:
    service = Service({POLL: [rate_limited(50.0), polled(True, "f-1")]})
    gave_up = r"after 1 polls in 0\.0 s; the last poll failed: rate limited"
    with pytest.raises(pan123_oss.PollTimeoutError, match=gave_up):
        wait(service, timeout=30.0)
    assert len(polls_at(service)) == 1
    assert service.clock.sleeps == []


def test_a_wait_sends_a_429_again_at_its_turn_and_the_endpoint_is_paced_from_then_on() -> None:
    service = Service({POLL: [rate_limited(None), rate_limited(None), polled(True, "f-1")]})
    assert service.governor.rate(POLL, service.clock.monotonic()) is None  # unpaced until the service throttles
    assert wait(service, rng=Middle()) == "f-1"
    first, second, third = polls_at(service)
    # A throttled poll is not a failed one: it goes again at its turn, which for one upload is the 1 s floor.
    assert (second - first, third - second) == pytest.approx((1.0, 1.0))
    assert service.governor.rate(POLL, service.clock.monotonic()) is not None


def test_a_wait_after_transport_trouble_keeps_the_one_second_floor() -> None:
    service = Service({POLL: [_effects.Failed("connection reset"), polled(True, "f-1")]})
    quick = RetryPolicy(initial=0.1, maximum=0.1)
    assert wait(service, retry=quick) == "f-1"
    first, second = polls_at(service)
    assert second - first == pytest.approx(1.0)


def test_a_wait_fails_once_transport_trouble_outlasts_the_retry_budget() -> None:
    service = Service({POLL: [_effects.Failed("connection reset")]})
    with pytest.raises(pan123_oss.TransportError, match="connection reset") as caught:
        wait(service, retry=RetryPolicy(attempts=3))
    assert caught.value.preupload_id == PID
    assert len(polls_at(service)) == 3


def test_a_call_waits_out_retry_after_before_trying_again() -> None:
    service = Service({POLL: [rate_limited(7.0), polled(True, "f-1")]})
    result = drive(_call.call(context(service), poll_op(PID)), service.answer)
    assert result.file_id == "f-1"
    assert service.clock.sleeps == [7.0]


@pytest.mark.parametrize(("retry_after", "tries"), [(120.0, 2), (120.5, 1)])  # a call waits at most 2 min
def test_a_call_told_to_come_back_later_than_any_wait_stops_at_once(retry_after: float, tries: int) -> None:
    service = Service({POLL: [rate_limited(retry_after), polled(True, "f-1")]})
    steps = _call.call(context(service), poll_op(PID))
    if tries == 1:
        with pytest.raises(pan123_oss.RateLimitError) as caught:
            drive(steps, service.answer)
        assert (caught.value.code, caught.value.trace_id, caught.value.preupload_id) == (429, "trace-429", PID)
    else:
        drive(steps, service.answer)
    assert len(service.sent) == tries


def test_a_call_retry_that_would_pass_the_deadline_is_not_slept_through() -> None:
    service = Service({POLL: [rate_limited(20.0), polled(True, "f-1")]})
    start = service.clock.monotonic()
    with pytest.raises(DeadlineError, match="no time left to wait for the rate limit") as caught:
        drive(_call.call(context(service), poll_op(PID), deadline=start + 10.0), service.answer)
    assert service.clock.sleeps == []
    assert caught.value.preupload_id == PID
    assert isinstance(caught.value.__cause__, pan123_oss.RateLimitError)


@pytest.mark.parametrize(("failures", "base"), [(1, 1.0), (2, 2.0), (3, 4.0)])
def test_retry_jitter_only_lengthens_a_wait(failures: int, base: float) -> None:
    policy = RetryPolicy()
    assert policy.delay(failures, Middle()) == pytest.approx(base * 1.125)
    draws = [policy.delay(failures, random.Random(seed)) for seed in range(50)]
    assert all(d is not None and base <= d <= base * 1.25 for d in draws)


def test_retry_waits_are_capped_and_the_budget_ends_the_tries() -> None:
    policy = RetryPolicy(attempts=10, initial=1.0, multiplier=3.0, maximum=5.0, jitter=0.0)
    assert [policy.delay(n, random.Random(0)) for n in range(1, 11)] == [1.0, 3.0, *[5.0] * 7, None]


def test_poll_jitter_only_lengthens_an_interval() -> None:
    assert PollPolicy().jittered(2.0, Middle()) == pytest.approx(2.1)
    assert PollPolicy().grow(4.0) == 5.0  # 1.5 times, capped at the maximum


@pytest.mark.parametrize("attempts", [2.5, True, 0, -1, "3"])
def test_a_retry_budget_must_be_a_whole_number_of_tries(attempts: object) -> None:
    with pytest.raises(ValueError, match="attempts must be a whole number of at least 1"):
        RetryPolicy(attempts=attempts)  # type: ignore[arg-type]


def test_a_single_try_is_a_valid_retry_budget() -> None:
    assert RetryPolicy(attempts=1).delay(1, random.Random(0)) is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"initial": 0.5}, r"initial must be at least 1.0 \(the API asks for at least 1 s between polls\), got 0.5"),
        ({"initial": 3.0, "maximum": 2.0}, r"maximum must be at least 3.0 \(initial\), got 2.0"),
        ({"multiplier": 0.9}, "multiplier must be at least 1.0, got 0.9"),
        ({"jitter": -0.1}, "jitter must be at least 0.0, got -0.1"),
        ({"initial": float("nan")}, "initial must be a finite number of seconds, got nan"),
        ({"maximum": float("inf")}, "maximum must be a finite number of seconds, got inf"),
        ({"jitter": True}, "jitter must be a finite number of seconds, got True"),
    ],
)
def test_a_poll_policy_that_would_break_the_floor_or_its_own_bounds_is_refused(
    kwargs: dict[str, float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        PollPolicy(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"initial": -1.0}, "initial must be at least 0.0, got -1.0"),
        ({"initial": 5.0, "maximum": 4.0}, r"maximum must be at least 5.0 \(initial\), got 4.0"),
        ({"multiplier": 0.5}, "multiplier must be at least 1.0, got 0.5"),
        ({"jitter": -1.0}, "jitter must be at least 0.0, got -1.0"),
    ],
)
def test_a_retry_policy_with_impossible_numbers_is_refused(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


def test_the_edges_of_the_poll_policy_are_allowed() -> None:
    policy = PollPolicy(initial=1.0, maximum=1.0, multiplier=1.0, jitter=0.0)
    assert policy.grow(1.0) == 1.0


@pytest.mark.parametrize(
    ("wait", "now", "deadline", "fitted"),
    [
        (2.0, 0.0, 10.0, 2.0),  # fits as it is
        (9.75, 0.0, 10.0, 9.75),  # exactly leaves the last request its slack
        (20.0, 0.0, 10.0, 9.75),  # moved up to leave the slack
        (5.0, 8.0, 10.0, 1.75),
        (5.0, 8.75, 10.0, 1.0),  # moved up to exactly the floor
        (5.0, 8.8, 10.0, None),  # under the 1 s floor: give up instead
    ],
)
def test_a_poll_due_after_the_deadline_is_moved_up_or_dropped(
    wait: float, now: float, deadline: float, fitted: float | None
) -> None:
    got = fit_before_deadline(wait, now=now, deadline=deadline)
    assert got == (None if fitted is None else pytest.approx(fitted))


def test_the_gate_spaces_requests_for_one_upload_a_second_apart() -> None:
    gate = PollGate()
    assert gate.reserve("p", 100.0) == 0.0
    assert gate.reserve("p", 100.2) == pytest.approx(0.8)  # one second after the first
    assert gate.reserve("q", 100.2) == 0.0  # another upload is not held back
    gate.done("p", 105.0)  # a slow reply: the next request waits a second from the reply, not the send
    assert gate.reserve("p", 105.5) == pytest.approx(0.5)
    gate.done("q", 99.0)  # a reply stamped before the booking does not move the booking earlier
    assert gate.reserve("q", 100.5) == pytest.approx(0.7)


def test_the_gate_forgets_past_bookings_when_it_is_full() -> None:
    gate = PollGate(max_entries=2)
    gate.reserve("a", 0.0)
    gate.reserve("b", 0.0)
    gate.reserve("c", 5.0)  # over the limit: a and b are long past, and go
    assert gate.reserve("a", 5.0) == 0.0
    assert gate.reserve("c", 5.0) == pytest.approx(1.0)
