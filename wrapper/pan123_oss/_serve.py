"""`pan123-oss serve`: a PicGo-Server-compatible upload endpoint, so that Obsidian's image auto upload plugin,
ShareX, uPic and scripts can upload through pan123-oss without PicGo.

    POST /upload  {"list": ["/path/a.png", ...]}   (or multipart/form-data with file parts, such as `files`)
    -> {"success": true, "result": ["https://...a.png", ...]}   or   {"success": false, "message": "..."}

It hands local files to the internet on request, so it is careful about who may ask: it listens on loopback
unless given another host together with a key; with a key, a request without `?key=` or a matching
`Authorization: Bearer` gets 401 and uploads nothing; a request with a browser `Origin` that is not
allow-listed gets 403, so a web page cannot make the browser post to it; and only JSON or multipart bodies
are read (415 otherwise), which keeps out the "simple" requests a page may send without asking.
"""

from __future__ import annotations

import email.parser
import email.policy
import hmac
import io
import ipaddress
import json
import posixpath
import threading
import urllib.parse
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TextIO, TypeVar

from ._errors import Pan123Error
from ._source import check_filename
from ._sync_client import Client
from ._types import FileInfo, UploadResult

DEFAULT_PORT = 36677
"""PicGo-Server's port: clients configured for PicGo find pan123-oss there."""
DEFAULT_ORIGINS = ("app://obsidian.md",)
"""Browser-like origins allowed by default: the Obsidian app's own. Requests with no Origin (curl, ShareX,
Typora, Obsidian's requestUrl) are not from a web page and need no allow-listing."""
CLIPBOARD = (
    'nothing to upload: send {"list": [paths]} or the files themselves (multipart); pan123-oss serve cannot '
    "read a clipboard (in Obsidian's image auto upload plugin, turn on remote server mode)"
)
MAX_BODY = 200 * (1 << 20)
"""The largest request body read, multipart uploads included."""

Upload = Callable[[list[tuple[str, Any]]], list[str]]
"""Uploads (filename or path, source) pairs and returns their links, in order; raises on any failure."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_host(host: str, key: str | None) -> None:
    if not is_loopback(host) and not key:
        raise ValueError(
            f"serving on {host} hands your files to anyone who can reach it: pass --key (or set "
            "PAN123_SERVE_KEY) too, or keep the default 127.0.0.1"
        )


class PicGoServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], upload: Upload, *, key: str | None, origins: Sequence[str], log: TextIO
    ) -> None:
        check_host(address[0], key)
        self.upload = upload
        self.key = key
        self.origins = frozenset(origin.rstrip("/") for origin in origins)
        self.log = log
        self.log_lock = threading.Lock()
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = str(host)
        return f"http://{f'[{host}]' if ':' in host else host}:{port}"


class _Handler(BaseHTTPRequestHandler):
    server: PicGoServer
    protocol_version = "HTTP/1.1"

    def _send(self, status: int, body: dict[str, Any]) -> None:
        content = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(content)))
        origin = self.headers.get("Origin")
        if origin is not None and origin.rstrip("/") in self.server.origins:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Vary", "Origin")
        self.end_headers()
        self.wfile.write(content)

    def _refuse(self, status: int, message: str) -> None:
        self.close_connection = True  # the body, if any, was not read
        self._send(status, _failure(message))

    def _checked(self) -> bool:
        """Origin and key; False once a refusal was sent."""
        origin = self.headers.get("Origin")
        if origin is not None and origin.rstrip("/") not in self.server.origins:
            self._refuse(403, f"origin {origin} is not allowed (start serve with --allow-origin {origin})")
            return False
        if self.server.key is not None:
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
            given = query.get("key", [""])[0]
            auth = self.headers.get("Authorization", "")
            if auth.startswith("Bearer "):
                given = given or auth.removeprefix("Bearer ")
            if not hmac.compare_digest(given.encode(), self.server.key.encode()):
                self._refuse(401, "a key is required: add ?key=... to the URL, or send Authorization: Bearer ...")
                return False
        return True

    def do_OPTIONS(self) -> None:
        # A CORS preflight from an allow-listed origin only; anything else gets the 403 of `_checked`.
        if not self._checked():
            return
        self.send_response(204)
        origin = self.headers.get("Origin")
        if origin is not None:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Access-Control-Allow-Methods", "POST, GET")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Authorization")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        if urllib.parse.urlsplit(self.path).path.rstrip("/") != "/heartbeat":
            self._refuse(404, "not found: POST /upload, GET /heartbeat")
            return
        if self._checked():
            self._send(200, {"success": True, "result": "alive"})

    def do_POST(self) -> None:
        if urllib.parse.urlsplit(self.path).path.rstrip("/") != "/upload":
            self._refuse(404, "not found: POST /upload, GET /heartbeat")
            return
        if not self._checked():
            return
        kind = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if not kind and self.headers.get("Content-Length", "0") == "0":
            # PicGo's "upload the clipboard" request, as Obsidian's plugin sends it for a paste outside its
            # remote server mode. A server has no clipboard to read; say what to turn on instead.
            self._send(200, _failure(CLIPBOARD))
            return
        if kind not in ("application/json", "multipart/form-data"):
            self._refuse(415, 'send JSON {"list": [paths]} or multipart/form-data with the files')
            return
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self._refuse(411, "Content-Length is required")
            return
        if not 0 <= length <= MAX_BODY:
            self._refuse(413, f"the body is larger than {MAX_BODY} bytes")
            return
        body = self.rfile.read(length)
        try:
            files = _from_json(body) if kind == "application/json" else _from_multipart(self.headers, body)
        except ValueError as exc:  # PicGo's clients read `success`, so a bad list is answered like a failure
            self._send(200, _failure(str(exc)))
            return
        try:
            links = self.server.upload(files)
        except (Pan123Error, ValueError, OSError) as exc:
            self._log(f"upload failed: {exc}")
            self._send(200, _failure(str(exc)))
            return
        self._log(f"uploaded {len(links)} file{'s' if len(links) != 1 else ''}")
        self._send(200, {"success": True, "result": links})

    def _log(self, line: str) -> None:
        with self.server.log_lock:
            self.server.log.write(f"pan123-oss serve: {line}\n")
            self.server.log.flush()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # one line per upload from `_log` instead of one per request


def _failure(message: str) -> dict[str, Any]:
    # PicGo answers `message`; PicList and the clients that follow it read `msg`.
    return {"success": False, "message": message, "msg": message}


def _from_json(body: bytes) -> list[tuple[str, Any]]:
    try:
        data = json.loads(body) if body.strip() else {}
    except ValueError:
        raise ValueError("the body is not JSON") from None
    paths = data.get("list") if isinstance(data, dict) else None
    if not paths:
        # PicGo uploads its clipboard on an empty request; a server has no clipboard to read.
        raise ValueError(CLIPBOARD)
    if not isinstance(paths, list) or not all(isinstance(p, str) and p for p in paths):
        raise ValueError('"list" must be a list of file paths')
    missing = [path for path in paths if not Path(path).is_file()]
    if missing:  # checked before any upload starts, so that a bad list uploads nothing
        raise ValueError(f"{missing[0]}: no such file")
    return [(path, Path(path)) for path in paths]


def _from_multipart(headers: Any, body: bytes) -> list[tuple[str, Any]]:
    head = f"Content-Type: {headers.get('Content-Type')}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise ValueError("the multipart body could not be read")
    files: list[tuple[str, Any]] = []
    for part in message.walk():
        filename = part.get_filename()
        if part.is_multipart() or not filename:
            continue  # the envelope, or a plain form field
        name = check_filename(posixpath.basename(filename.replace("\\", "/")))
        data = part.get_payload(decode=True)
        files.append((name, io.BytesIO(data if isinstance(data, bytes) else b"")))
    if not files:
        raise ValueError("no file parts in the multipart body (send each file as a part with a filename)")
    return files


Stored = TypeVar("Stored", UploadResult, FileInfo)


def accepted(stored: Stored) -> Stored:
    """`stored`, unless review rejected it: then its link serves nothing, and a link is what was asked for."""
    if stored.rejected:
        raise Pan123Error(f"rejected by review (status {stored.status}); file ID {stored.file_id}")
    return stored


def uploader(client: Client, *, folder: str | None, render: Callable[[Any], str], jobs: int) -> Upload:
    """Uploads for `serve`: concurrently, into `folder`, each rendered as one link; any failure fails the request,
    with an error naming the file."""
    import concurrent.futures

    def one(item: tuple[str, Any]) -> str:
        label, source = item
        if isinstance(source, Path):
            result = client.upload_file(source, folder=folder)
        else:
            result = client.upload_file(source, filename=label, folder=folder)
        return render(accepted(result))

    def upload(files: list[tuple[str, Any]]) -> list[str]:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, min(jobs, len(files)))) as pool:
            futures = [pool.submit(one, item) for item in files]
            for (label, _), future in zip(files, futures, strict=True):
                error = future.exception()
                if error is not None:
                    raise Pan123Error(f"{label}: {error}") from error
            return [future.result() for future in futures]

    return upload
