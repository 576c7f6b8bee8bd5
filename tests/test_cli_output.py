"""The command line's output and exit codes, pinned where a slip would go unnoticed: the status line, the
progress bar, every `--format`, the `info`/`ls`/`token`/`wait` reports, option checks and what `main` does
with each kind of failure. In process (`main(argv)`), against the fake on a loopback socket."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import logging
import signal
import threading
from pathlib import Path

import pytest
from conftest import run_cli

from pan123_oss import FileInfo, PollEvent
from pan123_oss._cli import main
from pan123_oss._cli._formats import render
from pan123_oss._cli._progress import Status, progress_line
from pan123_oss._errors import Pan123Error
from pan123_oss.testing import FakePan123, Fault


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def env(cli_env: FakePan123) -> FakePan123:
    cli_env.pending_polls = 0
    return cli_env


def info(**changes: object) -> FileInfo:
    fields: dict[str, object] = {
        "file_id": "42",
        "filename": "cat.png",
        "parent_id": "",
        "is_folder": False,
        "size": 7,
        "etag": "e" * 32,
        "status": 0,
        "url": "https://x.test/cat.png",
        "self_url": "https://me.test/cat.png",
        "created_at": "2026-01-02 03:04:05",
        "updated_at": "2026-01-02 03:04:06",
    }
    fields.update(changes)
    return FileInfo(**fields)  # type: ignore[arg-type]


# The progress bar.


@pytest.mark.parametrize(
    ("sent", "total", "elapsed", "line"),
    [
        (1023, 2048, 1.0, "[############............]  50% 1023 B/2.0 KiB 1023 B/s ETA 2 s"),
        (1024, 1024, 2.0, "[########################] 100% 1.0 KiB/1.0 KiB 512 B/s"),
        (3 << 30, 4 << 30, 1.0, "[##################......]  75% 3.0 GiB/4.0 GiB 3.0 GiB/s ETA 1 s"),
        (5 << 40, 5 << 40, 1.0, "[########################] 100% 5120.0 GiB/5120.0 GiB 5120.0 GiB/s"),
        (10, 100, 0.0, "[##......................]  10% 10 B/100 B 0 B/s"),  # no time yet: no speed, no ETA
        (200, 100, 1.0, "[########################] 100% 200 B/100 B 200 B/s"),  # never past full
        (-5, 100, 1.0, "[........................]   0% -5 B/100 B -5 B/s"),
        (1, 3, 1.0, "[########................]  33% 1 B/3 B 1 B/s ETA 2 s"),
        (1, 4, 1.0, "[######..................]  25% 1 B/4 B 1 B/s ETA 3 s"),
        (2, 3, 1.5, "[################........]  67% 2 B/3 B 1 B/s ETA 1 s"),  # ETA rounds up
    ],
)
def test_the_progress_line_says_share_sizes_speed_and_eta(sent: int, total: int, elapsed: float, line: str) -> None:
    assert progress_line(sent, total, elapsed) == line


def test_the_status_line_is_redrawn_over_itself_and_wiped_at_the_end() -> None:
    term = Terminal()
    status = Status(term)
    status.show("a long first line")
    status.show("short")
    status.clear()
    status.clear()  # nothing left to wipe
    assert term.getvalue() == "\ra long first line" + "\rshort" + " " * 12 + "\r     \r"


def test_the_status_line_is_silent_off_a_terminal() -> None:
    quiet = io.StringIO()
    status = Status(quiet)
    status.show("x")
    status.on_progress("up")(1, 2)
    status.on_poll("w")(_event(completed=True))
    status.clear()
    assert quiet.getvalue() == ""


def test_progress_is_redrawn_at_most_ten_times_a_second_but_always_at_the_end() -> None:
    term = Terminal()
    now = [100.0]
    report = Status(term).on_progress("up", clock=lambda: now[0])
    report(0, 10)
    now[0] = 100.09
    report(1, 10)  # too soon: skipped
    now[0] = 100.125
    report(2, 10)  # over 0.1 s after the last drawn one: drawn
    report(10, 10)  # the end, however soon
    lines = [part.strip() for part in term.getvalue().split("\r") if part]
    assert [line.split("]")[1].split()[0] for line in lines] == ["0%", "20%", "100%"]
    assert lines[1] == "up [#####...................]  20% 2 B/10 B 16 B/s ETA 1 s"


def _event(*, completed: bool, error: str | None = None, attempt: int = 3) -> PollEvent:
    return PollEvent(attempt=attempt, elapsed=2.25, completed=completed, trace_id="t", error=error)


@pytest.mark.parametrize(
    ("completed", "error", "shown"),
    [
        (True, None, "w: poll 3, 2.2 s, done"),
        (False, None, "w: poll 3, 2.2 s, pending"),
        (False, "HTTP 502 (bad gateway) x", "w: poll 3, 2.2 s, retrying: HTTP 502"),
    ],
)
def test_each_poll_is_shown_and_kept(completed: bool, error: str | None, shown: str) -> None:
    term, seen = Terminal(), list[PollEvent]()
    event = _event(completed=completed, error=error)
    Status(term).on_poll("w", seen)(event)
    assert term.getvalue() == "\r" + shown
    assert seen == [event]


# Formats.


def test_markdown_escapes_the_alt_text_and_the_link() -> None:
    line = render(info(filename="a [b]\\c.png", url="https://x.test/a b(1).png"), "markdown")
    assert line == "![a \\[b\\]\\\\c.png](https://x.test/a%20b%281%29.png)"


def test_html_escapes_both_attributes() -> None:
    line = render(info(filename='"q" & <x>.png', url="https://x.test/?a=1&b=2"), "html")
    assert line == '<img src="https://x.test/?a=1&amp;b=2" alt="&quot;q&quot; &amp; &lt;x&gt;.png">'


def test_each_named_format_prints_its_field() -> None:
    item = info()
    assert render(item, "id") == "42"
    assert render(item, "url") == "https://x.test/cat.png"
    assert render(item, "self-url") == "https://me.test/cat.png"
    assert render(item, "{file_id}|{filename}|{self_url}|{url}") == "42|cat.png|https://me.test/cat.png|" + item.url
    record = json.loads(render(info(status=101), "json"))
    assert (record["fileID"], record["file_id"], record["rejected"], record["status"]) == ("42", "42", True, 101)
    assert record["filename"] == "cat.png"


def test_no_link_renders_as_empty_and_no_own_domain_is_an_error_naming_the_file() -> None:
    item = info(url="", self_url="")
    assert render(item, "url") == ""
    assert render(item, "{url}|{self_url}") == "|"
    with pytest.raises(Pan123Error, match=r"^cat\.png has no link on your own domain \(userSelfURL is empty\)"):
        render(item, "self-url")


@pytest.mark.parametrize(
    ("fmt", "said"),
    [
        (
            "nonsense",
            "pan123-oss: bad input: --format must be one of id, url, self-url, markdown, html, json, or a "
            "template using {url}, got 'nonsense'\n",
        ),
        (
            "{url} {size}",
            "pan123-oss: bad input: --format template: unknown field {size}; use {url} {self_url} "
            "{filename} {file_id}\n",
        ),
        (
            "{url",
            "pan123-oss: bad input: --format '{url': expected '}' before end of string (write a literal brace "
            "as {{ or }})\n",
        ),
        ("{url!z}", "pan123-oss: bad input: --format '{url!z}' cannot be rendered: Unknown conversion specifier z\n"),
    ],
)
def test_a_bad_format_is_refused_before_any_request(env: FakePan123, tmp_path: Path, fmt: str, said: str) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(b"png")
    assert run_cli("upload", str(path), "--format", fmt) == (2, "", said)
    assert env.requests == []


# Option checks, before any request.


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--jobs", "0"], "--jobs must be from 1 to 32, got 0"),
        (["--jobs", "33"], "--jobs must be from 1 to 32, got 33"),
        (["--folder", "a", "--parent", "7"], "pass --folder (a path) or --parent (a folder ID), not both"),
        (["SECOND", "--filename", "x.png"], "--filename names one file: upload one file with it"),
    ],
)
def test_upload_option_checks(env: FakePan123, tmp_path: Path, argv: list[str], said: str) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(b"png")
    argv = [str(path) if a == "SECOND" else a for a in argv]
    assert run_cli("upload", str(path), *argv) == (2, "", f"pan123-oss: bad input: {said}\n")
    assert env.requests == []


@pytest.mark.parametrize("jobs", ["1", "32"])
def test_jobs_from_1_to_32_are_taken(env: FakePan123, tmp_path: Path, jobs: str) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(b"png")
    code, out, err = run_cli("upload", str(path), "--jobs", jobs, "--format", "id")
    assert (code, err) == (0, "")
    assert out.strip() in env.oss.files


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--max-size", "0"], "--max-size must be from 1 to 4096 (MiB), got 0"),
        (["--max-size", "4097"], "--max-size must be from 1 to 4096 (MiB), got 4097"),
        (["--format", "json"], "serve answers links: --format json is not one"),
        (["--jobs", "0"], "--jobs must be from 1 to 32, got 0"),
        (["--key", "k" * 20, "--no-key"], "pass --key or --no-key, not both"),
        (["--no-key", "--host", "10.1.2.3"], None),
    ],
)
def test_serve_option_checks(env: FakePan123, argv: list[str], said: str | None) -> None:
    code, out, err = run_cli("serve", "--port", "0", *argv)
    assert (code, out) == (2, "")
    assert err.startswith("pan123-oss: bad input: ")
    if said is not None:
        assert err == f"pan123-oss: bad input: {said}\n"


# Reports of the file commands.


def test_info_lists_every_field_in_aligned_rows(env: FakePan123) -> None:
    folder = env.add_folder("pics")
    file_id = env.add_file("cat.png", b"meow", folder)
    env.set_review_status(file_id, 101)
    code, out, err = run_cli("info", file_id)
    assert (code, err) == (0, "")
    rows = dict(line.split(":", 1) for line in out.splitlines())
    assert all(len(name) + 1 + len(value) - len(value.lstrip()) == 17 for name, value in rows.items())
    got = {name: value.strip() for name, value in rows.items()}
    assert got["file ID"] == file_id
    assert got["name"] == "cat.png"
    assert got["folder ID"] == folder
    assert got["size"] == "4 bytes"
    assert got["MD5"] == hashlib.md5(b"meow", usedforsecurity=False).hexdigest()
    assert got["review"] == "rejected by review (status 101)"
    assert got["link"].endswith(f"/fake-files/{file_id}.png")
    assert got["own-domain link"] == "(none)"
    assert got["created"] and got["updated"]
    assert list(rows) == [
        "file ID",
        "name",
        "folder ID",
        "size",
        "MD5",
        "review",
        "link",
        "own-domain link",
        "created",
        "updated",
    ]


def test_info_of_a_folder_at_the_root_before_its_link(env: FakePan123) -> None:
    folder = env.add_folder("pics")
    file_id = env.add_file("dog.png", b"woof")
    env.set_link_delay(file_id, 1)
    _, out, _ = run_cli("info", folder)
    assert "name:            pics/\n" in out
    assert 'folder ID:       "" (the root)\n' in out
    assert "review:          ok (status 0)\n" in out
    _, out, _ = run_cli("info", file_id)
    assert "link:            (not ready yet)\n" in out


def test_info_json_is_one_record_with_rejected(env: FakePan123) -> None:
    file_id = env.add_file("cat.png", b"meow")
    code, out, _ = run_cli("info", file_id, "--json")
    record = json.loads(out)
    assert code == 0 and out.count("\n") == 1
    assert (record["file_id"], record["filename"], record["rejected"], record["is_folder"]) == (
        file_id,
        "cat.png",
        False,
        False,
    )


def test_ls_marks_folders_and_lists_in_order(env: FakePan123) -> None:
    folder = env.add_folder("pics")
    file_id = env.add_file("cat.png", b"meow")
    code, out, err = run_cli("ls")
    assert (code, err) == (0, "")
    first, second = out.splitlines()
    assert first == f"{folder}\tpics/\t-\t"
    assert second.startswith(f"{file_id}\tcat.png\t4\thttp://")
    code, out, _ = run_cli("ls", "--json")
    records = [json.loads(line) for line in out.splitlines()]
    assert [(r["filename"], r["is_folder"], r["rejected"]) for r in records] == [
        ("pics", True, False),
        ("cat.png", False, False),
    ]


def test_ls_of_a_subfolder_and_of_a_missing_one(env: FakePan123) -> None:
    pics = env.add_folder("pics")
    env.add_file("in.png", b"inside", pics)
    env.add_file("out.png", b"outside")
    code, out, _ = run_cli("ls", "pics")
    assert code == 0 and [line.split("\t")[1] for line in out.splitlines()] == ["in.png"]
    code, out, err = run_cli("ls", "nope")
    assert (code, out) == (5, "")
    assert err.startswith("pan123-oss: failed: no such folder: nope ")


def test_mkdir_prints_the_id_and_rm_removes(env: FakePan123) -> None:
    code, out, _ = run_cli("mkdir", "a/b")
    folder = out.strip()
    assert code == 0 and env.oss.folders[folder].name == "b"
    file_id = env.add_file("x.png", b"x")
    assert run_cli("rm", file_id, folder) == (0, "", "")
    assert file_id not in env.oss.files and folder not in env.oss.folders


# Token and wait.


def test_token_json_says_when_it_expires_and_whether_it_was_fetched(env: FakePan123) -> None:
    code, out, _ = run_cli("token", "--json")
    first = json.loads(out)
    assert code == 0 and first["fetched"] is True and "accessToken" not in first
    expires = datetime.datetime.fromisoformat(first["expiresAt"])
    assert expires.utcoffset() == datetime.timedelta(0)
    assert abs(first["expiresIn"] - env.token_lifetime) < 5
    _, out, _ = run_cli("token", "--json", "--show")
    second = json.loads(out)
    assert second["fetched"] is False and second["accessToken"].startswith("fake.")
    assert env.tokens_issued == 1


def test_a_static_token_has_no_known_expiry(env: FakePan123, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAN123_CLIENT_ID")
    monkeypatch.delenv("PAN123_CLIENT_SECRET")
    monkeypatch.setenv("PAN123_ACCESS_TOKEN", env.issue_token())
    assert run_cli("token") == (0, "token static, from the environment; expiry unknown\n", "")
    _code, out, _ = run_cli("token", "--json")
    assert json.loads(out) == {"expiresAt": None, "expiresIn": None, "fetched": False}


def test_token_cached_then_shown(env: FakePan123) -> None:
    run_cli("token")
    _code, out, _ = run_cli("token", "--show")
    first, token = out.splitlines()
    assert first.startswith("token cached; expires 20")
    assert token.startswith("fake.")


def test_wait_json_counts_polls_and_keeps_the_last_trace_id(env: FakePan123) -> None:
    pid = env.add_upload(pending_polls=0, file_id="f-1")
    code, out, _ = run_cli("wait", pid, "--json")
    record = json.loads(out)
    assert code == 0
    assert (record["fileID"], record["preuploadID"], record["polls"]) == ("f-1", pid, 1)
    assert 0 <= record["seconds"] < 30
    poll = env.polls(pid)[-1]
    assert poll.code == 0 and record["traceID"].endswith("_fake-123pan")


def test_wait_on_a_terminal_says_which_upload_and_wipes_the_line(env: FakePan123) -> None:
    pid = env.add_upload("p" * 40, pending_polls=0)
    term = Terminal()
    code = main(["wait", pid], stdout=io.StringIO(), stderr=term)
    assert code == 0
    assert term.getvalue().startswith("\rwaiting for " + "p" * 16 + ": poll 1, ")
    assert term.getvalue().endswith("\r")


# Failures, as main reports them.


def test_a_failed_upload_says_how_to_continue_it(env: FakePan123, served: str, tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(b"x" * 3000)
    env.script("upload_complete", Fault.code_reply(1, "merge failed"))
    code, out, err = run_cli("upload", str(path), "--base-url", served, "--format", "markdown")
    assert (code, out) == (5, "")
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"pan123-oss: failed: {path}: ")
    assert "merge failed" in lines[0]
    (pid,) = env.oss.sessions
    assert lines[1] == (
        f"pan123-oss: continue it with: pan123-oss resume {pid} {path} --format markdown --base-url {served} "
        f"--slice-size {env.oss.slice_size}"
    )


def test_debug_prints_a_traceback_per_failure(env: FakePan123, tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(b"x")
    env.script("create", Fault.code_reply(1, "no"))
    code, _, err = run_cli("upload", str(path), "--debug")
    assert code == 5
    assert "Traceback (most recent call last)" in err
    assert "pan123_oss: POST " in err or "pan123_oss." in err


def test_debug_logging_is_undone_after_the_command(env: FakePan123) -> None:
    logger = logging.getLogger("pan123_oss")
    before = (logger.level, list(logger.handlers))
    err = io.StringIO()
    assert main(["token", "--debug"], stdout=io.StringIO(), stderr=err) == 0
    assert "pan123_oss" in err.getvalue()
    assert (logger.level, logger.handlers) == before
    quiet = io.StringIO()
    assert main(["token"], stdout=io.StringIO(), stderr=quiet) == 0
    assert quiet.getvalue() == ""


def test_without_debug_a_failure_is_one_line(env: FakePan123) -> None:
    code, out, err = run_cli("info", "missing-id")
    assert (code, out) == (5, "")
    assert err.startswith("pan123-oss: failed: ") and err.count("\n") == 1 and "Traceback" not in err


class _Broken(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError(28, "No space left on device")


def test_results_that_cannot_be_written_to_stdout_are_written_to_stderr(env: FakePan123, tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(b"x")
    err = io.StringIO()
    assert main(["upload", str(path), "--format", "id"], stdout=_Broken(), stderr=err) == 5
    said = err.getvalue().splitlines()
    assert (
        said[0] == "pan123-oss: the results could not be written to stdout ([Errno 28] No space left on device); "
        "they are:"
    )
    assert said[1] in env.oss.files


def test_an_interrupt_exits_130(env: FakePan123, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr("pan123_oss.Client.token_info", interrupted)
    assert run_cli("token") == (130, "", "pan123-oss: interrupted\n")


def test_sigterm_interrupts_the_command_and_its_handler_is_put_back(
    env: FakePan123, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = signal.getsignal(signal.SIGTERM)

    def terminated(*args: object, **kwargs: object) -> object:
        handler = signal.getsignal(signal.SIGTERM)
        assert callable(handler) and handler is not before
        handler(signal.SIGTERM, None)  # what the signal would do
        raise AssertionError("not interrupted")

    monkeypatch.setattr("pan123_oss.Client.token_info", terminated)
    assert run_cli("token") == (130, "", "pan123-oss: interrupted\n")
    assert signal.getsignal(signal.SIGTERM) is before


def test_off_the_main_thread_no_signal_handler_is_set(env: FakePan123) -> None:
    result: list[int] = []
    thread = threading.Thread(target=lambda: result.append(main(["token"], stdout=io.StringIO(), stderr=io.StringIO())))
    thread.start()
    thread.join(30)
    assert result == [0]


@pytest.mark.parametrize(
    ("error", "code", "word"),
    [
        (PermissionError("denied"), 2, "not allowed"),
        (FileNotFoundError("gone"), 2, "bad input"),
        (TypeError("odd"), 2, "bad input"),
        (TimeoutError("late"), 4, "timed out"),
        (OSError("disk"), 5, "failed"),
        (Pan123Error("api"), 5, "failed"),
    ],
)
def test_each_kind_of_failure_has_its_exit_code_and_word(
    env: FakePan123, monkeypatch: pytest.MonkeyPatch, error: Exception, code: int, word: str
) -> None:
    def failing(*args: object, **kwargs: object) -> object:
        raise error

    monkeypatch.setattr("pan123_oss.Client.token_info", failing)
    assert run_cli("token") == (code, "", f"pan123-oss: {word}: {error}\n")


def test_an_auth_failure_exits_3(env: FakePan123, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAN123_CLIENT_SECRET", "wrong")
    code, out, err = run_cli("token")
    assert (code, out) == (3, "")
    assert err.startswith("pan123-oss: authentication failed: ")


def test_throttled_requests_are_counted_at_the_end(env: FakePan123, tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(b"x" * 10)
    env.script("create", Fault.code_reply(429, "slow down", retry_after=0))
    code, out, err = run_cli("upload", str(path), "--format", "id")
    assert code == 0 and out.strip() in env.oss.files
    total = sum(1 for r in env.requests if r.method != "PUT")
    assert (
        err == f"pan123-oss: 1 of {total} requests ({1 / total:.0%}) were over the service's rate limit and "
        "sent again when it allowed\n"
    )


def test_import_prints_in_order_and_names_its_progress(env: FakePan123) -> None:
    env.imports.task_polls = 0
    env.add_remote_file("https://site.test/a.png", b"aa")
    env.add_remote_file("https://site.test/b.png", b"bbb")
    term = Terminal()
    out = io.StringIO()
    code = main(
        ["import", "https://site.test/a.png", "https://site.test/b.png", "--format", "{filename}"],
        stdout=out,
        stderr=term,
    )
    assert code == 0 and out.getvalue() == "a.png\nb.png\n"
    assert term.getvalue().startswith("\rimporting 2 URLs")
    term = Terminal()
    env.add_remote_file("https://site.test/c.png", b"c")
    main(["import", "https://site.test/c.png", "--format", "id"], stdout=io.StringIO(), stderr=term)
    assert term.getvalue().startswith("\rimporting 1 URL\r")


def test_printing_file_ids_does_not_wait_for_links(env: FakePan123, tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(b"png")
    code, out, _ = run_cli("upload", str(path), "--format", "id")
    assert code == 0 and out.strip() in env.oss.files
    assert not [r for r in env.requests if r.path.endswith("/file/detail")]
    code, out, _ = run_cli("upload", str(path), "--format", "url")
    assert code == 0 and [r for r in env.requests if r.path.endswith("/file/detail")]
