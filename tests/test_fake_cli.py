"""`pan123-oss fake`: the fake 123pan as a standalone server, scripted by flags or by its admin API."""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import loopback
import pan123_oss
from pan123_oss import _cli
from pan123_oss._cli import _fake, _parser
from pan123_oss.testing import Fault
from pan123_oss.testing._standalone import parse_fault, parse_faults, parse_qps, supports_qps
from spec_helpers import SPEC_PATH

PLATFORM = {"Platform": "open_platform"}
POLL = "/upload/v1/oss/file/upload_async_result"


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("code:429", Fault.code_reply(429)),
        ("http:503", Fault.http(503)),
        ("http", Fault.http(502)),
        ("drop", Fault.drop()),
        ("slow:2.5", Fault.slow(2.5)),
        ("expire", Fault.expire_tokens()),
        ("damage", Fault.damage()),
    ],
)
def test_a_fault_is_read_from_its_command_line_form(text: str, fault: Fault) -> None:
    assert parse_fault(text) == fault


@pytest.mark.parametrize("text", ["explode", "code", "code:many", "slow:", ""])
def test_a_bad_fault_is_refused_with_the_forms_it_takes(text: str) -> None:
    with pytest.raises(ValueError, match="fault"):
        parse_fault(text)


def test_faults_are_read_per_endpoint_in_order() -> None:
    assert parse_faults("upload_async_result=code:429, drop") == (
        "upload_async_result",
        [Fault.code_reply(429), Fault.drop()],
    )
    for bad in ("upload_async_result", "=drop", "create="):
        with pytest.raises(ValueError, match="ENDPOINT=FAULT"):
            parse_faults(bad)


def test_qps_is_read_per_operation() -> None:
    assert parse_qps("uploadAsyncResult=1") == ("uploadAsyncResult", 1.0)
    for bad in ("uploadAsyncResult", "uploadAsyncResult=0", "uploadAsyncResult=fast", "=2"):
        with pytest.raises(ValueError, match="OPERATION=N"):
            parse_qps(bad)


@pytest.mark.skipif(supports_qps(), reason="this fake takes per-operation limits")
def test_qps_is_refused_rather_than_ignored_by_a_fake_without_limits() -> None:
    err = io.StringIO()
    assert _cli.main(["fake", "--qps", "uploadAsyncResult=1"], stdout=io.StringIO(), stderr=err) != 0
    assert "per-operation rate limits" in err.getvalue()


def test_an_unknown_endpoint_is_refused_before_anything_listens() -> None:
    err = io.StringIO()
    assert _cli.main(["fake", "--faults", "nope=drop"], stdout=io.StringIO(), stderr=err) != 0
    assert "endpoint must be one of" in err.getvalue()


class Running:
    def __init__(self, info: dict[str, str]) -> None:
        self.url = info["url"]
        self.client_id = info["clientID"]
        self.client_secret = info["clientSecret"]
        self.admin = {"Authorization": f"Bearer {info['adminKey']}"}
        self.http = loopback.client(self.url, timeout=10)

    def token(self) -> str:
        body = {"clientID": self.client_id, "clientSecret": self.client_secret}
        reply = self.http.post("/api/v1/access_token", headers=PLATFORM, json=body).json()
        assert reply["code"] == 0, reply
        return str(reply["data"]["accessToken"])

    def poll(self, token: str, pid: str) -> dict[str, object]:
        headers = {**PLATFORM, "Authorization": f"Bearer {token}"}
        reply: dict[str, object] = self.http.post(POLL, headers=headers, json={"preuploadID": pid}).json()
        return reply


def start(*argv: str) -> Iterator[Running]:
    """Run `pan123-oss fake --json ARGV` in a thread; yields once it printed where it listens."""
    args = _parser.build().parse_args(["fake", "--json", *argv])
    out, err, stop = io.StringIO(), io.StringIO(), threading.Event()
    thread = threading.Thread(target=_fake.run, args=(args, out, err), kwargs={"stop": stop}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not out.getvalue().endswith("\n"):
        assert thread.is_alive() and time.monotonic() < deadline, err.getvalue()
        time.sleep(0.01)
    running = Running(json.loads(out.getvalue()))
    try:
        yield running
    finally:
        running.http.close()
        stop.set()
        thread.join(timeout=10)
        assert not thread.is_alive()


@pytest.fixture
def fake_server() -> Iterator[Running]:
    yield from start("--faults", "upload_async_result=code:429", "--pending-polls", "1", "--spec", str(SPEC_PATH))


def test_it_prints_where_it_listens_and_the_test_credentials(fake_server: Running) -> None:
    assert fake_server.url.startswith("http://127.0.0.1:")
    assert (fake_server.client_id, fake_server.client_secret) == ("fake-client-id", "fake-client-secret")
    fake_server.token()  # the printed credentials work


def test_flags_script_faults_and_pending_polls(fake_server: Running) -> None:
    token = fake_server.token()
    pid = fake_server.http.post("/_fake/uploads", headers=fake_server.admin, json={}).json()["preuploadID"]
    codes = [fake_server.poll(token, pid) for _ in range(3)]
    assert codes[0]["code"] == 429  # --faults
    assert [(r["code"], r["data"]) for r in codes[1:]] == [
        (0, {"completed": False, "fileID": ""}),  # --pending-polls 1
        (0, {"completed": True, "fileID": codes[2]["data"]["fileID"]}),  # type: ignore[index]
    ]


def test_the_admin_api_scripts_faults_settings_and_reports_requests(fake_server: Running) -> None:
    http, admin = fake_server.http, fake_server.admin
    token = fake_server.token()
    assert http.post("/_fake/settings", headers=admin, json={"pendingPolls": 3}).json()["pendingPolls"] == 3
    pid = http.post("/_fake/uploads", headers=admin, json={"pendingPolls": 0, "fileID": "f-7"}).json()["preuploadID"]
    scripted = http.post(
        "/_fake/script", headers=admin, json={"endpoint": "uploadAsyncResult", "faults": ["code:20103"]}
    )
    assert scripted.json() == {"scripted": 1}
    assert fake_server.poll(token, "x")["code"] == 429  # the --faults fault comes first
    assert fake_server.poll(token, pid)["code"] == 20103
    assert fake_server.poll(token, pid)["data"] == {"completed": True, "fileID": "f-7"}
    assert http.post("/_fake/expire-tokens", headers=admin).status_code == 200
    assert fake_server.poll(token, pid)["code"] == 401
    seen = http.get("/_fake/requests", headers=admin).json()
    assert [(r["path"], r["code"]) for r in seen if r["path"] == POLL] == [
        (POLL, 429),
        (POLL, 20103),
        (POLL, 0),
        (POLL, 401),
    ]
    assert [r["preuploadID"] for r in seen if r["path"] == POLL][1:] == [pid, pid, pid]
    assert http.get("/_fake/violations", headers=admin).json() == []
    http.post("/api/v1/access_token", headers=PLATFORM, json={"clientID": 7})  # breaks the spec on purpose
    assert any("clientID" in line for line in http.get("/_fake/violations", headers=admin).json())


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer wrong"}, 401),
        ({"Origin": "http://evil.example"}, 403),
        ({"Host": "evil.example"}, 403),
    ],
    ids=["no-key", "wrong-key", "cross-origin", "foreign-host"],
)
def test_the_admin_api_refuses_strangers(fake_server: Running, headers: dict[str, str], status: int) -> None:
    use = {**fake_server.admin, **headers} if "Authorization" not in headers and headers else headers
    reply = fake_server.http.post("/_fake/uploads", headers=use, json={})
    assert reply.status_code == status
    assert "preuploadID" not in reply.json()


def test_bad_admin_requests_say_what_is_wrong(fake_server: Running) -> None:
    http, admin = fake_server.http, fake_server.admin
    assert http.post("/_fake/settings", headers=admin, json={"pendingPolls": -1}).status_code == 400
    assert http.post("/_fake/script", headers=admin, json={"endpoint": "create", "faults": ["boom"]}).status_code == 400
    assert http.post("/_fake/script", headers=admin, content=b"[1]").status_code == 400
    assert http.post("/_fake/nothing", headers=admin, json={}).status_code == 404
    assert http.get("/_fake/uploads", headers=admin).status_code == 405


def test_the_python_client_uploads_end_to_end_against_it(tmp_path: Path) -> None:
    picture = tmp_path / "cat.png"
    picture.write_bytes(b"\x89PNG fake picture " * 1000)
    for running in start("--pending-polls", "0"):
        with pan123_oss.Client(
            client_id=running.client_id, client_secret=running.client_secret, base_url=running.url,
            token_store=None,
        ) as client:  # fmt: skip
            result = client.upload_file(picture)
        detail = running.http.get(
            "/api/v1/oss/file/detail", params={"fileID": result.file_id},
            headers={**PLATFORM, "Authorization": f"Bearer {running.token()}"},
        ).json()  # fmt: skip
        assert detail["data"]["size"] == picture.stat().st_size


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--pending-polls", "-1"], "--pending-polls must be 0 or more"),
        (["--port", "70000"], "--port must be 0 to 65535"),
        (["--admin-key", ""], "the admin key must not be empty"),
    ],
)
def test_bad_options_are_refused_before_anything_listens(argv: list[str], message: str) -> None:
    err = io.StringIO()
    assert _cli.main(["fake", *argv], stdout=io.StringIO(), stderr=err) == 2
    assert message in err.getvalue()
