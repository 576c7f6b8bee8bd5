"""`pan123-oss serve`: a PicGo-Server-compatible upload endpoint, so that Obsidian's image auto upload plugin,
PicGo and PicList clients, ShareX, uPic and scripts can upload through pan123-oss without PicGo.

    POST /upload  {"list": ["/path/a.png", ...]}   (or multipart/form-data with file parts, such as `list`)
    -> {"success": true, "result": ["https://...a.png", ...]}   or   {"success": false, "message": "..."}
    GET or POST /heartbeat  -> {"success": true, "result": "alive"}   (PicGo's liveness check; needs no key)

It hands local files to the internet on request, so it is careful about who may ask. It listens on loopback
unless given another host together with a long key. Every request must name this server in its Host header
(a DNS-rebinding page names its own host: 421). A request with a browser `Origin` that is not allow-listed gets
403, so a web page cannot make the browser post to it. With a key, a request carrying none of the places
PicGo and PicList clients put it (`Authorization: Bearer`, `X-PicGo-Secret`, `?secret=`, `?key=`) gets 401 and
uploads nothing; only `/heartbeat` is exempt. Without a key, a JSON body must say `application/json`, which a
browser cannot send cross-origin without asking first.

The `Upload` it is given checks a list whole before the first upload, so a list with one bad member stores
nothing. Memory per request is bounded (multipart files stream to temporary files, see `_form.py`), and so are
connections, threads and every read (see `_listener.py` and `ServeLimits`). Every failure is a JSON reply.
"""

from __future__ import annotations

import contextlib
import hmac
import ipaddress
import json
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from .._errors import Pan123Error, printable
from .._policy import ServeLimits
from ._form import FormError, close_all, read_files
from ._listener import CHUNK, BoundedHandler, BoundedServer

DEFAULT_PORT = 36677
"""PicGo-Server's port: clients configured for PicGo find pan123-oss there."""
DEFAULT_ORIGINS = ("app://obsidian.md",)
"""Browser-like origins allowed by default: the Obsidian app's own. Requests with no Origin (curl, ShareX,
Typora, Obsidian's requestUrl) are not from a web page and need no allow-listing."""
CLIPBOARD = (
    'nothing to upload: send {"list": [paths]} or the files themselves (multipart); pan123-oss serve cannot '
    "read a clipboard (in Obsidian's image auto upload plugin, turn on remote server mode)"
)
MIN_KEY = 16
"""The shortest key accepted for a server others can reach: a short one is guessed by trying."""
MIN_BODY_RATE = 64 * 1024
"""Bytes per second a body must average, past one `read_timeout`, for its reading to go on."""
ROUTES = "POST /upload, GET or POST /heartbeat"

Upload = Callable[[list[tuple[str, Any]]], list[str]]
"""Uploads (filename or path, source) pairs and returns their links, in order; raises on any failure. A source
is a local `Path` (from a JSON list) or an open temporary file (a multipart part)."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_host(host: str, key: str | None) -> None:
    if is_loopback(host):
        return
    if not key:
        raise ValueError(
            f"serving on {host} hands your files to anyone who can reach it: pass --key (or set "
            "PAN123_SERVE_KEY) too, or keep the default 127.0.0.1"
        )
    if len(key) < MIN_KEY:
        raise ValueError(
            f"serving on {host} needs a key of at least {MIN_KEY} characters (this one has {len(key)}): one that "
            "short is found by trying. Make one with: python -c 'import secrets; print(secrets.token_urlsafe(24))'"
        )


class _Refused(Exception):
    """A request answered with `status` and a JSON failure; raised anywhere in a handler."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class PicGoServer(BoundedServer):
    def __init__(
        self,
        address: tuple[str, int],
        upload: Upload,
        *,
        key: str | None,
        origins: Sequence[str],
        log: TextIO,
        limits: ServeLimits | None = None,
    ) -> None:
        check_host(address[0], key)
        self.upload = upload
        self.key = key
        self.origins = frozenset(origin.rstrip("/") for origin in origins)
        self.log = log
        self.log_lock = threading.Lock()
        super().__init__(address, _Handler, limits or ServeLimits())

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = str(host)
        return f"http://{f'[{host}]' if ':' in host else host}:{port}"

    def hosts(self) -> frozenset[str]:
        """The Host headers that name this server: its address, and loopback's names when it listens there."""
        host, port = str(self.server_address[0]), self.server_address[1]
        names = {host, f"[{host}]"}
        if is_loopback(host):
            names |= {"localhost", "127.0.0.1", "[::1]"}
        return frozenset(f"{name}:{port}".lower() for name in names)

    def host_allowed(self, header: str | None) -> bool:
        if header is None:
            return True  # not a browser: every browser sends Host, and rebinding needs one
        value = header.strip().lower()
        if ":" not in value.rsplit("]", 1)[-1]:
            value += ":80"
        if value in self.hosts():
            return True
        # Bound to every address: any IP literal with our port (a rebinding page's Host is a name).
        name, _, port = value.rpartition(":")
        wildcard = str(self.server_address[0]) in ("0.0.0.0", "::")  # noqa: S104 - compared, not bound
        return wildcard and port == str(self.server_address[1]) and _is_ip(name.strip("[]"))

    def say(self, line: str) -> None:
        with self.log_lock:
            self.log.write(f"pan123-oss serve: {printable(line)}\n")
            self.log.flush()

    def handle_failure(self, exc: Exception) -> None:
        self.say(f"a request failed: {type(exc).__name__}: {exc}")


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


class _Handler(BoundedHandler):
    server: PicGoServer

    def do_GET(self) -> None:
        self._answer(self._get)

    def do_POST(self) -> None:
        self._answer(self._post)

    def do_OPTIONS(self) -> None:
        self._answer(self._preflight)

    def do_PUT(self) -> None:
        self._answer(self._not_allowed)

    do_DELETE = do_PATCH = do_HEAD = do_PUT

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # http.server's own refusals (a bad request line, an unsupported method) in the JSON clients read.
        self.close_connection = True
        with contextlib.suppress(OSError):
            self._send(code, _failure(message or self.responses.get(code, ("error",))[0]))

    def log_message(self, format: str, *args: Any) -> None:
        pass  # one line per upload from `say` instead of one per request

    def _answer(self, route: Callable[[], tuple[int, dict[str, Any]] | None]) -> None:
        """Run `route`; whatever it raises becomes a JSON reply, never a dropped connection and a traceback."""
        try:
            reply = route()
            if reply is None:
                return  # it answered itself
            status, body = reply
        except _Refused as refusal:
            status, body = refusal.status, _failure(refusal.message)
        except Exception as exc:
            self.server.say(f"internal error: {type(exc).__name__}: {exc}")
            status, body = 500, _failure(f"internal error: {type(exc).__name__}: {printable(str(exc))}")
        with contextlib.suppress(OSError):  # the client left before its answer
            self._send(status, body)

    def _send(self, status: int, body: dict[str, Any]) -> None:
        content = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(content)))
        self.send_header("Connection", "close")
        origin = self.headers.get("Origin") if hasattr(self, "headers") else None
        if origin is not None and origin.rstrip("/") in self.server.origins:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Vary", "Origin")
        self.end_headers()
        self.wfile.write(content)

    def _route(self) -> str:
        return urllib.parse.urlsplit(self.path).path.rstrip("/")

    def _not_allowed(self) -> tuple[int, dict[str, Any]]:
        raise _Refused(405, f"{self.command} is not served here: {ROUTES}")

    def _checked(self, *, need_key: bool) -> None:
        """Host, Origin, and (unless `need_key` is False) the key: a `_Refused` for the first that fails."""
        host = self.headers.get("Host")
        if not self.server.host_allowed(host):
            raise _Refused(421, f"this server is not {printable(host or '')}: use {self.server.url}")
        origin = self.headers.get("Origin")
        if origin is not None and origin.rstrip("/") not in self.server.origins:
            raise _Refused(403, f"origin {printable(origin)} is not allowed (start serve with --allow-origin ORIGIN)")
        if need_key and self.server.key is not None and not self._has_key(self.server.key.encode()):
            raise _Refused(401, "a key is required: add ?key=... to the URL, or send Authorization: Bearer ...")

    def _has_key(self, key: bytes) -> bool:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        offered = [*query.get("key", []), *query.get("secret", []), self.headers.get("X-PicGo-Secret", "")]
        scheme, _, token = self.headers.get("Authorization", "").strip().partition(" ")
        if scheme.lower() == "bearer":
            offered.append(token.strip())
        # Every candidate compared in constant time, and all of them, so timing tells nothing of which was close.
        matches = [hmac.compare_digest(value.encode(), key) for value in offered if value]
        return any(matches)

    def _preflight(self) -> None:
        # A CORS preflight from an allow-listed origin only; anything else gets the 403 of `_checked`.
        self._checked(need_key=False)
        self.close_connection = True
        self.send_response(204)
        origin = self.headers.get("Origin")
        if origin is not None:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Access-Control-Allow-Methods", "POST, GET")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Authorization, X-PicGo-Secret")
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "close")
        self.end_headers()

    def _get(self) -> tuple[int, dict[str, Any]]:
        if self._route() != "/heartbeat":
            raise _Refused(404, f"not found: {ROUTES}")
        self._checked(need_key=False)
        return 200, {"success": True, "result": "alive"}

    def _post(self) -> tuple[int, dict[str, Any]]:
        if self._route() == "/heartbeat":
            return self._get()  # PicGo's own check is a POST, sent without the key
        if self._route() != "/upload":
            raise _Refused(404, f"not found: {ROUTES}")
        self._checked(need_key=True)
        limits = self.server.limits
        kind = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            raise _Refused(411, "send the body with a Content-Length, not chunked")
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            raise _Refused(400, "Content-Length is not a number") from None
        if length < 0:
            raise _Refused(400, "Content-Length is negative")
        if kind == "multipart/form-data":
            if length > limits.max_body:
                raise _Refused(413, f"the body is {length} bytes, over the limit of {limits.max_body} (--max-size)")
            try:
                files: list[tuple[str, Any]] = list(read_files(
                    self.headers["Content-Type"], self._body(length), max_parts=limits.max_parts
                ))  # fmt: skip
            except FormError as exc:
                return 200, _failure(str(exc))  # PicGo's clients read `success`: a bad list is a failure
            try:
                return self._upload(files)
            finally:
                close_all(files)
        if length == 0:
            # PicGo's "upload the clipboard" request, as Obsidian's plugin sends it for a paste outside its
            # remote server mode. A server has no clipboard to read; say what to turn on instead.
            return 200, _failure(CLIPBOARD)
        if kind != "application/json" and (self.server.key is None or kind not in ("", "text/plain")):
            # PicGo-Server reads JSON whatever the type says; so do we, when the key proved who is asking.
            raise _Refused(415, 'send JSON {"list": [paths]} as application/json, or multipart/form-data files')
        if length > limits.max_json:
            raise _Refused(413, f"a JSON body is at most {limits.max_json} bytes (a list of paths), got {length}")
        try:
            paths = [Path(path) for path in _paths_from_json(b"".join(self._body(length)))]
        except ValueError as exc:
            return 200, _failure(str(exc))
        return self._upload([(str(path), path) for path in paths])

    def _upload(self, files: list[tuple[str, Any]]) -> tuple[int, dict[str, Any]]:
        try:
            links = self.server.upload(files)
        except (Pan123Error, ValueError, OSError) as exc:
            self.server.say(f"upload failed: {exc}")
            return 200, _failure(str(exc))
        self.server.say(f"uploaded {len(links)} file{'s' if len(links) != 1 else ''}")
        return 200, {"success": True, "result": links}

    def _body(self, length: int) -> Iterator[bytes]:
        """The body in chunks: each read within `read_timeout` (the socket's), the whole at `MIN_BODY_RATE`."""
        limits = self.server.limits
        deadline = time.monotonic() + limits.read_timeout + length / MIN_BODY_RATE
        left = length
        while left:
            try:
                chunk = self.rfile.read1(min(CHUNK, left))
            except TimeoutError:
                raise _Refused(408, f"the body stopped arriving ({length - left} of {length} bytes)") from None
            if not chunk:
                raise _Refused(400, f"the body ended after {length - left} of {length} bytes")
            left -= len(chunk)
            yield chunk
            if time.monotonic() > deadline:
                raise _Refused(408, f"the body is arriving too slowly ({length - left} of {length} bytes)")


def _failure(message: str) -> dict[str, Any]:
    # PicGo answers `message`; PicList and the clients that follow it read `msg`.
    return {"success": False, "message": message, "msg": message}


def _paths_from_json(body: bytes) -> list[str]:
    try:
        data = json.loads(body) if body.strip() else {}
    except (ValueError, RecursionError):
        raise ValueError("the body is not JSON") from None
    paths = data.get("list") if isinstance(data, dict) else None
    if not paths:
        # PicGo uploads its clipboard on an empty request; a server has no clipboard to read.
        raise ValueError(CLIPBOARD)
    if not isinstance(paths, list) or not all(isinstance(p, str) and p for p in paths):
        raise ValueError('"list" must be a list of file paths')
    return paths
