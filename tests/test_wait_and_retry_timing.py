"""How long the client waits between tries, and when it gives up: `Retry-After`, retry jitter, the policies'
refusals. Flows are driven on a fake clock; every number checked is one a user can observe as a pause or an
error."""

from __future__ import annotations

import random
from typing import Any

import pytest
from flow_service import POLL, Service, context, drive, envelope, poll_op, polled

import pan123_oss
from pan123_oss import _core
from pan123_oss._errors import DeadlineError
from pan123_oss._policy import PollPolicy, RetryPolicy

PID = "pid-wait-1"


class Middle(random.Random):
    """Draws 0.5 every time: jitter lands halfway, so a lengthened wait and a shortened one differ."""

    def random(self) -> float:
        return 0.5


def rate_limited(retry_after: float | None, trace: str = "trace-429") -> _core.Reply:
    body = envelope(None, code=429, trace=trace)
    return _core.Reply(200, body.content, retry_after=retry_after)


def polls_at(service: Service) -> list[float]:
    return [s.at for s in service.sent if s.path == POLL]


def wait(service: Service, timeout: float = 60.0, **kwargs: Any) -> str:
    ctx = context(service)
    for name, value in kwargs.items():
        setattr(ctx, name, value)
    file_id: str = drive(_core.wait(ctx, poll_op(PID), timeout=timeout, on_poll=None), service.answer)
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


def test_a_wait_backs_off_harder_on_429_without_retry_after() -> None:
    service = Service({POLL: [rate_limited(None), rate_limited(None), polled(True, "f-1")]})
    assert wait(service, rng=Middle()) == "f-1"
    first, second, third = polls_at(service)
    # 1 s doubled on each 429, then lengthened by half the 10 % jitter.
    assert (second - first, third - second) == pytest.approx((2.1, 4.2))


def test_a_wait_after_transport_trouble_keeps_the_one_second_floor() -> None:
    service = Service({POLL: [_core.Failed("connection reset"), polled(True, "f-1")]})
    quick = RetryPolicy(initial=0.1, maximum=0.1)
    assert wait(service, retry=quick) == "f-1"
    first, second = polls_at(service)
    assert second - first == pytest.approx(1.0)


def test_a_wait_fails_once_transport_trouble_outlasts_the_retry_budget() -> None:
    service = Service({POLL: [_core.Failed("connection reset")]})
    with pytest.raises(pan123_oss.TransportError, match="connection reset") as caught:
        wait(service, retry=RetryPolicy(attempts=3))
    assert caught.value.preupload_id == PID
    assert len(polls_at(service)) == 3


def test_a_call_waits_out_retry_after_before_trying_again() -> None:
    service = Service({POLL: [rate_limited(7.0), polled(True, "f-1")]})
    result = drive(_core.call(context(service), poll_op(PID)), service.answer)
    assert result.file_id == "f-1"
    assert service.clock.sleeps == [7.0]


@pytest.mark.parametrize(("retry_after", "tries"), [(120.0, 2), (120.5, 1)])  # a call waits at most 2 min
def test_a_call_told_to_come_back_later_than_any_wait_stops_at_once(retry_after: float, tries: int) -> None:
    service = Service({POLL: [rate_limited(retry_after), polled(True, "f-1")]})
    steps = _core.call(context(service), poll_op(PID))
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
    with pytest.raises(DeadlineError, match="deadline reached retrying") as caught:
        drive(_core.call(context(service), poll_op(PID), deadline=start + 10.0), service.answer)
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
    assert PollPolicy().grow(20.0, rate_limited=True) == 30.0


@pytest.mark.parametrize("attempts", [2.5, True, 0, -1, "3"])
def test_a_retry_budget_must_be_a_whole_number_of_tries(attempts: object) -> None:
    with pytest.raises(ValueError, match="attempts must be a whole number of at least 1"):
        RetryPolicy(attempts=attempts)  # type: ignore[arg-type]


def test_a_single_try_is_a_valid_retry_budget() -> None:
    assert RetryPolicy(attempts=1).delay(1, random.Random(0)) is None
