"""The rate governor's pacing decisions, with time passed in: no sockets, no clock, no sleeping."""

from __future__ import annotations

import math
import threading

import pytest

import pan123_oss
from pan123_oss._flows._governor import Governor, check_qps, endpoint_of, spec_rates
from pan123_oss._spec import OPERATIONS
from spec_helpers import load_spec

CREATE = "/upload/v1/oss/file/create"
POLL = "/upload/v1/oss/file/upload_async_result"
POLICY = pan123_oss.RatePolicy()
SPACING = 1.0 / (5.0 * (1.0 - POLICY.margin))
"""Seconds between turns at the spec's 5 a second for create, with the policy's margin."""
T0 = 1000.0


def governor(**kwargs: object) -> Governor:
    return Governor({CREATE: 5.0, POLL: 5.0}, **kwargs)  # type: ignore[arg-type]


def throttled(g: Governor, now: float, age: float = 0.05, retry_after: float | None = None) -> None:
    g.report(CREATE, now, throttled=True, age=age, retry_after=retry_after)


def steady(g: Governor, start: float, seconds: float, rate: float) -> float:
    """Successful replies at `rate` a second for `seconds`; returns the time after the last."""
    now = start
    for _ in range(round(seconds * rate)):
        g.report(CREATE, now, throttled=False, age=0.05, retry_after=None)
        now += 1.0 / rate
    return now


def test_an_endpoint_goes_unpaced_until_the_service_first_throttles_it() -> None:
    g = governor()
    assert [g.reserve(CREATE, T0, math.inf) for _ in range(50)] == [0.0] * 50
    assert g.rate(CREATE, T0) is None


def test_after_the_first_429_turns_are_spaced_evenly_at_the_spec_rate_less_the_margin() -> None:
    g = governor()
    throttled(g, T0)
    waits = [g.reserve(CREATE, T0, math.inf) for _ in range(5)]
    assert waits == pytest.approx([0.0, SPACING, 2 * SPACING, 3 * SPACING, 4 * SPACING])
    assert g.rate(CREATE, T0) == 5.0  # the first 429 starts the pacing at the spec's figure; it cuts nothing
    assert g.reserve(POLL, T0, math.inf) == 0.0  # other endpoints keep their own state


def test_a_rate_the_caller_sets_paces_from_the_first_request() -> None:
    g = governor(overrides=check_qps({"create": 2}))
    assert [g.reserve(CREATE, T0, math.inf) for _ in range(3)] == pytest.approx([0.0, 1 / 1.9, 2 / 1.9])
    assert g.rate(CREATE, T0) == 2.0


def test_a_429_at_the_pace_cuts_it_by_beta_once_for_the_requests_already_in_flight() -> None:
    g, twin = governor(), governor()
    for each in (g, twin):
        throttled(each, T0)
        now = steady(each, T0, 4.0, 2.0)  # two a second went through, well under the pace
        throttled(each, now, age=0.1)
    cut = g.rate(CREATE, now)
    assert cut is not None and cut <= 5.0 * POLICY.beta  # at least CUBIC's cut
    # Replies to requests sent before the cut say nothing about the new pace: no second cut.
    throttled(g, now + 0.05, age=0.2)
    throttled(g, now + 0.1, age=0.3)
    assert g.rate(CREATE, now + 0.1) == twin.rate(CREATE, now + 0.1)
    throttled(g, now + 0.5, age=0.05)  # nor one within a second of the cut: the service counts per second
    assert g.rate(CREATE, now + 0.5) == twin.rate(CREATE, now + 0.5)
    throttled(g, now + 1.2, age=0.05)  # but one that took its turn after the cut, a second later, does
    assert g.rate(CREATE, now + 1.2) < 0.9 * twin.rate(CREATE, now + 1.2)  # type: ignore[operator]
    assert g.throttled == 6


def test_a_stray_429_among_many_accepted_requests_cuts_little() -> None:
    g = governor(overrides={CREATE: 60.0})
    now = steady(g, T0, 6.0, 50.0)  # the service let fifty a second through
    throttled(g, now, age=0.1)
    cut = g.rate(CREATE, now)
    assert cut == pytest.approx(50.0, rel=0.15)  # down to about what it let through, not CUBIC's 42
    assert cut is not None and cut > POLICY.beta * 60.0


def test_a_pacing_started_by_a_busy_caller_starts_below_the_rate_the_service_was_answering_at() -> None:
    g = governor()
    now = steady(g, T0, 3.0, 50.0)  # fifty a second went through before the first 429
    throttled(g, now)
    assert g.rate(CREATE, now) == pytest.approx(50.0 * POLICY.beta, rel=0.1)  # above the spec's 5: a guess


def test_the_rate_grows_back_along_cubic_and_never_above_the_ceiling() -> None:
    g = governor()
    throttled(g, T0)
    now = steady(g, T0, 4.0, 2.0)
    throttled(g, now, age=0.1)
    w_max = g.rate(CREATE, now)
    assert w_max is not None
    w_max /= POLICY.beta
    k = (w_max * (1 - POLICY.beta) / POLICY.scale) ** (1 / 3)
    curve = [g.rate(CREATE, now + t) for t in (0.0, k / 4, k / 2, k, k + 1, 30.0)]
    assert curve == sorted(curve)  # type: ignore[type-var]
    assert curve[3] == pytest.approx(w_max)  # back at the refused rate after K seconds
    assert curve[-1] == 5.0  # and capped at the spec's figure


def test_the_rate_never_drops_below_the_policy_minimum() -> None:
    g = governor(policy=pan123_oss.RatePolicy(min_rate=2.0))
    throttled(g, T0)
    now = T0
    for _ in range(30):
        now += 1.0
        throttled(g, now, age=0.0)
    assert g.rate(CREATE, now) == 2.0


def test_retry_after_holds_the_next_turn_back() -> None:
    g = governor()
    throttled(g, T0)
    throttled(g, T0 + 1.0, age=0.1, retry_after=7.0)
    assert g.reserve(CREATE, T0 + 1.0, math.inf) == pytest.approx(7.0)


def test_a_turn_beyond_max_wait_is_refused_and_not_taken() -> None:
    g = governor()
    throttled(g, T0)
    for _ in range(10):
        g.reserve(CREATE, T0, math.inf)
    assert g.reserve(CREATE, T0, max_wait=1.0) is None
    assert g.reserve(CREATE, T0, math.inf) == pytest.approx(10 * SPACING)  # the refused turn was left free


def test_a_turn_no_sooner_than_the_request_s_own_floor() -> None:
    g = governor()
    assert g.reserve(CREATE, T0, math.inf, after=1.0) == 1.0  # unpaced: just the floor
    assert g.reserve(CREATE, T0, max_wait=0.5, after=1.0) is None
    throttled(g, T0)
    assert g.reserve(CREATE, T0, math.inf, after=1.0) == pytest.approx(1.0)
    assert g.reserve(CREATE, T0, math.inf) == pytest.approx(1.0 + SPACING)


def test_turns_are_first_come_first_served_and_distinct_across_threads() -> None:
    g = governor()
    throttled(g, T0)
    waits: list[float] = []
    lock = threading.Lock()

    def take() -> None:
        for _ in range(200):
            wait = g.reserve(CREATE, T0, math.inf)
            assert wait is not None
            with lock:
                waits.append(wait)

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(waits) == pytest.approx([n * SPACING for n in range(1600)])


def test_waiting_tells_which_endpoints_wait_and_for_how_long() -> None:
    g = governor()
    assert g.waiting(T0) == {}
    g.parked(CREATE, T0, 3.0)
    assert g.waiting(T0 + 1.0) == pytest.approx({CREATE: 2.0})
    assert g.waiting(T0 + 3.5) == {}


def test_endpoints_are_named_by_operation_id_path_or_unique_last_segment() -> None:
    assert endpoint_of("uploadAsyncResult") == POLL
    assert endpoint_of(POLL) == POLL
    assert endpoint_of("upload_async_result") == POLL
    assert endpoint_of("list") == "/api/v1/oss/file/list"
    with pytest.raises(ValueError, match="'process' names 2 endpoints"):
        endpoint_of("process")
    with pytest.raises(ValueError, match=r"no endpoint 'uplod'.*upload_async_result"):
        endpoint_of("uplod")


@pytest.mark.parametrize("bad", [0, -1, math.nan, math.inf, True, "5"])
def test_a_bad_qps_is_refused_before_anything_is_sent(bad: object) -> None:
    with pytest.raises(ValueError, match="qps for 'create' must be a positive number"):
        pan123_oss.Client(access_token="tok", qps={"create": bad})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="no endpoint"):
        pan123_oss.Client(access_token="tok", qps={"nope": 1})


@pytest.mark.parametrize(
    ("field", "value"), [("beta", 1.0), ("beta", 0.0), ("margin", 1.0), ("min_rate", 0.0), ("smoothing", 0.0)]
)
def test_a_rate_policy_out_of_range_is_refused(field: str, value: float) -> None:
    with pytest.raises(ValueError, match=field):
        pan123_oss.RatePolicy(**{field: value})


def test_every_operation_carries_a_tagged_rate_figure_that_reaches_the_tables() -> None:
    for item in load_spec()["paths"].values():
        for operation in item.values():
            figure = operation["x-rate-limit"]
            assert figure["perSecond"] > 0
            assert figure["source"].startswith(("[doc]", "[guess]")), operation["operationId"]
            assert OPERATIONS[operation["operationId"]]["rate_limit"] == figure["perSecond"]
    assert spec_rates()[POLL] == 5.0
