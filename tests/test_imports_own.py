"""import_url and copy_from_drive return the task's own files, not files someone else put in the folder while the
task ran; when they cannot be told apart, the error says so instead of guessing."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from conftest import MakeClient

import pan123_oss
from pan123_oss.testing import FakePan123

OFFLINE_PROCESS = "/api/v1/oss/offline/download/process"
COPY_PROCESS = "/api/v1/oss/source/copy/process"


class Meanwhile(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """The fake, where `act` runs (once) when the task's progress is first asked for: another user at work."""

    def __init__(self, fake: FakePan123, path: str, act: Callable[[], object]) -> None:
        self._inner = fake.transport()
        self._path = path
        self._act: Callable[[], object] | None = act

    def _maybe(self, request: httpx.Request) -> None:
        if request.url.path == self._path and self._act is not None:
            act, self._act = self._act, None
            act()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self._maybe(request)
        return self._inner.handle_request(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self._maybe(request)
        return await self._inner.handle_async_request(request)


def test_an_import_returns_its_own_file_not_one_added_meanwhile(make_client: MakeClient, fake: FakePan123) -> None:
    # Another user's file, named otherwise, lands in the folder while the task runs: the name tells them apart.
    fake.add_remote_file("https://example.com/cat.png", b"the task's bytes")

    def intrude() -> None:
        target = fake.oss.folder_named("shared", "")  # made by the import before its task started
        fake.add_file("someone-elses.png", b"not ours", target)

    client = make_client(transport=Meanwhile(fake, OFFLINE_PROCESS, intrude))
    info = client.call("import_url", "https://example.com/cat.png", folder="shared")
    assert info.filename == "cat.png" and fake.file_bytes(info.file_id) == b"the task's bytes"


def test_an_import_that_cannot_be_told_from_a_twin_says_so(make_client: MakeClient, fake: FakePan123) -> None:
    # A same-named file added meanwhile: the last one listed was returned, whichever user's it was.
    fake.add_remote_file("https://example.com/cat.png", b"the task's bytes")

    def twin() -> None:
        target = fake.oss.folder_named("shared", "")  # made by the import before its task started
        fake.add_file("cat.png", b"a twin of another user's", target)

    client = make_client(transport=Meanwhile(fake, OFFLINE_PROCESS, twin))
    with pytest.raises(pan123_oss.Pan123Error, match=r"2 files named 'cat.png' changed .* cannot be told"):
        client.call("import_url", "https://example.com/cat.png", folder="shared")


def test_a_copy_with_files_added_meanwhile_says_so_instead_of_returning_them(
    make_client: MakeClient, fake: FakePan123
) -> None:
    # The copies were "whatever is new in the folder", someone else's upload included.
    for n in range(2):
        fake.add_drive_file(str(700 + n), f"d{n}.png", f"drive {n}".encode())
    client = make_client(transport=Meanwhile(fake, COPY_PROCESS, lambda: fake.add_file("theirs.png", b"x")))
    with pytest.raises(pan123_oss.Pan123Error, match="copied 2 files, but 3 changed") as caught:
        client.call("copy_from_drive", ["700", "701"])
    assert caught.value.endpoint == "/api/v1/oss/file/list"


def test_a_copy_without_company_returns_exactly_its_files(make_client: MakeClient, fake: FakePan123) -> None:
    fake.add_file("before.png", b"already there")
    for n in range(2):
        fake.add_drive_file(str(800 + n), f"e{n}.png", f"drive {n}".encode())
    copies = make_client().call("copy_from_drive", ["800", "801"])
    assert sorted(f.filename for f in copies) == ["e0.png", "e1.png"]
