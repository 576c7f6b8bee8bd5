"""wait_for_upload and upload_async_result on both clients: schedule, deadline, faults and what is sent."""

from __future__ import annotations

import itertools
import json
import math
from typing import Any

import pytest
from conftest import Both, MakeClient, every_reply_shape

import pan123_oss
from pan123_oss import PollPolicy
from pan123_oss.testing import FakeClock, FakePan123, Fault

POLL_PATH = "/upload/v1/oss/file/upload_async_result"


replies = every_reply_shape()


def poll_gaps(fake: FakePan123, pid: str) -> list[float]:
    times = [r.time for r in fake.polls(pid)]
    return [b - a for a, b in itertools.pairwise(times)]


def test_returns_the_file_id_after_the_pending_polls(make_client: MakeClient, fake: FakePan123) -> None:
    pid = fake.add_upload(pending_polls=3, file_id="file-42")
    assert make_client().wait_for_upload(pid) == "file-42"
    assert [r.code for r in fake.polls(pid)] == [0, 0, 0, 0]
    assert len(fake.polls(pid)) == 4


def test_poll_request_is_the_documented_wire_format(make_client: MakeClient, fake: FakePan123) -> None:
    pid = fake.add_upload(pending_polls=0)
    client = make_client()
    client.wait_for_upload(pid)
    token_call, poll = fake.requests
    assert (token_call.method, token_call.path) == ("POST", "/api/v1/access_token")
    assert token_call.body == {"clientID": fake.client_id, "clientSecret": fake.client_secret}
    assert "authorization" not in token_call.headers
    assert token_call.headers["platform"] == "open_platform"
    assert (poll.method, poll.path) == ("POST", POLL_PATH)
    assert poll.headers["authorization"] == f"Bearer {client.access_token()}"
    assert poll.headers["platform"] == "open_platform"
    assert poll.headers["content-type"] == "application/json"
    assert poll.body == {"preuploadID": pid}


def test_upload_async_result_is_one_call(make_client: MakeClient, fake: FakePan123) -> None:
    pid = fake.add_upload(pending_polls=1, file_id="f-1")
    client = make_client()
    first = client.upload_async_result(pid)
    assert (first.completed, first.file_id, first.code) == (False, "", 0)
    assert first.trace_id.endswith("_fake-123pan")
    second = client.upload_async_result(pid)
    assert (second.completed, second.file_id) == (True, "f-1")
    assert second.trace_id != first.trace_id


def test_repeated_single_calls_are_spaced_a_second_apart(make_client: MakeClient, fake: FakePan123) -> None:
    # A caller's own tight loop around upload_async_result still cannot poll one upload faster than 1/s.
    pid = fake.add_upload(pending_polls=10)
    client = make_client()
    for _ in range(4):
        client.upload_async_result(pid)
    assert all(gap >= 1.0 for gap in poll_gaps(fake, pid))
    assert len(fake.polls(pid)) == 4


def test_waits_grow_from_one_second_and_are_capped(make_client: MakeClient, fake: FakePan123, clock: FakeClock) -> None:
    pid = fake.add_upload(pending_polls=7)
    policy = PollPolicy(initial=1.0, multiplier=1.5, maximum=3.0, jitter=0.0)
    make_client(poll_policy=policy).wait_for_upload(pid)
    assert clock.sleeps == pytest.approx([1.0, 1.5, 2.25, 3.0, 3.0, 3.0, 3.0])
    assert poll_gaps(fake, pid) == pytest.approx(clock.sleeps)


def test_jitter_only_lengthens_waits(make_client: MakeClient, fake: FakePan123, clock: FakeClock) -> None:
    pid = fake.add_upload(pending_polls=30)
    policy = PollPolicy(initial=1.0, multiplier=1.0, maximum=1.0, jitter=0.5)
    make_client(poll_policy=policy).wait_for_upload(pid, timeout=600)
    assert len(clock.sleeps) == 30
    assert all(1.0 <= s <= 1.5 for s in clock.sleeps)
    assert len(set(clock.sleeps)) > 1, "jitter should vary the waits"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("initial", 0.5),
        ("initial", 0.0),
        ("initial", math.nan),
        ("maximum", 0.9),
        ("multiplier", 0.5),
        ("jitter", -0.1),
    ],
)
def test_policies_below_the_floor_are_rejected(field: str, value: float) -> None:
    with pytest.raises(ValueError, match=field):
        PollPolicy(**{field: value})


def test_retry_policy_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="attempts"):
        pan123_oss.RetryPolicy(attempts=0)
    with pytest.raises(ValueError, match="initial"):
        pan123_oss.RetryPolicy(initial=-1.0)


def test_deadline_bounds_the_whole_wait(make_client: MakeClient, fake: FakePan123, clock: FakeClock) -> None:
    pid = fake.add_upload(pending_polls=10**6)
    start = clock.monotonic()
    with pytest.raises(pan123_oss.PollTimeoutError) as caught:
        make_client().wait_for_upload(pid, timeout=20.0)
    err = caught.value
    assert isinstance(err, TimeoutError)
    assert clock.monotonic() - start <= 20.0
    assert err.preupload_id == pid
    assert err.polls == len(fake.polls(pid)) >= 5
    assert err.elapsed == pytest.approx(clock.monotonic() - start)
    assert err.last_trace_id is not None
    assert err.last_trace_id in str(err)
    assert pid in str(err)


def test_last_poll_is_moved_up_to_fit_before_the_deadline(
    make_client: MakeClient, fake: FakePan123, clock: FakeClock
) -> None:
    # With 5 s waits and a 7 s deadline, a poll due at 10 s would miss; it happens at 6.75 s instead.
    pid = fake.add_upload(pending_polls=2)
    policy = PollPolicy(initial=5.0, maximum=5.0, jitter=0.0)
    assert make_client(poll_policy=policy).wait_for_upload(pid, timeout=7.0).startswith("fake-file-")
    assert clock.sleeps == pytest.approx([5.0, 1.75])


@pytest.mark.parametrize("timeout", [0, -1, math.inf, math.nan, "10", True])
def test_bad_timeouts_are_rejected_before_any_request(make_client: MakeClient, fake: FakePan123, timeout: Any) -> None:
    pid = fake.add_upload()
    with pytest.raises(ValueError, match="timeout"):
        make_client().wait_for_upload(pid, timeout=timeout)
    assert fake.requests == []


@pytest.mark.parametrize("pid", ["", "   ", None, 123, b"abc"])
def test_bad_preupload_ids_are_rejected_before_any_request(make_client: MakeClient, fake: FakePan123, pid: Any) -> None:
    client = make_client()
    with pytest.raises(ValueError, match="preupload_id"):
        client.wait_for_upload(pid)
    with pytest.raises(ValueError, match="preupload_id"):
        client.upload_async_result(pid)
    assert fake.requests == []


def test_being_verified_counts_as_pending(make_client: MakeClient, fake: FakePan123) -> None:
    pid = fake.add_upload(pending_polls=0, file_id="f-ok")
    fake.script("upload_async_result", Fault.code_reply(20103), Fault.code_reply(20103))
    assert make_client().wait_for_upload(pid) == "f-ok"
    assert [r.code for r in fake.polls(pid)] == [20103, 20103, 0]
    assert all(gap >= 1.0 for gap in poll_gaps(fake, pid))


def test_single_call_reports_being_verified_as_not_completed(make_client: MakeClient, fake: FakePan123) -> None:
    pid = fake.add_upload(pending_polls=0)
    fake.script("upload_async_result", Fault.code_reply(20103, "file is being verified"))
    result = make_client().upload_async_result(pid)
    assert (result.completed, result.file_id, result.code) == (False, "", 20103)


def test_rate_limit_keeps_polling_at_a_pace_the_throttling_cuts(
    make_client: MakeClient, fake: FakePan123, clock: FakeClock
) -> None:
    pid = fake.add_upload(pending_polls=0, file_id="f-rl")
    fake.script("upload_async_result", *[Fault.code_reply(429, "too many requests")] * 20)
    policy = PollPolicy(jitter=0.0)
    assert make_client(poll_policy=policy).wait_for_upload(pid, timeout=600) == "f-rl"
    times = [r.time for r in fake.polls(pid)]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(times) == 21
    # Never under the 1 s floor; once paced (after the first 429), each further 429 cuts the pace, by 30 %
    # at most, until it is below the one poll a second the floor allows, and the gaps grow.
    assert min(gaps) >= 1.0
    assert gaps[-1] > 1.5
    assert gaps[-5:] == sorted(gaps[-5:])


def test_rate_limit_until_the_deadline_is_a_timeout_carrying_the_cause(
    make_client: MakeClient, fake: FakePan123
) -> None:
    pid = fake.add_upload(pending_polls=0)
    fake.script("upload_async_result", *[Fault.code_reply(429)] * 100)
    with pytest.raises(pan123_oss.PollTimeoutError) as caught:
        make_client().wait_for_upload(pid, timeout=30)
    assert isinstance(caught.value.__cause__, pan123_oss.RateLimitError)
    assert "rate limited" in str(caught.value)


def test_single_call_sends_a_throttled_request_again_until_it_goes_through(
    make_client: MakeClient, fake: FakePan123
) -> None:
    pid = fake.add_upload(pending_polls=0, file_id="f-1")
    fake.script("upload_async_result", *[Fault.code_reply(429)] * 10)
    client = make_client(retry_policy=pan123_oss.RetryPolicy(attempts=3))
    # Ten 429s in a row, more than the retry budget of 3: a 429 is not a failure.
    assert client.upload_async_result(pid).file_id == "f-1"
    assert len(fake.polls(pid)) == 11
    assert client.client.throttled_requests == 10


def test_single_call_with_no_deadline_gives_up_after_the_rate_policy_patience(
    make_client: MakeClient, fake: FakePan123, clock: FakeClock
) -> None:
    pid = fake.add_upload(pending_polls=0)
    fake.script("upload_async_result", *[Fault.code_reply(429)] * 1000)
    client = make_client(rate_policy=pan123_oss.RatePolicy(patience=30.0))
    start = clock.monotonic()
    with pytest.raises(pan123_oss.RateLimitError) as caught:
        client.upload_async_result(pid)
    assert caught.value.code == 429
    assert caught.value.preupload_id == pid
    assert 30.0 <= clock.monotonic() - start < 35.0


@pytest.mark.parametrize("code", [1, 5066, 5113, 40001])
def test_terminal_codes_raise_at_once_with_full_context(make_client: MakeClient, fake: FakePan123, code: int) -> None:
    pid = fake.add_upload(pending_polls=0)
    fake.script("upload_async_result", Fault.code_reply(code, "it went wrong"))
    with pytest.raises(pan123_oss.ApiError) as caught:
        make_client().wait_for_upload(pid)
    err = caught.value
    assert type(err) is pan123_oss.ApiError
    assert (err.code, err.message, err.http_status, err.preupload_id) == (code, "it went wrong", 200, pid)
    assert err.endpoint == POLL_PATH
    assert err.trace_id is not None and err.trace_id.endswith("_fake-123pan")
    assert err.trace_id in str(err) and str(code) in str(err) and pid in str(err)
    assert len(fake.polls(pid)) == 1


def test_md5_mismatch_is_terminal_after_pending(make_client: MakeClient, fake: FakePan123) -> None:
    pid = fake.add_upload(pending_polls=2, fail_code=1, fail_message="MD5 does not match")
    with pytest.raises(pan123_oss.ApiError, match="MD5 does not match"):
        make_client().wait_for_upload(pid)
    assert len(fake.polls(pid)) == 3


@pytest.mark.parametrize(
    "fault",
    [Fault.http(500), Fault.http(503, b'{"code": 1, "message": "busy", "data": null}'), Fault.html(), Fault.drop()],
    ids=["http-500", "http-503-json", "html-200", "dropped"],
)
def test_transport_trouble_is_retried(make_client: MakeClient, fake: FakePan123, fault: Fault) -> None:
    pid = fake.add_upload(pending_polls=0, file_id="f-t")
    fake.script("upload_async_result", fault, fault)
    assert make_client().wait_for_upload(pid) == "f-t"
    assert len(fake.polls(pid)) == 3
    assert all(gap >= 1.0 for gap in poll_gaps(fake, pid))


def test_slow_reply_times_out_and_is_retried(make_client: MakeClient, fake: FakePan123, clock: FakeClock) -> None:
    pid = fake.add_upload(pending_polls=0, file_id="f-slow")
    fake.script("upload_async_result", Fault.slow(60))
    assert make_client(timeout=5.0).wait_for_upload(pid) == "f-slow"
    assert len(fake.polls(pid)) == 2
    assert clock.sleeps[0] == 5.0  # the read timeout, on the fake clock


def test_transport_trouble_beyond_the_budget_is_a_transport_error(make_client: MakeClient, fake: FakePan123) -> None:
    pid = fake.add_upload(pending_polls=0)
    fake.script("upload_async_result", *[Fault.http(502)] * 10)
    with pytest.raises(pan123_oss.TransportError) as caught:
        make_client(retry_policy=pan123_oss.RetryPolicy(attempts=3)).wait_for_upload(pid)
    assert caught.value.http_status == 502
    assert caught.value.preupload_id == pid
    assert len(fake.polls(pid)) == 3


@pytest.mark.parametrize(
    "body",
    [
        b'{"code": 0, "message": "ok", "data": {"completed": "yes", "fileID": ""}, "x-traceID": "t-1"}',
        b'{"code": 0, "message": "ok", "data": {"completed": true, "fileID": ""}, "x-traceID": "t-1"}',
        b'{"code": 0, "message": "ok", "data": null, "x-traceID": "t-1"}',
        b'{"code": "0", "message": "ok", "data": null, "x-traceID": "t-1"}',
        b'{"code": 0, "message": "ok", "data": {"completed": true, "fileID": "f"}}',
        b"[1, 2, 3]",
    ],
    ids=["mistyped-completed", "completed-without-id", "null-data", "string-code", "no-trace", "not-an-object"],
)
def test_replies_that_break_the_spec_are_malformed(make_client: MakeClient, fake: FakePan123, body: bytes) -> None:
    pid = fake.add_upload(pending_polls=0)
    fake.script("upload_async_result", Fault.malformed(body))
    with pytest.raises(pan123_oss.MalformedResponseError) as caught:
        make_client().wait_for_upload(pid)
    assert caught.value.preupload_id == pid
    assert len(fake.polls(pid)) == 1
    if b'"x-traceID": "t-1"' in body and b'"code": 0' in body:
        assert caught.value.trace_id == "t-1"


def test_on_poll_sees_every_poll(make_client: MakeClient, fake: FakePan123) -> None:
    pid = fake.add_upload(pending_polls=2)
    fake.script("upload_async_result", Fault.http(500))
    events: list[pan123_oss.PollEvent] = []
    make_client().wait_for_upload(pid, on_poll=events.append)
    assert [e.attempt for e in events] == [1, 2, 3, 4]
    assert [e.completed for e in events] == [False, False, False, True]
    assert events[0].error is not None and events[0].code is None
    assert [e.code for e in events[1:]] == [0, 0, 0]
    assert all(b.elapsed > a.elapsed for a, b in itertools.pairwise(events))
    assert all(e.trace_id is not None and e.trace_id.endswith("_fake-123pan") for e in events[1:])
    assert len({e.trace_id for e in events[1:]}) == 3


def test_on_poll_must_be_callable(make_client: MakeClient, fake: FakePan123) -> None:
    with pytest.raises(TypeError, match="on_poll"):
        make_client().wait_for_upload(fake.add_upload(), on_poll="print")
    assert fake.requests == []


def test_unknown_upload_is_a_terminal_error(make_client: MakeClient, fake: FakePan123) -> None:
    with pytest.raises(pan123_oss.ApiError) as caught:
        make_client().wait_for_upload("no-such-upload")
    assert caught.value.code == 5066


def test_raw_generated_client_is_reachable_and_authenticated(make_client: MakeClient, fake: FakePan123) -> None:
    from pan123_oss_api.api.oss_upload import upload_async_result
    from pan123_oss_api.models import AsyncResultBody, UploadAsyncResultReply

    pid = fake.add_upload(pending_polls=0, file_id="f-raw")
    both = make_client()
    body = AsyncResultBody(preupload_id=pid)
    if both.kind == "sync":
        assert isinstance(both.client, pan123_oss.Client)
        parsed = upload_async_result.sync(client=both.client.raw, body=body)
    else:
        assert both.loop is not None
        parsed = both.loop.run_until_complete(upload_async_result.asyncio(client=both.client.raw, body=body))
    assert isinstance(parsed, UploadAsyncResultReply)
    assert parsed.data is not None and parsed.data.file_id == "f-raw"
    assert json.loads(json.dumps(fake.polls(pid)[0].body)) == {"preuploadID": pid}


# The tightest schedule a user may set, so that every gap the server sees is the floor itself.
FLOOR_ONLY = PollPolicy(initial=1.0, multiplier=1.0, maximum=1.0, jitter=0.0)
NO_RETRY_WAIT = pan123_oss.RetryPolicy(initial=0.0, maximum=0.0, jitter=0.0)


def test_one_second_floor_holds_through_a_429_a_500_and_a_refresh(
    make_client: MakeClient, fake: FakePan123, clock: FakeClock
) -> None:
    pid = fake.add_upload(pending_polls=2)
    fake.script("upload_async_result", Fault.code_reply(429), Fault.http(500), Fault.expire_tokens())
    client = make_client(poll_policy=FLOOR_ONLY, retry_policy=NO_RETRY_WAIT)
    assert client.wait_for_upload(pid, timeout=60).startswith("fake-file-")
    gaps = poll_gaps(fake, pid)
    assert len(gaps) == 5  # 429, 500, 401, pending, pending, completed
    assert min(gaps) >= 1.0, gaps
    assert fake.tokens_issued == 2


# Over a real loopback socket, with real time: the floor as the server measured it. The schedule itself is
# held on the fake clock above for both clients; this proves that a real sleep between real requests keeps it
# too, so one client, one refresh and one pending poll are enough.


@pytest.mark.slow
def test_one_second_floor_measured_by_the_server(real_fake: FakePan123, served: str) -> None:
    pid = real_fake.add_upload(pending_polls=1)
    real_fake.script("upload_async_result", Fault.expire_tokens())
    both = Both(
        "async", client_id=real_fake.client_id, client_secret=real_fake.client_secret, base_url=served,
        poll_policy=FLOOR_ONLY, retry_policy=NO_RETRY_WAIT,
    )  # fmt: skip
    try:
        assert both.wait_for_upload(pid, timeout=60).startswith("fake-file-")
    finally:
        both.close()
    gaps = poll_gaps(real_fake, pid)
    assert len(gaps) == 2  # 401, pending, completed
    assert min(gaps) >= 1.0, gaps
    assert real_fake.tokens_issued == 2


# Deadlines hold whatever stage the wait is in (found by the soak).


def test_a_slow_token_fetch_is_bounded_by_the_wait_deadline(
    make_client: MakeClient, fake: FakePan123, clock: FakeClock
) -> None:
    pid = fake.add_upload(pending_polls=10)
    fake.script("access_token", Fault.slow(25))
    start = clock.monotonic()
    with pytest.raises(pan123_oss.PollTimeoutError) as caught:
        make_client().wait_for_upload(pid, timeout=5.0)
    assert clock.monotonic() - start <= 5.0
    assert caught.value.polls == 0 == len(fake.polls(pid))


def test_the_floor_after_a_refresh_is_fitted_to_the_deadline(
    make_client: MakeClient, fake: FakePan123, clock: FakeClock
) -> None:
    pid = fake.add_upload(pending_polls=10)
    client = make_client(poll_policy=PollPolicy(jitter=0.0))
    client.access_token()
    fake.script("upload_async_result", Fault.slow(0), Fault.slow(0), Fault.expire_tokens())
    start = clock.monotonic()
    with pytest.raises(pan123_oss.PollTimeoutError) as caught:
        client.wait_for_upload(pid, timeout=3.0)
    assert clock.monotonic() - start <= 3.0
    assert caught.value.polls == 3 == len(fake.polls(pid))
    assert isinstance(caught.value.__cause__, pan123_oss.AuthError)


def test_running_out_of_time_mid_retry_is_a_poll_timeout(
    make_client: MakeClient, fake: FakePan123, clock: FakeClock
) -> None:
    pid = fake.add_upload(pending_polls=10)
    client = make_client(retry_policy=pan123_oss.RetryPolicy(jitter=0.0))
    client.access_token()
    fake.script("upload_async_result", *[Fault.http(502)] * 3, Fault.expire_tokens())
    start = clock.monotonic()
    with pytest.raises(pan123_oss.PollTimeoutError):
        client.wait_for_upload(pid, timeout=7.5)
    assert clock.monotonic() - start <= 7.5
