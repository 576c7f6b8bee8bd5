"""The timing numbers of `_policy.py` exactly: what each policy waits, where it gives up, what it refuses.

A user sees these as the seconds a call sleeps and the settings it accepts, so every boundary is pinned here:
the wait at each step, the edge of each check (the smallest value allowed is allowed), and the message that
names the setting.
"""

from __future__ import annotations

import math
import random
import re

import pytest

from pan123_oss import PollPolicy, RatePolicy, RetryPolicy
from pan123_oss._policy import (
    LAST_POLL_SLACK,
    MIN_POLL_INTERVAL,
    PollGate,
    ServeLimits,
    fit_before_deadline,
)


def exactly(message: str) -> str:
    """A `match=` pattern for this message and nothing else."""
    return f"^{re.escape(message)}$"


class Rng(random.Random):
    """A random source that always draws `value`: jitter becomes a known number."""

    def __init__(self, value: float) -> None:
        super().__init__(0)
        self.value = value

    def random(self) -> float:
        return self.value


# PollPolicy: the polling schedule.


def test_poll_intervals_grow_by_the_multiplier_up_to_the_maximum() -> None:
    policy = PollPolicy(initial=1.0, multiplier=1.5, maximum=3.0)
    assert policy.grow(1.0) == 1.5
    assert policy.grow(1.5) == 2.25
    assert policy.grow(2.25) == 3.0  # 3.375, capped
    assert policy.grow(3.0) == 3.0


def test_poll_jitter_lengthens_a_wait_by_its_fraction_of_the_draw() -> None:
    policy = PollPolicy(jitter=0.2)
    assert policy.jittered(2.0, Rng(0.0)) == 2.0
    assert policy.jittered(2.0, Rng(0.5)) == pytest.approx(2.2)
    assert policy.jittered(2.0, Rng(1.0)) == pytest.approx(2.4)


def test_poll_policy_defaults() -> None:
    assert PollPolicy() == PollPolicy(initial=1.0, multiplier=1.5, maximum=5.0, jitter=0.1)


def test_the_least_poll_settings_allowed_are_allowed() -> None:
    policy = PollPolicy(initial=1.0, maximum=1.0, multiplier=1.0, jitter=0.0)
    assert policy.grow(1.0) == 1.0
    assert policy.jittered(1.0, Rng(0.9)) == 1.0
    assert PollPolicy(initial=2, maximum=2).grow(2) == 2  # whole numbers are seconds too


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"initial": 0.999}, "initial must be at least 1.0 (the API asks for at least 1 s between polls), got 0.999"),
        ({"initial": 2.0, "maximum": 1.5}, "maximum must be at least 2.0 (initial), got 1.5"),
        ({"multiplier": 0.99}, "multiplier must be at least 1.0, got 0.99"),
        ({"jitter": -0.01}, "jitter must be at least 0.0, got -0.01"),
        ({"initial": math.inf}, "initial must be a finite number of seconds, got inf"),
        ({"maximum": math.nan}, "maximum must be a finite number of seconds, got nan"),
        ({"multiplier": True}, "multiplier must be a finite number of seconds, got True"),
        ({"jitter": "0.1"}, "jitter must be a finite number of seconds, got '0.1'"),
    ],
)
def test_poll_settings_out_of_range_are_refused_by_name(settings: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=exactly(message)):
        PollPolicy(**settings)  # type: ignore[arg-type]


# RetryPolicy: waits between tries after transport trouble.


def test_retry_waits_double_from_the_initial_up_to_the_maximum_then_give_up() -> None:
    policy = RetryPolicy(attempts=6, initial=1.0, multiplier=2.0, maximum=5.0, jitter=0.0)
    waits = [policy.delay(failures, Rng(0.0)) for failures in range(1, 7)]
    assert waits == [1.0, 2.0, 4.0, 5.0, 5.0, None]


def test_retry_jitter_lengthens_each_wait_by_its_fraction_of_the_draw() -> None:
    policy = RetryPolicy(initial=2.0, jitter=0.25)
    assert policy.delay(1, Rng(1.0)) == pytest.approx(2.5)
    assert policy.delay(2, Rng(0.5)) == pytest.approx(4.5)


def test_retry_policy_defaults() -> None:
    assert RetryPolicy() == RetryPolicy(attempts=4, initial=1.0, multiplier=2.0, maximum=20.0, jitter=0.25)
    assert RetryPolicy().delay(3, Rng(0.0)) == 4.0
    assert RetryPolicy().delay(4, Rng(0.0)) is None


def test_one_attempt_means_no_retry() -> None:
    assert RetryPolicy(attempts=1).delay(1, Rng(0.0)) is None


def test_the_least_retry_settings_allowed_are_allowed() -> None:
    policy = RetryPolicy(attempts=2, initial=0.0, maximum=0.0, multiplier=1.0, jitter=0.0)
    assert policy.delay(1, Rng(0.5)) == 0.0


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"attempts": 0}, "attempts must be a whole number of at least 1, got 0"),
        ({"attempts": 2.5}, "attempts must be a whole number of at least 1, got 2.5"),
        ({"attempts": True}, "attempts must be a whole number of at least 1, got True"),
        ({"initial": -0.5}, "initial must be at least 0.0, got -0.5"),
        ({"initial": 3.0, "maximum": 2.0}, "maximum must be at least 3.0 (initial), got 2.0"),
        ({"multiplier": 0.5}, "multiplier must be at least 1.0, got 0.5"),
        ({"jitter": -1.0}, "jitter must be at least 0.0, got -1.0"),
        ({"jitter": math.inf}, "jitter must be a finite number of seconds, got inf"),
    ],
)
def test_retry_settings_out_of_range_are_refused_by_name(settings: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=exactly(message)):
        RetryPolicy(**settings)  # type: ignore[arg-type]


# The last poll before a deadline.


def test_a_wait_that_ends_before_the_deadline_is_kept() -> None:
    assert fit_before_deadline(2.0, now=10.0, deadline=12.25) == 2.0  # exactly the slack left


def test_a_wait_past_the_deadline_is_moved_up_to_leave_the_slack() -> None:
    assert fit_before_deadline(5.0, now=10.0, deadline=13.0) == 3.0 - LAST_POLL_SLACK


def test_a_wait_moved_up_never_goes_below_the_floor() -> None:
    assert fit_before_deadline(5.0, now=10.0, deadline=10.0 + MIN_POLL_INTERVAL + LAST_POLL_SLACK) == 1.0
    assert fit_before_deadline(5.0, now=10.0, deadline=11.2) is None


def test_the_floor_and_slack_figures() -> None:
    assert (MIN_POLL_INTERVAL, LAST_POLL_SLACK) == (1.0, 0.25)


# PollGate: one upload's requests a second apart.


def test_the_gate_spaces_one_uploads_requests_by_the_floor() -> None:
    gate = PollGate(floor=1.0)
    assert gate.reserve("a", 10.0) == 0.0
    assert gate.reserve("a", 10.25) == 0.75
    assert gate.reserve("a", 10.5) == 1.5  # behind the one booked at 11.0
    assert gate.reserve("b", 10.5) == 0.0  # another upload is not held


def test_the_gate_counts_the_floor_from_the_reply() -> None:
    gate = PollGate(floor=1.0)
    assert gate.reserve("a", 0.0) == 0.0
    gate.done("a", 3.0)  # the reply came 3 s later
    assert gate.reserve("a", 3.5) == 0.5
    gate.done("a", 3.7)  # an early reply does not move the next turn up
    assert gate.reserve("a", 4.0) == 1.0


def test_the_gate_forgets_uploads_it_no_longer_holds_back() -> None:
    gate = PollGate(floor=1.0, max_entries=2)
    gate.reserve("a", 0.0)
    gate.reserve("b", 5.0)
    gate.reserve("c", 5.5)  # three entries: "a" (free since 1.0) is dropped, the others kept
    assert gate.reserve("b", 5.5) == 0.5
    assert gate.reserve("c", 5.5) == 1.0
    assert gate.reserve("a", 5.5) == 0.0


# RatePolicy: pacing after a 429.


def test_the_rate_before_any_cut_is_the_ceiling() -> None:
    assert RatePolicy().rate(4.0, 10.0, None) == 4.0


def test_right_after_a_cut_the_rate_is_beta_times_the_refused_one() -> None:
    policy = RatePolicy(beta=0.5, scale=0.5)
    assert policy.rate(100.0, 8.0, 0.0) == pytest.approx(4.0)


def test_the_rate_grows_back_along_the_cubic_curve_and_stops_at_the_ceiling() -> None:
    policy = RatePolicy(beta=0.5, scale=0.5, min_rate=0.1)
    k = (8.0 * 0.5 / 0.5) ** (1 / 3)  # 2 s to grow back to 8
    assert policy.rate(100.0, 8.0, k) == pytest.approx(8.0)
    assert policy.rate(100.0, 8.0, 1.0) == pytest.approx(0.5 * (1.0 - k) ** 3 + 8.0)
    assert policy.rate(100.0, 8.0, k + 1.0) == pytest.approx(8.5)
    assert policy.rate(8.2, 8.0, k + 1.0) == 8.2


def test_a_cut_to_a_given_rate_starts_there() -> None:
    policy = RatePolicy(beta=0.5, scale=0.5, min_rate=0.1)
    assert policy.rate(100.0, 8.0, 0.0, cut_to=6.0) == pytest.approx(6.0)
    assert policy.rate(100.0, 8.0, 0.0, cut_to=9.0) == pytest.approx(8.0)  # no cut upward


def test_the_rate_never_drops_below_the_minimum() -> None:
    assert RatePolicy(beta=0.1, min_rate=2.0).rate(100.0, 4.0, 0.0) == 2.0


def test_spacing_is_the_rate_minus_the_margin() -> None:
    assert RatePolicy(margin=0.2).spacing(5.0) == pytest.approx(0.25)
    assert RatePolicy(margin=0.0).spacing(4.0) == 0.25


def test_rate_policy_defaults() -> None:
    assert RatePolicy() == RatePolicy(beta=0.7, scale=0.4, min_rate=0.5, margin=0.05, patience=120.0,
                                      measure_bucket=0.5, smoothing=0.8, cut_interval=1.0)  # fmt: skip


def test_the_least_rate_settings_allowed_are_allowed() -> None:
    policy = RatePolicy(margin=0.0, scale=0.01, min_rate=0.01, patience=0.0, measure_bucket=0.01,
                        smoothing=1.0, cut_interval=0.0, beta=0.01)  # fmt: skip
    assert policy.spacing(2.0) == 0.5


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"beta": 0}, "beta must be between 0 and 1, got 0"),
        ({"beta": 1.0}, "beta must be between 0 and 1, got 1.0"),
        ({"beta": "0.5"}, "beta must be between 0 and 1, got '0.5'"),
        ({"margin": 1.0}, "margin must be at least 0 and below 1, got 1.0"),
        ({"margin": -0.1}, "margin must be at least 0 and below 1, got -0.1"),
        ({"margin": None}, "margin must be at least 0 and below 1, got None"),
        ({"scale": 0.001}, "scale must be at least 0.01, got 0.001"),
        ({"min_rate": 0.0}, "min_rate must be at least 0.01, got 0.0"),
        ({"patience": -1.0}, "patience must be at least 0.0, got -1.0"),
        ({"measure_bucket": 0.0}, "measure_bucket must be at least 0.01, got 0.0"),
        ({"cut_interval": -0.5}, "cut_interval must be at least 0.0, got -0.5"),
        ({"smoothing": 0}, "smoothing must be above 0 and at most 1, got 0"),
        ({"smoothing": 1.5}, "smoothing must be above 0 and at most 1, got 1.5"),
        ({"smoothing": "1"}, "smoothing must be above 0 and at most 1, got '1'"),
    ],
)
def test_rate_settings_out_of_range_are_refused_by_name(settings: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=exactly(message)):
        RatePolicy(**settings)  # type: ignore[arg-type]


# ServeLimits: what serve gives one client.


def test_serve_limit_defaults() -> None:
    limits = ServeLimits()
    assert (limits.max_body, limits.max_json, limits.max_parts, limits.max_head) == (200 << 20, 1 << 20, 100, 65536)
    assert (limits.max_connections, limits.workers, limits.backlog) == (500, 8, 128)
    assert (limits.head_timeout, limits.read_timeout) == (10.0, 30.0)


def test_the_least_serve_limits_allowed_are_allowed() -> None:
    limits = ServeLimits(max_body=1, max_json=1, max_parts=1, max_head=1, max_connections=1, workers=1, backlog=1,
                         head_timeout=0.001, read_timeout=0.001)  # fmt: skip
    assert limits.workers == 1


@pytest.mark.parametrize("name", ["max_body", "max_json", "max_parts", "max_head", "max_connections", "workers",
                                  "backlog"])  # fmt: skip
@pytest.mark.parametrize("value", [0, 2.0, True])
def test_serve_counts_must_be_whole_and_positive(name: str, value: object) -> None:
    with pytest.raises(ValueError, match=exactly(f"{name} must be a whole number of at least 1, got {value!r}")):
        ServeLimits(**{name: value})  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["head_timeout", "read_timeout"])
def test_serve_timeouts_must_be_positive(name: str) -> None:
    with pytest.raises(ValueError, match=exactly(f"{name} must be at least 0.001, got 0.0")):
        ServeLimits(**{name: 0.0})  # type: ignore[arg-type]


def test_a_reply_for_an_upload_the_gate_has_forgotten_books_its_floor_afresh() -> None:
    gate = PollGate(floor=1.0, max_entries=1)
    gate.reserve("a", 0.0)
    gate.reserve("b", 2.0)  # two entries: "a" (free since 1.0) is forgotten
    gate.done("a", 2.5)  # its reply comes late all the same
    assert gate.reserve("a", 3.0) == 0.5
