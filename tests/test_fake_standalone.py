"""The standalone fake (`pan123-oss fake`): its admin API answer by answer, in process, and what the command
prints and refuses."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest

from pan123_oss import _cli
from pan123_oss._cli import _fake
from pan123_oss.testing import Fault
from pan123_oss.testing._standalone import make_fake, parse_fault, parse_faults, parse_qps, run, serving

HOST = "fake.test:1"
ADMIN = {"Host": HOST, "Authorization": "Bearer adm"}
POLL = "/upload/v1/oss/file/upload_async_result"


def admin(
    fake: Any,
    method: str,
    action: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
    raw: bytes | None = None,
) -> tuple[int, Any]:
    sent = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
    reply = fake.handle(method, f"/_fake/{action}", ADMIN if headers is None else headers, sent)
    assert reply.scripted and reply.content_type == "application/json"
    return reply.status, json.loads(reply.body)


@pytest.fixture
def fake() -> Any:
    made = make_fake(admin_key="adm", pending_polls=0)
    made.served_hosts = frozenset({HOST})
    return made


@pytest.mark.parametrize(
    ("headers", "status", "error"),
    [
        ({**ADMIN, "Origin": "https://page.test"}, 403, "cross-origin requests are refused"),
        ({"Authorization": "Bearer adm"}, 403, "unknown Host"),
        ({**ADMIN, "Host": "other.test:1"}, 403, "unknown Host"),
        ({"Host": HOST}, 401, "send Authorization: Bearer <admin key>"),
        ({"Host": HOST, "Authorization": "Bearer ad"}, 401, "send Authorization: Bearer <admin key>"),
        ({"Host": HOST, "Authorization": "adm"}, 200, None),
    ],
)
def test_the_admin_api_refuses_strangers(fake: Any, headers: dict[str, str], status: int, error: str | None) -> None:
    got, body = admin(fake, "GET", "requests", headers=headers)
    assert got == status
    if error is not None:
        assert body == {"error": error}


def test_the_admin_api_reports_requests_and_violations(fake: Any) -> None:
    pid = fake.add_upload(file_id="f")
    token = fake.issue_token()
    fake.handle(
        "POST",
        POLL,
        {"Platform": "open_platform", "Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        json.dumps({"preuploadID": pid}).encode(),
    )
    status, seen = admin(fake, "GET", "requests")
    assert status == 200
    assert seen == [{"time": fake.requests[0].time, "method": "POST", "path": POLL, "code": 0, "preuploadID": pid}]
    fake.violations.append("a line")
    assert admin(fake, "GET", "violations") == (200, ["a line"])


def test_admin_writes_are_posts(fake: Any) -> None:
    assert admin(fake, "GET", "script") == (
        405,
        {"error": "use POST (GET only for /_fake/requests and /_fake/violations)"},
    )
    assert admin(fake, "POST", "nothing") == (404, {"error": "no admin action 'nothing'"})


def test_script_queues_faults_for_an_endpoint(fake: Any) -> None:
    assert admin(fake, "POST", "script", {"endpoint": "create", "faults": ["code:429", "drop"]}) == (
        200,
        {"scripted": 2},
    )
    assert list(fake._script._queues["createUpload"]) == [Fault.code_reply(429), Fault.drop()]
    for body in (
        {"endpoint": "create"},
        {"endpoint": "create", "faults": "drop"},
        {"endpoint": "create", "faults": [1]},
    ):
        assert admin(fake, "POST", "script", body) == (
            400,
            {"error": '"faults" must be a list of strings such as "code:429"'},
        )
    status, body = admin(fake, "POST", "script", {"endpoint": "nowhere", "faults": []})
    assert status == 400 and body["error"].startswith("endpoint must be one of")


def test_settings_change_what_later_uploads_wait_for(fake: Any) -> None:
    assert admin(fake, "POST", "settings", {}) == (200, {"pendingPolls": 0, "pendingSeconds": 0.0})
    assert admin(fake, "POST", "settings", {"pendingPolls": 3, "pendingSeconds": 1}) == (
        200,
        {"pendingPolls": 3, "pendingSeconds": 1.0},
    )
    assert fake.uploads[fake.add_upload()].pending_polls == 3
    for body, error in [
        ({"pendingPolls": -1}, "pendingPolls must be a whole number of 0 or more"),
        ({"pendingPolls": True}, "pendingPolls must be a whole number of 0 or more"),
        ({"pendingPolls": 1.5}, "pendingPolls must be a whole number of 0 or more"),
        ({"pendingSeconds": -0.5}, "pendingSeconds must be a number of seconds, 0 or more"),
        ({"pendingSeconds": False}, "pendingSeconds must be a number of seconds, 0 or more"),
        ({"pendingSeconds": "1"}, "pendingSeconds must be a number of seconds, 0 or more"),
        ({"pendingSeconds": float("nan")}, "pendingSeconds must be a number of seconds, 0 or more"),
    ]:
        assert admin(fake, "POST", "settings", body) == (400, {"error": error})
    assert admin(fake, "POST", "settings", {"pendingPolls": 0, "pendingSeconds": 0})[0] == 200


def test_uploads_are_added_for_polling(fake: Any) -> None:
    status, body = admin(fake, "POST", "uploads", {"pendingPolls": 2, "fileID": "f-9", "failCode": None})
    upload = fake.uploads[body["preuploadID"]]
    assert status == 200
    assert (upload.pending_polls, upload.file_id, upload.fail_code) == (2, "f-9", None)
    _, body = admin(fake, "POST", "uploads", {"failCode": 7, "fileID": ""})
    upload = fake.uploads[body["preuploadID"]]
    assert (upload.pending_polls, upload.fail_code) == (0, 7)
    assert upload.file_id.startswith("fake-file-")
    assert admin(fake, "POST", "uploads", {"pendingPolls": -1}) == (
        400,
        {"error": "pendingPolls must be a whole number of 0 or more"},
    )
    assert admin(fake, "POST", "uploads", {"failCode": -1}) == (
        400,
        {"error": "failCode must be a whole number of 0 or more"},
    )


def test_tokens_can_be_expired_and_bodies_must_be_objects(fake: Any) -> None:
    token = fake.issue_token()
    assert admin(fake, "POST", "expire-tokens") == (200, {"expired": True})
    assert token not in fake._tokens._expiries
    assert admin(fake, "POST", "settings", raw=b"[1]") == (400, {"error": "the body must be a JSON object"})
    assert admin(fake, "POST", "settings", raw=b"{nope")[0] == 400


def test_the_api_itself_is_served_beside_the_admin_api(fake: Any) -> None:
    reply = fake.handle(
        "POST",
        "/api/v1/access_token",
        {"Platform": "open_platform", "Content-Type": "application/json"},
        json.dumps({"clientID": "fake-client-id", "clientSecret": "fake-client-secret"}).encode(),
    )
    assert json.loads(reply.body)["code"] == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "nope",
            "unknown fault 'nope': use one of code, damage, drop, expire, html, http, huge, malformed, short, "
            "slow, trickle (e.g. code:429, slow:3)",
        ),
        ("code:x", "fault 'code:x': code takes a number, as in code:3"),
        ("slow", "fault 'slow': slow takes a number, as in slow:3"),
    ],
)
def test_a_bad_fault_says_which_forms_there_are(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        parse_fault(text)


def test_every_fault_form() -> None:
    assert parse_fault(" trickle ") == Fault.trickle(0.2)
    assert parse_fault("trickle:0.5") == Fault.trickle(0.5)
    assert parse_fault("html") == Fault.html()
    assert parse_fault("malformed") == Fault.malformed()
    assert parse_fault("huge") == Fault.huge()
    assert parse_fault("short") == Fault.short()
    assert parse_fault("http:") == Fault.http(502)


@pytest.mark.parametrize("text", ["create", "=code:1", " =code:1", "create=", "create= "])
def test_faults_want_an_endpoint_and_faults(text: str) -> None:
    message = f"--faults wants ENDPOINT=FAULT[,FAULT...], e.g. upload_async_result=code:429,drop; got {text!r}"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        parse_faults(text)


def test_faults_are_read_in_order() -> None:
    assert parse_faults(" create = code:1,drop") == ("create", [Fault.code_reply(1), Fault.drop()])


@pytest.mark.parametrize("text", ["create", "=1", "create=0", "create=-1", "create=x", " =2"])
def test_qps_wants_an_operation_and_a_positive_rate(text: str) -> None:
    message = f"--qps wants OPERATION=N with N > 0 requests a second, e.g. uploadAsyncResult=1; got {text!r}"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        parse_qps(text)
    assert parse_qps(" uploadAsyncResult = 0.5") == ("uploadAsyncResult", 0.5)


def test_made_with_qps_and_faults() -> None:
    fake = make_fake(admin_key="k", qps=["uploadAsyncResult=1"], faults=["create=drop", "create=html"])
    assert fake.qps == {POLL: 1.0}
    assert list(fake._script._queues["createUpload"]) == [Fault.drop(), Fault.html()]
    assert len(make_fake().admin_key) >= 32
    with pytest.raises(ValueError, match=r"^the admin key must not be empty$"):
        make_fake(admin_key="")


def test_it_prints_how_to_reach_it() -> None:
    fake = make_fake(admin_key="adm")
    with serving(fake, "127.0.0.1", 0) as served:
        port = served.url.rsplit(":", 1)[1]
        assert fake.served_hosts == {f"127.0.0.1:{port}", f"localhost:{port}"}
        assert served.as_json() == {
            "url": served.url,
            "clientID": "fake-client-id",
            "clientSecret": "fake-client-secret",
            "adminKey": "adm",
        }

        class Stopped:
            def wait(self, timeout: float) -> bool:
                assert timeout == 0.5
                return True

        out = io.StringIO()
        run(served, out, as_json=False, stop=Stopped())  # type: ignore[arg-type]
        assert out.getvalue() == (
            f"{served.url}\n"
            "  fake 123pan; base URL above (set PAN123_BASE_URL to it)\n"
            "  client ID:     fake-client-id\n"
            "  client secret: fake-client-secret\n"
            "  admin key:     adm\n"
            f"  (the admin API: {served.url}/_fake/..., with Authorization: Bearer ADMIN_KEY)\n"
            "  Ctrl-C stops it.\n"
        )
        out = io.StringIO()
        run(served, out, as_json=True, stop=Stopped())  # type: ignore[arg-type]
        assert json.loads(out.getvalue()) == served.as_json()


def test_the_command_takes_its_options_and_says_when_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[Any] = []
    real = make_fake

    def recording(**options: Any) -> Any:
        made.append(real(**options))
        return made[-1]

    def interrupted(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("pan123_oss.testing._standalone.make_fake", recording)
    monkeypatch.setattr("pan123_oss.testing._standalone.run", interrupted)
    args = _cli._parser.build().parse_args(
        [
            "fake",
            "--client-id",
            "me",
            "--client-secret",
            "s3",
            "--pending-polls",
            "0",
            "--admin-key",
            "adm",
            "--port",
            "0",
        ]
    )
    out, err = io.StringIO(), io.StringIO()
    assert _fake.run(args, out, err) == 0
    assert err.getvalue() == "pan123-oss: fake stopped\n"
    (fake,) = made
    assert (fake.client_id, fake.client_secret, fake.pending_polls, fake.admin_key) == ("me", "s3", 0, "adm")
    defaults = _cli._parser.build().parse_args(["fake"])
    assert (defaults.host, defaults.port, defaults.client_id, defaults.client_secret, defaults.pending_polls) == (
        "127.0.0.1",
        0,
        "fake-client-id",
        "fake-client-secret",
        2,
    )
    assert (defaults.faults, defaults.qps, defaults.spec, defaults.admin_key, defaults.json) == (
        [],
        [],
        None,
        None,
        False,
    )


@pytest.mark.parametrize("port", ["-1", "65536"])
def test_a_port_out_of_range_is_refused(port: str) -> None:
    err = io.StringIO()
    assert _cli.main(["fake", "--port", port], stdout=io.StringIO(), stderr=err) == 2
    assert err.getvalue() == f"pan123-oss: bad input: --port must be 0 to 65535, got {port}\n"


def test_slice_urls_point_at_the_fakes_own_name_unless_told_the_origin(fake: Any) -> None:
    token = fake.issue_token()
    headers = {"Platform": "open_platform", "Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    created = fake.handle("POST", "/upload/v1/oss/file/create", headers, json.dumps({
        "parentFileID": "", "filename": "a.png", "etag": "0" * 32, "size": 1, "type": 1,
    }).encode())  # fmt: skip
    pid = json.loads(created.body)["data"]["preuploadID"]
    body = json.dumps({"preuploadID": pid, "sliceNo": 1}).encode()
    reply = fake.handle("POST", "/upload/v1/oss/file/get_upload_url", headers, body)
    assert json.loads(reply.body)["data"]["presignedURL"].startswith("http://fake-123pan.invalid/fake-oss/")
