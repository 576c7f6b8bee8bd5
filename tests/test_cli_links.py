"""`pan123-oss upload FILE...` and the file commands, end to end over a loopback socket on the fake."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import random_files, run_cli

import loopback
from pan123_oss.testing import FakeClock, FakePan123, Fault

MKDIR = "/upload/v1/oss/file/mkdir"
DELETE = "/api/v1/oss/file/delete"
DETAIL = "/api/v1/oss/file/detail"


@pytest.fixture
def env(cli_env: FakePan123) -> FakePan123:
    cli_env.pending_polls = 0
    return cli_env


run = run_cli


def images(tmp_path: Path, count: int) -> list[Path]:
    return random_files(tmp_path, count, "pic {n}.png", 2000)


def test_upload_many_prints_one_link_per_file_in_order(env: FakePan123, tmp_path: Path) -> None:
    paths = images(tmp_path, 5)
    code, out, err = run("upload", *map(str, paths), "--format", "url", "--jobs", "3")
    assert (code, err) == (0, "")
    links = out.splitlines()
    assert len(links) == 5
    for path, link in zip(paths, links, strict=True):
        assert loopback.get(link).content == path.read_bytes()  # each line is the link of its own file


def test_upload_into_a_new_folder_path_makes_it_once(env: FakePan123, tmp_path: Path) -> None:
    paths = images(tmp_path, 6)
    code, out, _ = run("upload", *map(str, paths), "--folder", "blog/2026/11", "--jobs", "6", "--format", "id")
    assert code == 0
    assert len([r for r in env.requests if r.path == MKDIR]) == 3
    month = env.oss.folder_named("11", env.oss.folder_named("2026", env.oss.folder_named("blog", "")))
    assert {env.oss.files[file_id].parent_id for file_id in out.split()} == {month}


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("markdown", "![pic 0.png]({url})"),
        ("html", '<img src="{url}" alt="pic 0.png">'),
        ("{filename} -> {url} ({file_id})", "pic 0.png -> {url} ({file_id})"),
        ("{{literal}} {url}", "{{literal}} {url}"),
    ],
)
def test_upload_formats(env: FakePan123, served: str, tmp_path: Path, fmt: str, expected: str) -> None:
    (path,) = images(tmp_path, 1)
    code, out, _ = run("upload", str(path), "--format", fmt)
    assert code == 0
    (file_id,) = env.oss.files
    url = f"{served}/fake-files/{file_id}.png"
    assert out == expected.format(url=url, file_id=file_id) + "\n"


def test_upload_json_has_the_link_and_review_status(env: FakePan123, tmp_path: Path) -> None:
    (path,) = images(tmp_path, 1)
    code, out, _ = run("upload", str(path), "--json")
    record = json.loads(out)
    assert code == 0
    assert record["fileID"] == record["file_id"]
    assert record["url"].endswith(f"/fake-files/{record['file_id']}.png")
    assert (record["status"], record["rejected"], record["self_url"]) == (0, False, "")


def test_self_url_without_a_custom_domain_fails_naming_the_file(env: FakePan123, tmp_path: Path) -> None:
    (path,) = images(tmp_path, 1)
    code, out, err = run("upload", str(path), "--format", "self-url")
    assert (code, out) == (5, "")
    (line,) = err.splitlines()
    assert str(path) in line and "custom domain" in line


def test_any_failure_prints_nothing_and_names_the_file(env: FakePan123, tmp_path: Path) -> None:
    paths = images(tmp_path, 3)
    env.script("create", Fault.code_reply(5113, "traffic quota exceeded"))
    code, out, err = run("upload", *map(str, paths), "--format", "url", "--jobs", "1")
    assert (code, out) == (5, "")
    (line,) = err.splitlines()
    assert line.startswith(f"pan123-oss: failed: {paths[0]}: ") and "traffic quota exceeded" in line


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--format", "{nope}"], "unknown field {nope}"),
        (["--format", "plain words"], "--format must be one of"),
        (["--folder", "a:b"], "filename must not contain"),
        (["--folder", "x", "--parent", "123"], "not both"),
        (["--filename", "one.png"], "one file"),
    ],
)
def test_bad_upload_options_exit_2_before_any_request(
    env: FakePan123, tmp_path: Path, extra: list[str], message: str
) -> None:
    paths = images(tmp_path, 2)
    code, out, err = run("upload", *map(str, paths), *extra)
    assert (code, out) == (2, "")
    assert err.startswith("pan123-oss: bad input: ") and message in err
    assert env.requests == []


def test_a_missing_file_among_many_sends_nothing(env: FakePan123, tmp_path: Path) -> None:
    paths = [*images(tmp_path, 2), tmp_path / "gone.png"]
    code, _, err = run("upload", *map(str, paths))
    assert code == 2
    assert "gone.png" in err
    assert env.requests == []


def test_mkdir_ls_info_rm(env: FakePan123, tmp_path: Path) -> None:
    code, out, _ = run("mkdir", "blog/2026")
    folder_id = out.strip()
    assert code == 0 and folder_id in env.oss.folders
    assert run("mkdir", "blog/2026")[1].strip() == folder_id
    (path,) = images(tmp_path, 1)
    file_id = run("upload", str(path), "--folder", "blog/2026", "--format", "id")[1].strip()

    code, out, _ = run("ls", "blog")
    assert code == 0
    assert out.split("\t")[:3] == [folder_id, "2026/", "-"]
    code, out, _ = run("ls", "blog/2026")
    fields = out.rstrip("\n").split("\t")
    assert fields[:3] == [file_id, "pic 0.png", "2000"] and fields[3].endswith(".png")
    record = json.loads(run("ls", "blog/2026", "--json")[1])
    assert (record["file_id"], record["is_folder"], record["rejected"]) == (file_id, False, False)

    code, out, _ = run("info", file_id)
    assert code == 0
    assert f"file ID:         {file_id}\n" in out and "review:          ok (status 0)\n" in out
    assert json.loads(run("info", file_id, "--json")[1])["parent_id"] == folder_id

    assert run("rm", file_id) == (0, "", "")
    assert file_id not in env.oss.files
    assert run("ls", "blog/2026") == (0, "", "")


def test_ls_of_a_missing_folder_fails_and_makes_nothing(env: FakePan123) -> None:
    code, out, err = run("ls", "no/such")
    assert (code, out) == (5, "")
    assert "no such folder: no/such" in err
    assert [r for r in env.requests if r.path == MKDIR] == []


def test_rm_more_than_100_files(env: FakePan123) -> None:
    ids = [env.add_file(f"{n}.png", str(n).encode()) for n in range(150)]
    assert run("rm", *ids) == (0, "", "")
    assert [len(r.body["fileIDs"]) for r in env.requests if r.path == DELETE] == [100, 50]
    assert not set(ids) & set(env.oss.files)


def test_info_of_a_missing_file_exits_5(env: FakePan123) -> None:
    code, _, err = run("info", "nope")
    assert code == 5
    assert err.count("\n") == 1 and "trace ID" in err


def test_import_prints_one_link_per_url_in_order(env: FakePan123) -> None:
    urls = [f"https://example.com/p/{n}.png" for n in range(3)]
    for n, url in enumerate(urls):
        env.add_remote_file(url, f"picture {n}".encode())
    code, out, err = run("import", *urls, "--folder", "imported", "--format", "{filename} {url}")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert [line.split(" ")[0] for line in lines] == ["0.png", "1.png", "2.png"]
    for n, line in enumerate(lines):
        assert loopback.get(line.split(" ")[1]).content == f"picture {n}".encode()


def test_a_failed_import_exits_5_naming_the_url(env: FakePan123) -> None:
    env.add_remote_file("https://example.com/ok.png", b"ok")
    code, out, err = run("import", "https://example.com/ok.png", "https://example.com/missing.png")
    assert (code, out) == (5, "")
    (line,) = err.splitlines()
    assert line.startswith("pan123-oss: failed: https://example.com/missing.png: task ")


def test_import_wants_http_urls(env: FakePan123) -> None:
    code, _, err = run("import", "file:///etc/passwd")
    assert code == 2 and "http or https" in err
    assert env.requests == []


def test_a_file_rejected_by_review_fails_the_upload(
    env: FakePan123, clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Review rejects the file while its link is still being prepared: the upload stops waiting and fails.
    (path,) = images(tmp_path, 1)
    env.oss.link_delay_polls = 10**6
    sleep = clock.sleep

    def review_while_it_waits(seconds: float) -> None:  # the command and the fake share this clock
        sleep(seconds)
        for file_id in list(env.oss.files):
            env.set_review_status(file_id, 120)

    monkeypatch.setattr(clock, "sleep", review_while_it_waits)
    code, out, err = run("upload", str(path), "--format", "url", "--timeout", "30")
    assert (code, out) == (5, "")
    (line,) = err.splitlines()
    assert str(path) in line and "rejected by review (status 120)" in line
    details = [r for r in env.requests if r.path == DETAIL]
    assert len(details) == 2  # no link yet; then, after one wait, rejected: it stops at once
