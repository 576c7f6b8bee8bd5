"""The rate governor's figures exactly: how fast it measures replies coming, where pacing starts and where a cut
lands, fed with replies at exact times (binary fractions, so no rounding hides a difference).

What is asserted is what a caller waits: the rate an endpoint is paced at, and the seconds `reserve` hands out.
"""

from __future__ import annotations

import math

import pytest

from pan123_oss import RatePolicy
from pan123_oss._flows._governor import Governor

EP = "/upload/v1/oss/file/create"
T0 = 1000.0
STEP = 1 / 32  # replies at 32 a second; a 0.5 s measuring bucket holds 16 of them


def replies(g: Governor, first: int, last: int, throttled_every: int = 0) -> None:
    """Replies at T0 + n/32 for n in [first, last]; every `throttled_every`-th one a 429 (none when 0)."""
    for n in range(first, last + 1):
        refused = throttled_every > 0 and n % throttled_every == 0
        g.report(EP, T0 + n * STEP, throttled=refused, age=0.0, retry_after=None)


def test_pacing_starts_below_the_rate_replies_were_measured_at_when_that_beats_the_spec() -> None:
    g = Governor({EP: 5.0})
    replies(g, 0, 16)  # the 17th reply closes the first bucket: 17 in 0.5 s, taken whole
    g.report(EP, T0 + 17 * STEP, throttled=True, age=0.0, retry_after=None)
    assert g.rate(EP, T0 + 1.0) == pytest.approx(0.7 * 34.0)
    spacing = 1 / (0.7 * 34.0 * 0.95)
    now = T0 + 17 * STEP
    assert [g.reserve(EP, now, math.inf) for _ in range(3)] == pytest.approx([0.0, spacing, 2 * spacing])


def test_measures_after_the_first_are_smoothed() -> None:
    g = Governor({EP: 5.0})
    replies(g, 0, 32)  # buckets of 34 a second, then 32 a second: 0.8 * 32 + 0.2 * 34
    g.report(EP, T0 + 33 * STEP, throttled=True, age=0.0, retry_after=None)
    assert g.rate(EP, T0 + 2.0) == pytest.approx(0.7 * 32.4)


def test_a_measure_spanning_quiet_buckets_is_spread_over_them() -> None:
    g = Governor({EP: 1.0})
    replies(g, 0, 16)  # 34 a second
    g.report(EP, T0 + 2.0, throttled=False, age=0.0, retry_after=None)  # one reply in 1.5 s
    g.report(EP, T0 + 2.0, throttled=True, age=0.0, retry_after=None)
    assert g.rate(EP, T0 + 2.0) == pytest.approx(0.7 * (0.8 * 1 / 1.5 + 0.2 * 34.0))


def test_a_cut_lands_on_the_rate_the_service_accepted_lately() -> None:
    g = Governor({EP: 5.0}, overrides={EP: 40.0})
    replies(g, 0, 32)  # accepted: 32.4 a second, as measured above; paced at 40
    now = T0 + 33 * STEP
    g.report(EP, now, throttled=True, age=0.0, retry_after=None)
    assert g.rate(EP, now) == pytest.approx(32.4)  # above CUBIC's 28: a stray 429 costs little


def test_when_most_replies_are_refused_the_cut_starts_from_the_rate_they_came_at() -> None:
    # A lone poller at one a second, every poll refused while the pace allows 40: cutting from 40 would take
    # several seconds of 429s; the cut starts from the rate replies came at (2 a second over the first second).
    g = Governor({EP: 5.0}, overrides={EP: 40.0})
    g.report(EP, T0, throttled=True, age=0.0, retry_after=None)
    assert g.rate(EP, T0) == pytest.approx(0.7 * 40.0)  # nothing measured yet: CUBIC's cut from the pace
    g.report(EP, T0 + 1.0, throttled=True, age=0.0, retry_after=None)
    assert g.rate(EP, T0 + 1.0) == pytest.approx(2.0)
    assert g.throttled == 2 and g.requests == 2
    assert g.counts() == {EP: (2, 2)}


def test_a_429_exactly_a_cut_interval_after_the_last_cut_cuts_again() -> None:
    g, twin = Governor({EP: 5.0}, overrides={EP: 20.0}), Governor({EP: 5.0}, overrides={EP: 20.0})
    for each in (g, twin):
        each.report(EP, T0, throttled=True, age=0.0, retry_after=None)
    g.report(EP, T0 + 1.0, throttled=True, age=0.5, retry_after=None)  # took its turn after the cut
    assert g.rate(EP, T0 + 1.0) < twin.rate(EP, T0 + 1.0)  # type: ignore[operator]


def test_a_429_for_a_request_that_took_its_turn_at_the_cut_does_not_cut_again() -> None:
    g, twin = Governor({EP: 5.0}, overrides={EP: 20.0}), Governor({EP: 5.0}, overrides={EP: 20.0})
    for each in (g, twin):
        each.report(EP, T0, throttled=True, age=0.0, retry_after=None)
    g.report(EP, T0 + 2.0, throttled=True, age=2.0, retry_after=None)  # asked at the very moment of the cut
    assert g.rate(EP, T0 + 2.0) == twin.rate(EP, T0 + 2.0)


def test_pacing_begins_with_the_first_429_and_not_for_requests_sent_before_it() -> None:
    g = Governor({EP: 5.0})
    g.report(EP, T0, throttled=True, age=0.0, retry_after=None)  # starts pacing at 5 a second: no cut
    g.report(EP, T0 + 5.0, throttled=True, age=5.0, retry_after=None)  # asked before pacing began
    assert g.rate(EP, T0 + 5.0) == 5.0
    g.report(EP, T0 + 6.0, throttled=True, age=0.5, retry_after=None)  # asked at the pace: a cut
    # Every reply was a 429, measured at 0.8 * 1 + 0.2 * 0.4 a second: the cut goes down to that.
    assert g.rate(EP, T0 + 6.0) == pytest.approx(0.88)


def test_retry_after_holds_the_next_turn_even_without_a_cut() -> None:
    g = Governor({EP: 5.0})
    g.report(EP, T0, throttled=True, age=0.0, retry_after=None)
    g.report(EP, T0 + 0.5, throttled=True, age=1.0, retry_after=4.0)  # no cut (asked before pacing), but wait
    assert g.reserve(EP, T0 + 0.5, math.inf) == pytest.approx(4.0)


def test_a_caller_set_rate_is_the_ceiling_and_paces_at_once() -> None:
    g = Governor({EP: 5.0}, overrides={EP: 8.0})
    assert g.ceiling(EP) == (8.0, True)
    assert Governor({EP: 5.0}).ceiling(EP) == (5.0, False)
    assert Governor({}).ceiling(EP) == (5.0, False)  # the default for an endpoint the spec gives no figure
    assert g.rate(EP, T0) == 8.0


def test_only_a_wait_is_noted_as_waiting() -> None:
    g = Governor({EP: 5.0})
    g.parked(EP, T0, 0.0)
    assert g.waiting(T0 - 1.0) == {}
    g.parked(EP, T0, 2.0)
    g.parked(EP, T0, 1.0)  # a shorter wait does not shorten the longest
    assert g.waiting(T0 + 0.5) == {EP: 1.5}


def test_the_policy_a_governor_paces_by() -> None:
    policy = RatePolicy(margin=0.5)
    g = Governor({EP: 5.0}, policy=policy, overrides={EP: 2.0})
    assert g.policy is policy
    assert [g.reserve(EP, T0, math.inf) for _ in range(2)] == [0.0, 1.0]
