"""The checks at the edges, each message and boundary pinned: a batch's files and template, a multipart body,
a secret's file, the platform helpers (paths, private writes, locks, reads at an offset, the keyring, consoles)
and the `--qps` option with its status note."""

from __future__ import annotations

import argparse
import io
import os
import re
import stat
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from pan123_oss import _platform
from pan123_oss._cli import _formats
from pan123_oss._cli._batch import BatchError, check_file, check_files
from pan123_oss._cli._rates import parse_qps, qps_option, rate_note, report_throttled
from pan123_oss._policy import REPLACE_ATTEMPTS, REPLACE_RETRY_GAP
from pan123_oss._private import UnsafeFileError, read_private
from pan123_oss._serve._form import FormError, last_component, read_files

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes and owners")


# A batch.


def test_a_good_file_is_checked_with_its_name_and_size(tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(b"12345")
    checked = check_file(path)
    assert (checked.path, checked.name, checked.size) == (path, "a.png", 5)
    assert check_file(str(path), "b.png").name == "b.png"


def test_each_problem_with_a_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=rf"^{tmp_path}/no\.png: no such file$"):
        check_file(tmp_path / "no.png")
    (tmp_path / "link.png").symlink_to(tmp_path / "gone.png")
    with pytest.raises(FileNotFoundError, match=r"link\.png: a symbolic link to nothing$"):
        check_file(tmp_path / "link.png")
    with pytest.raises(IsADirectoryError, match=rf"^{tmp_path}: a directory, not a file$"):
        check_file(tmp_path)
    with pytest.raises(OSError, match=r"x+: cannot be read \(File name too long\)$") as caught:
        check_file(tmp_path / ("x" * 300))
    assert caught.value.errno is not None
    good = tmp_path / "a.png"
    good.write_bytes(b"a")
    with pytest.raises(ValueError, match=rf"^{good}: ") as bad_name:
        check_file(good, "a/b.png")
    assert type(bad_name.value) is ValueError


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_pipe_is_not_a_file(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(ValueError, match=r"pipe: not a regular file \(a pipe, device or socket cannot be uploaded\)$"):
        check_file(tmp_path / "pipe")


def test_a_batch_names_every_bad_file_and_counts_past_ten(tmp_path: Path) -> None:
    good = tmp_path / "a.png"
    good.write_bytes(b"a")
    assert [c.name for c in check_files([good, good])] == ["a.png", "a.png"]
    with pytest.raises(BatchError) as one:
        check_files([good, tmp_path / "x.png"])
    assert str(one.value) == f"{tmp_path / 'x.png'}: no such file"
    with pytest.raises(BatchError) as two:
        check_files([tmp_path / "x.png", good, tmp_path / "y.png"])
    assert str(two.value) == (
        f"2 files cannot be uploaded, nothing was: {tmp_path / 'x.png'}: no such file; "
        f"{tmp_path / 'y.png'}: no such file"
    )
    missing = [tmp_path / f"{n}.png" for n in range(12)]
    with pytest.raises(BatchError) as many:
        check_files(missing)
    assert many.value.problems == [f"{p}: no such file" for p in missing]
    assert str(many.value).startswith("12 files cannot be uploaded, nothing was: ")
    assert str(many.value).endswith(f"{missing[9]}: no such file; and 2 more")
    assert str(missing[10]) not in str(many.value)
    with pytest.raises(BatchError) as long_name:
        check_files([tmp_path / ("x" * 300)])
    assert str(long_name.value).endswith(": cannot be read (File name too long)")


def test_a_name_for_the_batch_is_checked_for_each_file(tmp_path: Path) -> None:
    good = tmp_path / "a.png"
    good.write_bytes(b"a")
    assert [c.name for c in check_files([good], "b.png")] == ["b.png"]
    with pytest.raises(BatchError, match=rf"^{good}: "):
        check_files([good], "a/b.png")


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{url", "--format '{url': expected '}' before end of string (write a literal brace as {{ or }})"),
        (
            "{url:{filename}}",
            "--format '{url:{filename}}': a field inside a format spec ({url:{filename}}) is not allowed",
        ),
        ("{url:>1001}", "--format '{url:>1001}': width or precision 1001 in {url:>1001} is over 1000"),
        ("{url:.2000}", "--format '{url:.2000}': width or precision 2000 in {url:.2000} is over 1000"),
    ],
)
def test_a_template_that_cannot_render_fast_is_refused(
    template: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered: list[str] = []
    monkeypatch.setattr(_formats, "render", lambda result, fmt: rendered.append(fmt) or "")  # type: ignore[func-returns-value]
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        _formats.check_format(template)
    assert rendered == []


@pytest.mark.parametrize(
    "error", [ValueError("v"), TypeError("t"), KeyError("k"), IndexError("i"), AttributeError("a")]
)
def test_a_template_that_fails_on_the_sample_is_refused(error: Exception, monkeypatch: pytest.MonkeyPatch) -> None:
    def render(result: object, fmt: str) -> str:
        raise error

    monkeypatch.setattr(_formats, "render", render)
    with pytest.raises(ValueError, match=r"^--format '\{url:>1000\}' cannot be rendered: "):
        _formats.check_format("{url:>1000}")


def test_a_bounded_template_renders_once(monkeypatch: pytest.MonkeyPatch) -> None:
    rendered: list[str] = []

    def render(result: object, fmt: str) -> str:
        rendered.append(fmt)
        return "x"

    monkeypatch.setattr(_formats, "render", render)
    assert _formats.check_format("{url:>1000} {filename} plain") == "{url:>1000} {filename} plain"
    assert rendered == ["{url:>1000} {filename} plain"]


# A multipart body.


def _part(name: str, data: bytes, *, filename: bytes | None = None, header: str = "Content-Disposition") -> bytes:
    disposition = f'{header}: form-data; name="{name}"'.encode()
    if filename is not None:
        disposition += b'; filename="' + filename + b'"'
    return b"--b\r\n" + disposition + b"\r\nContent-Type: image/png\r\n\r\n" + data + b"\r\n"


FORM = "multipart/form-data; boundary=b"
END = b"--b--\r\n"


class Spool:
    def __init__(self) -> None:
        self.made: list[io.BytesIO] = []

    def __call__(self) -> io.BytesIO:
        self.made.append(io.BytesIO())
        return self.made[-1]


def test_file_parts_come_back_named_in_order_at_offset_zero() -> None:
    body = (
        b"--b\r\nContent-Type: text/plain\r\n\r\na part without a disposition\r\n"
        + _part("note", b"a plain field")
        + _part("list", b"first", filename=b"C:\\Users\\me\\a.png")
        + _part("list", b"", filename=b"")
        + _part("files", b"second\r\nline", filename="/home/me/图 b.png".encode(), header="content-DISPOSITION")
        + END
    )
    chunks = [body[i : i + 7] for i in range(0, len(body), 7)]
    files = read_files(FORM, chunks, max_parts=5, spool=Spool())
    assert [(name, fh.read()) for name, fh in files] == [("a.png", b"first"), ("图 b.png", b"second\r\nline")]


@pytest.mark.parametrize(
    ("content_type", "body", "message"),
    [
        ("multipart/form-data", END, "multipart/form-data without a boundary"),
        (
            FORM,
            _part("list", b"a", filename=b"a.png"),
            "the multipart body is cut short: its closing boundary never came",
        ),
        (
            FORM,
            _part("note", b"a") + END,
            "no file parts in the multipart body (send each file as a part with a filename)",
        ),
        (FORM, _part("list", b"a", filename=b"\xff.png") + END, "a part's filename is not UTF-8"),
        (
            FORM,
            _part("list", b"a", filename=b"a.png") * 3 + END,
            "more than 2 parts in one request: send the files in several",
        ),
        (FORM, _part("list", b"a", filename=b"a\x1b.png") + END, None),
    ],
)
def test_a_body_that_cannot_be_used_says_why_and_leaves_no_file_open(
    content_type: str, body: bytes, message: str | None
) -> None:
    spool = Spool()
    with pytest.raises(FormError) as caught:
        read_files(content_type, [body], max_parts=2, spool=spool)
    if message is not None:
        assert str(caught.value) == message
    else:
        assert str(caught.value).startswith("a\\x1b.png: ")
    assert all(fh.closed for fh in spool.made)


def test_a_body_the_parser_cannot_read_closes_what_was_made() -> None:
    spool = Spool()
    body = _part("list", b"a", filename=b"a.png") + b"--b\r\nno colon here\r\n\r\n"
    with pytest.raises(FormError, match=r"^the multipart body could not be read: "):
        read_files(FORM, [body], max_parts=5, spool=spool)
    assert len(spool.made) == 1 and spool.made[0].closed


@pytest.mark.parametrize(
    ("filename", "name"),
    [("C:\\Users\\me\\a.png", "a.png"), ("/home/me/b.png", "b.png"), ("c.png", "c.png"), ("a/b\\c/d.png", "d.png")],
)
def test_a_parts_filename_keeps_its_last_component(filename: str, name: str) -> None:
    assert last_component(filename) == name


def test_two_parts_are_within_two() -> None:
    body = _part("list", b"a", filename=b"a.png") + _part("list", b"b", filename=b"b.png") + END
    assert [name for name, _ in read_files(FORM, [body], max_parts=2, spool=Spool())] == ["a.png", "b.png"]


# A secret's file.


@posix_only
def test_a_private_file_is_read_and_a_missing_one_is_none(tmp_path: Path) -> None:
    path = tmp_path / "secret"
    assert read_private(path) is None
    path.write_text("tökén\n", encoding="utf-8")
    path.chmod(0o600)
    assert read_private(path) == "tökén\n"
    assert read_private(str(path)) == "tökén\n"


@posix_only
@pytest.mark.parametrize("mode", [0o640, 0o604, 0o620, 0o602, 0o610])
def test_a_file_others_can_reach_is_refused_with_the_fix(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "my secret"
    path.write_text("s")
    path.chmod(mode)
    with pytest.raises(UnsafeFileError) as caught:
        read_private(path)
    assert str(caught.value) == (
        f"{path} can be read or changed by other users (mode {mode:04o}): a secret in it is not used. Fix it with: "
        f"chmod 600 '{path}'"
    )


@posix_only
@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="only root can give a file away")
def test_someone_elses_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "secret"
    path.write_text("s")
    path.chmod(0o600)
    os.chown(path, 4321, -1)
    with pytest.raises(UnsafeFileError) as caught:
        read_private(path)
    assert str(caught.value) == (
        f"{path} belongs to user ID 4321, not to you ({os.getuid()}): a secret in someone else's file is not used. "
        "Delete it (it is made again), or take it over with chown"
    )


@posix_only
def test_a_link_or_a_folder_is_not_a_secrets_file(tmp_path: Path) -> None:
    target = tmp_path / "target"
    target.write_text("s")
    target.chmod(0o600)
    (tmp_path / "link").symlink_to(target)
    with pytest.raises(UnsafeFileError) as caught:
        read_private(tmp_path / "link")
    assert str(caught.value) == (
        f"{tmp_path / 'link'} is a symbolic link, which is not followed for a file holding a secret: replace it with "
        "the file itself"
    )
    folder = tmp_path / "folder"
    folder.mkdir(mode=0o700)
    with pytest.raises(UnsafeFileError, match=r"folder is not a regular file: a file holding a secret must be one$"):
        read_private(folder)


@posix_only
def test_other_errors_opening_it_pass_through(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="File name too long") as caught:
        read_private(tmp_path / ("x" * 300))
    assert not isinstance(caught.value, UnsafeFileError)


def test_where_files_have_no_owner_the_mode_is_not_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_platform, "user_id", lambda: None)
    path = tmp_path / "secret"
    path.write_text("s")
    path.chmod(0o666)
    assert read_private(path) == "s"


# The platform helpers.


def test_paths_follow_their_variables_and_expand_the_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("PAN123_CONFIG_DIR", "~/conf")
    monkeypatch.setenv("PAN123_TOKEN_CACHE", "~/tok.json")
    monkeypatch.setenv("PAN123_SERVE_KEY_FILE", "~/key")
    assert _platform.config_dir() == tmp_path / "conf"
    assert _platform.config_path() == tmp_path / "conf" / "config.json"
    assert _platform.token_cache_path() == tmp_path / "tok.json"
    assert _platform.serve_key_path() == tmp_path / "key"
    for name in ("PAN123_CONFIG_DIR", "PAN123_TOKEN_CACHE", "PAN123_SERVE_KEY_FILE"):
        monkeypatch.setenv(name, "")  # empty: as if unset
    assert _platform.config_dir().name == "pan123-oss"
    assert _platform.config_dir() != Path()
    assert _platform.token_cache_path() == _platform.cache_dir() / "tokens.json"
    assert _platform.cache_dir().name == "pan123-oss"
    assert _platform.serve_key_path() == _platform.config_dir() / "serve-key"


@posix_only
def test_user_id_is_the_processes_own() -> None:
    assert _platform.user_id() == os.getuid()


@posix_only
def test_a_private_write_makes_user_only_folders_and_files_and_leaves_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "new" / "deeper" / "secret.json"
    assert _platform.write_private(path, "one") == "mode 0600: only you can read it"
    assert path.read_text(encoding="utf-8") == "one"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    _platform.write_private(path, "twö")
    assert path.read_text(encoding="utf-8") == "twö"
    assert os.listdir(path.parent) == ["secret.json"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret"
    _platform.write_private(path, "old")

    def refuse(source: str, target: object) -> None:
        raise OSError("refused")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="refused"):
        _platform.write_private(path, "new")
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["secret"]


def test_a_replace_refused_while_a_reader_holds_the_file_is_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.replace
    refusals = [PermissionError("in use")] * (REPLACE_ATTEMPTS - 1)
    slept: list[float] = []

    def replace(source: str, target: object) -> None:
        if refusals:
            raise refusals.pop()
        real(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr("pan123_oss._platform.time.sleep", slept.append)
    _platform.write_private(tmp_path / "s", "x")
    assert (tmp_path / "s").read_text() == "x"
    assert slept == [REPLACE_RETRY_GAP] * (REPLACE_ATTEMPTS - 1)
    refusals[:] = [PermissionError("in use")] * REPLACE_ATTEMPTS
    slept.clear()
    with pytest.raises(PermissionError):
        _platform.write_private(tmp_path / "s", "y")
    assert len(slept) == REPLACE_ATTEMPTS - 1
    assert (tmp_path / "s").read_text() == "x"


def test_a_lock_not_had_in_time_says_which_and_how_long(tmp_path: Path) -> None:
    path = tmp_path / "locks" / "a.lock"
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with _platform.file_lock(path, timeout=None):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert held.wait(10)
        with (
            pytest.raises(TimeoutError, match=rf"^another process held the lock {path} for 0\.01 s$"),
            _platform.file_lock(path, timeout=0.01),
        ):
            pass
    finally:
        release.set()
        thread.join(10)
    with _platform.file_lock(path, timeout=0.01):
        pass


@pytest.mark.parametrize("positional", [True, False])
def test_reads_at_an_offset_return_what_is_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, positional: bool
) -> None:
    if positional and not _platform.POSITIONAL_READS:
        pytest.skip("no pread here")
    monkeypatch.setattr(_platform, "POSITIONAL_READS", positional)
    path = tmp_path / "data"
    path.write_bytes(bytes(range(100)))
    fd = os.open(path, os.O_RDONLY)
    try:
        lock = threading.Lock()
        assert _platform.read_at(fd, 10, 5, lock) == bytes(range(5, 15))
        assert _platform.read_at(fd, 10, 95, lock) == bytes(range(95, 100))
        assert _platform.read_at(fd, 10, 100, lock) == b""
        assert _platform.read_at(fd, 0, 0, lock) == b""
    finally:
        os.close(fd)


def test_reads_without_pread_gather_short_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_platform, "POSITIONAL_READS", False)
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: real_read(fd, min(n, 3)))
    path = tmp_path / "data"
    path.write_bytes(bytes(range(50)))
    fd = os.open(path, os.O_RDONLY)
    try:
        assert _platform.read_at(fd, 20, 10, threading.Lock()) == bytes(range(10, 30))
    finally:
        os.close(fd)


def test_the_keyring_is_used_only_when_it_has_a_store(monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.backends import chainer, fail, null

    class Store(keyring.backend.KeyringBackend):
        priority = 1
        name = "test store"

        def get_password(self, service: str, username: str) -> None:
            return None

        def set_password(self, service: str, username: str, password: str) -> None:
            pass

        def delete_password(self, service: str, username: str) -> None:
            pass

    store = Store()  # type: ignore[no-untyped-call]
    backends = [(fail.Keyring(), False), (null.Keyring(), False), (store, True)]  # type: ignore[no-untyped-call]
    for backend, usable in backends:
        monkeypatch.setattr(keyring, "get_keyring", lambda b=backend: b)
        found, why = _platform.keyring_backend()
        if usable:
            assert (found, why) == (store, "the system keyring (test store)")
        else:
            assert (found, why) == (None, "keyring found no credential store on this system")

    class Empty(chainer.ChainerBackend):
        backends: list[Any] = []  # noqa: RUF012 - a chain that found no store

    monkeypatch.setattr(keyring, "get_keyring", lambda: Empty())  # type: ignore[no-untyped-call]
    assert _platform.keyring_backend() == (None, "keyring found no credential store on this system")


def test_without_the_keyring_package_it_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)
    assert _platform.keyring_backend() == (
        None,
        "the keyring package is not installed (pip install 'pan123-oss[keyring]')",
    )


def test_a_console_that_cannot_spell_a_name_prints_a_question_mark() -> None:
    raw = io.BytesIO()
    strict = io.TextIOWrapper(raw, encoding="cp1252", errors="strict")
    lenient = io.TextIOWrapper(io.BytesIO(), encoding="cp1252", errors="ignore")
    closed = io.TextIOWrapper(io.BytesIO(), encoding="cp1252")
    closed.close()
    other = io.StringIO()
    _platform.console_safe(strict, lenient, closed, other)
    assert (strict.errors, lenient.errors) == ("replace", "ignore")
    strict.write("图.png\n")
    strict.flush()
    assert raw.getvalue() == b"?.png\n"


# --qps and the rate note.


@pytest.mark.parametrize(
    ("text", "parsed"),
    [("create=5", ("create", 5.0)), (" upload_async_result = 0.5", ("upload_async_result", 0.5))],
)
def test_qps_is_an_endpoint_and_a_positive_rate(text: str, parsed: tuple[str, float]) -> None:
    assert parse_qps(text) == parsed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("create", "expected ENDPOINT=N (such as upload_async_result=3), got 'create'"),
        ("create=x", "the rate in 'create=x' must be a positive number of requests a second"),
        ("create=0", "the rate in 'create=0' must be a positive number of requests a second"),
        ("create=-2", "the rate in 'create=-2' must be a positive number of requests a second"),
        ("create=inf", "the rate in 'create=inf' must be a positive number of requests a second"),
        ("create=nan", "the rate in 'create=nan' must be a positive number of requests a second"),
    ],
)
def test_a_bad_qps_says_what_it_wants(text: str, message: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError) as caught:
        parse_qps(text)
    assert str(caught.value) == message


def test_only_the_first_equals_sign_splits() -> None:
    with pytest.raises(argparse.ArgumentTypeError, match=r"^the rate in 'create==3' must be a positive number"):
        parse_qps("create==3")


def test_a_file_the_user_may_not_read_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.png"
    path.write_bytes(b"x")
    real = os.open

    def refuse(name: Any, flags: int, *args: Any) -> int:
        if Path(name) == path:
            raise PermissionError(13, "Permission denied")
        return real(name, flags, *args)

    monkeypatch.setattr(os, "open", refuse)  # as for another user's file: root may read anything
    with pytest.raises(PermissionError, match=rf"^{re.escape(str(path))}: not readable \(permission denied\)$"):
        check_file(path)


def test_an_unknown_endpoint_is_refused_naming_it() -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="nowhere"):
        parse_qps("nowhere=3")


def test_the_last_qps_for_an_endpoint_wins() -> None:
    args = argparse.Namespace(qps=[("create", 1.0), ("get_upload_url", 3.0), ("create", 2.0)])
    assert qps_option(args) == {"create": 2.0, "get_upload_url": 3.0}
    assert qps_option(argparse.Namespace(qps=None)) == {}
    assert qps_option(argparse.Namespace()) == {}


class _Rated:
    def __init__(self, waits: dict[str, float], throttled: int = 0, total: int = 0) -> None:
        self.waits, self.throttled_requests, self.api_requests = waits, throttled, total

    def rate_limit_waits(self) -> dict[str, float]:
        return self.waits


def test_the_rate_note_names_the_endpoints_and_the_longest_wait() -> None:
    assert rate_note(_Rated({})) == ""  # type: ignore[arg-type]
    waits = {"/upload/v1/oss/file/upload_async_result": 0.4, "/upload/v1/oss/file/create": 2.6}
    assert rate_note(_Rated(waits)) == "waiting for the rate limit (create, upload_async_result, 3 s)"  # type: ignore[arg-type]


def test_throttled_requests_are_reported_once_with_their_share() -> None:
    err = io.StringIO()
    report_throttled(_Rated({}, 0, 5), err)  # type: ignore[arg-type]
    assert err.getvalue() == ""
    report_throttled(_Rated({}, 1, 3), err)  # type: ignore[arg-type]
    assert err.getvalue() == (
        "pan123-oss: 1 of 3 requests (33%) were over the service's rate limit and sent again when it allowed\n"
    )
