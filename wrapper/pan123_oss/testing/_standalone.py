"""`pan123-oss fake`: the fake 123pan as a standalone server, for tests written in any language.

It is `FakePan123` on a socket, plus a small admin API under `/_fake/` so that a Go or Java test can script
what the Python tests script in process. The admin API takes JSON, answers JSON, and refuses any request
without `Authorization: Bearer <admin key>` (printed at start), with an `Origin` header (a browser page) or
with a `Host` other than the address served (DNS rebinding):

- `POST /_fake/script` `{"endpoint": "upload_async_result", "faults": ["code:429", "http:502", "drop"]}`:
  the next requests to that endpoint misbehave, one fault each (see `parse_fault` for the forms).
- `POST /_fake/settings` `{"pendingPolls": 3, "pendingSeconds": 0}`: how many polls (and seconds) every
  upload completed from now on stays pending.
- `POST /_fake/uploads` `{"pendingPolls": 2, "fileID": "f-1", "failCode": null}`: an upload waiting to be
  merged, without sending any slice; answers `{"preuploadID": ...}` to poll `upload_async_result` with.
- `POST /_fake/expire-tokens`: every token issued so far stops working.
- `GET /_fake/requests`: what the fake received: `[{"time", "method", "path", "code", "preuploadID"}]`.
- `GET /_fake/violations`: with `--spec`, where requests and replies broke openapi.yaml (a list of lines).
"""

from __future__ import annotations

import contextlib
import dataclasses
import inspect
import json
import secrets
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from ._fake import FakePan123
from ._faults import Fault
from ._messages import FakeReply, lowered

ADMIN_PREFIX = "/_fake/"

_FAULT_FORMS: dict[str, Callable[[str], Fault]] = {
    "code": lambda arg: Fault.code_reply(int(arg)),
    "http": lambda arg: Fault.http(int(arg or 502)),
    "html": lambda arg: Fault.html(),
    "malformed": lambda arg: Fault.malformed(),
    "drop": lambda arg: Fault.drop(),
    "slow": lambda arg: Fault.slow(float(arg)),
    "trickle": lambda arg: Fault.trickle(float(arg or 0.2)),
    "huge": lambda arg: Fault.huge(),
    "expire": lambda arg: Fault.expire_tokens(),
    "damage": lambda arg: Fault.damage(),
    "short": lambda arg: Fault.short(),
}
FAULT_FORMS = tuple(sorted(_FAULT_FORMS))
"""The fault names `parse_fault` takes."""


def parse_fault(text: str) -> Fault:
    """One fault from its command-line form: `code:429`, `http:502`, `html`, `malformed`, `drop`, `slow:3`,
    `trickle:0.2`, `huge`, `expire` (tokens), and for slice PUTs `damage` and `short`."""
    name, _, arg = text.strip().partition(":")
    form = _FAULT_FORMS.get(name)
    if form is None:
        raise ValueError(f"unknown fault {text!r}: use one of {', '.join(FAULT_FORMS)} (e.g. code:429, slow:3)")
    try:
        return form(arg)
    except ValueError:
        raise ValueError(f"fault {text!r}: {name} takes a number, as in {name}:3") from None


def parse_faults(text: str) -> tuple[str, list[Fault]]:
    """`ENDPOINT=FAULT,FAULT...` (as `--faults` takes it) → the endpoint and its faults, in order."""
    endpoint, sep, faults = text.partition("=")
    if not sep or not endpoint.strip() or not faults.strip():
        raise ValueError(
            f"--faults wants ENDPOINT=FAULT[,FAULT...], e.g. upload_async_result=code:429,drop; got {text!r}"
        )
    return endpoint.strip(), [parse_fault(part) for part in faults.split(",")]


def parse_qps(text: str) -> tuple[str, float]:
    """`OPERATION=N` (as `--qps` takes it) → the operation and its requests a second."""
    operation, sep, value = text.partition("=")
    try:
        qps = float(value)
    except ValueError:
        qps = 0.0
    if not sep or not operation.strip() or not qps > 0:
        raise ValueError(
            f"--qps wants OPERATION=N with N > 0 requests a second, e.g. uploadAsyncResult=1; got {text!r}"
        )
    return operation.strip(), qps


def supports_qps() -> bool:
    """Whether this version of `FakePan123` takes per-operation rate limits (`qps=`)."""
    return "qps" in inspect.signature(FakePan123.__init__).parameters


def _json_reply(status: int, value: Any) -> FakeReply:
    return FakeReply(status, json.dumps(value, ensure_ascii=False).encode(), scripted=True)


class StandaloneFake(FakePan123):
    """A `FakePan123` whose socket also serves the admin API under `/_fake/` (see the module docstring)."""

    def __init__(self, *, admin_key: str, **options: Any) -> None:
        super().__init__(**options)
        if not admin_key:
            raise ValueError("the admin key must not be empty")
        self.admin_key = admin_key
        self.served_hosts: frozenset[str] = frozenset()
        """The `Host` values the admin API accepts: the address served, set by `serve_forever`."""

    def handle(
        self,
        method: str,
        path: str,
        headers: Mapping[str, str],
        body: bytes,
        *,
        query: str = "",
        origin: str = "http://fake-123pan.invalid",
    ) -> FakeReply:
        if not path.startswith(ADMIN_PREFIX):
            return super().handle(method, path, headers, body, query=query, origin=origin)
        refused = self._refusal(lowered(headers))
        if refused is not None:
            return refused
        try:
            parsed: Any = json.loads(body) if body else {}
            if not isinstance(parsed, dict):
                raise ValueError("the body must be a JSON object")
            return self._admin(method, path.removeprefix(ADMIN_PREFIX), parsed)
        except (ValueError, TypeError) as exc:
            return _json_reply(400, {"error": str(exc)})

    def _refusal(self, headers: Mapping[str, str]) -> FakeReply | None:
        if "origin" in headers:
            return _json_reply(403, {"error": "cross-origin requests are refused"})
        if headers.get("host", "") not in self.served_hosts:
            return _json_reply(403, {"error": "unknown Host"})
        given = headers.get("authorization", "").removeprefix("Bearer ")
        if not secrets.compare_digest(given.encode(), self.admin_key.encode()):
            return _json_reply(401, {"error": "send Authorization: Bearer <admin key>"})
        return None

    def _admin(self, method: str, action: str, body: Mapping[str, Any]) -> FakeReply:
        if (method, action) == ("GET", "requests"):
            with self._lock:
                seen = [
                    {"time": r.time, "method": r.method, "path": r.path, "code": r.code, "preuploadID": r.preupload_id}
                    for r in self.requests
                ]
            return _json_reply(200, seen)
        if (method, action) == ("GET", "violations"):
            with self._lock:
                return _json_reply(200, list(self.violations))
        if method != "POST":
            return _json_reply(405, {"error": "use POST (GET only for /_fake/requests and /_fake/violations)"})
        if action == "script":
            faults = body.get("faults")
            if not isinstance(faults, list) or not all(isinstance(f, str) for f in faults):
                raise ValueError('"faults" must be a list of strings such as "code:429"')
            self.script(str(body.get("endpoint")), *(parse_fault(f) for f in faults))
            return _json_reply(200, {"scripted": len(faults)})
        if action == "settings":
            with self._lock:
                if "pendingPolls" in body:
                    self.pending_polls = _count(body["pendingPolls"], "pendingPolls")
                if "pendingSeconds" in body:
                    self.pending_seconds = _seconds(body["pendingSeconds"], "pendingSeconds")
                current = {"pendingPolls": self.pending_polls, "pendingSeconds": self.pending_seconds}
            return _json_reply(200, current)
        if action == "uploads":
            fail = body.get("failCode")
            pid = self.add_upload(
                file_id=body.get("fileID") or None,
                pending_polls=_count(body["pendingPolls"], "pendingPolls") if "pendingPolls" in body else None,
                fail_code=None if fail is None else _count(fail, "failCode"),
            )
            return _json_reply(200, {"preuploadID": pid})
        if action == "expire-tokens":
            self.expire_tokens()
            return _json_reply(200, {"expired": True})
        return _json_reply(404, {"error": f"no admin action {action!r}"})


def _count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a whole number of 0 or more")
    return value


def _seconds(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise ValueError(f"{name} must be a number of seconds, 0 or more")
    return float(value)


@dataclasses.dataclass(frozen=True, slots=True)
class Served:
    """What a test needs to talk to the running fake."""

    url: str
    client_id: str
    client_secret: str
    admin_key: str

    def as_json(self) -> dict[str, str]:
        return {
            "url": self.url,
            "clientID": self.client_id,
            "clientSecret": self.client_secret,
            "adminKey": self.admin_key,
        }


def make_fake(
    *, admin_key: str | None = None, faults: Sequence[str] = (), qps: Sequence[str] = (), **options: Any
) -> StandaloneFake:
    """The fake the command serves; bad `faults` or `qps` raise ValueError before anything listens."""
    scripted = [parse_faults(text) for text in faults]
    limits = dict(parse_qps(text) for text in qps)
    if limits:
        if not supports_qps():
            raise ValueError("--qps: this version of the fake has no per-operation rate limits")
        options["qps"] = limits
    key = secrets.token_urlsafe(24) if admin_key is None else admin_key
    fake = StandaloneFake(admin_key=key, **options)
    for endpoint, endpoint_faults in scripted:
        fake.script(endpoint, *endpoint_faults)
    return fake


@contextlib.contextmanager
def serving(fake: StandaloneFake, host: str, port: int) -> Iterator[Served]:
    """Serve `fake` on host:port (0: any free port) until the block ends."""
    with fake.serve(host, port=port) as url:
        authority = url.removeprefix("http://")
        names = {authority}
        if host in ("127.0.0.1", "::1", "[::1]"):
            names.add(f"localhost:{authority.rsplit(':', 1)[1]}")
        fake.served_hosts = frozenset(names)
        yield Served(url, fake.client_id, fake.client_secret, fake.admin_key)


def run(served: Served, out: Any, *, as_json: bool, stop: threading.Event) -> None:
    """Print how to reach the fake, then wait until `stop` is set (Ctrl-C reaches the caller as usual)."""
    if as_json:
        out.write(json.dumps(served.as_json()) + "\n")
    else:
        out.write(
            f"{served.url}\n"
            f"  fake 123pan; base URL above (set PAN123_BASE_URL to it)\n"
            f"  client ID:     {served.client_id}\n"
            f"  client secret: {served.client_secret}\n"
            f"  admin key:     {served.admin_key}\n"
            f"  (the admin API: {served.url}{ADMIN_PREFIX}..., with Authorization: Bearer ADMIN_KEY)\n"
            "  Ctrl-C stops it.\n"
        )
    out.flush()
    while not stop.wait(0.5):  # short waits, so that Ctrl-C is seen promptly on every platform
        pass
