"""Windows as Linux CI can see it: a Python without os.pread, os.fchmod, os.getuid and fcntl, printing to a
cp1252 or cp936 console, must upload, print links, and share one token between processes.

The simulation runs in a subprocess started through `LAUNCHER`, which removes those names before the
package is imported; the fake 123pan runs in this process on a loopback socket and counts what it is sent.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from pan123_oss import FileTokenStore, _platform
from pan123_oss._cli._serve import serve_key
from pan123_oss.testing import FakePan123, Fault

POSIX_ONLY = ("pread", "pwrite", "fchmod", "getuid", "geteuid")

LAUNCHER = f"""
import os, sys
# platformdirs picks its backend by sys.platform; on Linux that backend needs os.geteuid at import, on
# Windows its own backend needs none of the names removed below.
import platformdirs
for name in {POSIX_ONLY!r}:
    if hasattr(os, name):
        delattr(os, name)
sys.modules["fcntl"] = None  # `import fcntl` now raises ImportError, as on Windows
mode, *rest = sys.argv[1:]
if mode == "--go":  # wait for the word, so that several processes start their work together
    print("ready", flush=True)
    sys.stdin.readline()
    mode, *rest = rest
if mode == "cli":
    from pan123_oss._cli import main
    sys.exit(main(rest))
exec(mode, {{"__name__": "__main__", "argv": rest}})
"""


def simulated(
    *args: str, encoding: str = "cp1252", env: dict[str, str] | None = None, stdin: int | None = None
) -> subprocess.Popen[bytes]:
    """The launcher in a subprocess whose stdout and stderr speak `encoding`, as a Windows console does."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("PAN123_")}
    base["PYTHONIOENCODING"] = encoding
    return subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, *args],
        env={**base, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=stdin,
    )


def finish(child: subprocess.Popen[bytes]) -> tuple[int, bytes, bytes]:
    out, err = child.communicate(timeout=120)
    return child.returncode, out, err


@pytest.fixture
def sim_env(real_fake: FakePan123, served: str, tmp_path: Path) -> dict[str, str]:
    real_fake.oss.slice_size = 1000  # several slices per file: reads at offsets from several threads
    return {
        "PAN123_CLIENT_ID": real_fake.client_id,
        "PAN123_CLIENT_SECRET": real_fake.client_secret,
        "PAN123_BASE_URL": served,
        "PAN123_TOKEN_CACHE": str(tmp_path / "cache" / "tokens.json"),
        "PAN123_CONFIG_DIR": str(tmp_path / "config"),
    }


@pytest.mark.skipif(sys.platform == "win32", reason="on Windows filelock has LockFileEx: nothing to simulate")
def test_the_simulation_removes_what_windows_lacks(sim_env: dict[str, str]) -> None:
    probe = (
        "import os, filelock, pan123_oss\n"
        "try:\n    import fcntl\nexcept ImportError:\n    print('no fcntl')\n"
        f"print(*[hasattr(os, name) for name in {POSIX_ONLY!r}], pan123_oss._platform.POSITIONAL_READS)\n"
        "print(filelock.FileLock.__name__, sys.stdout.encoding)\n"
    )
    code, out, err = finish(simulated("import sys\n" + probe, env=sim_env))
    assert code == 0, err
    assert out.decode().split("\n")[:3] == ["no fcntl", "False " * 5 + "False", "SoftFileLock cp1252"]


LIBRARY_UPLOAD = """
import pan123_oss
path, other = argv
with pan123_oss.Client(token_store=pan123_oss.FileTokenStore(__import__("os").environ["PAN123_TOKEN_CACHE"])) as c:
    first = c.upload_file(path, concurrency=3)
    with open(other, "rb") as fh:
        fh.read(100)  # an upload starts at the file object's position
        second = c.upload_file(fh, filename="second.bin", concurrency=3)
print(first.file_id, first.url)
print(second.file_id, second.url)
"""


def test_library_upload_without_pread_fchmod_or_fcntl(real_fake: FakePan123, sim_env: dict[str, str],
                                                       tmp_path: Path) -> None:  # fmt: skip
    path, other = tmp_path / "photo.jpg", tmp_path / "other.bin"
    path.write_bytes(os.urandom(5500))
    other.write_bytes(os.urandom(4321))
    code, out, err = finish(simulated(LIBRARY_UPLOAD, str(path), str(other), env=sim_env))
    assert code == 0, err.decode()
    (first_id, first_url), (second_id, second_url) = (line.split() for line in out.decode().splitlines())
    assert real_fake.file_bytes(first_id) == path.read_bytes()
    assert real_fake.file_bytes(second_id) == other.read_bytes()[100:]
    assert first_url.endswith(f"/fake-files/{first_id}.jpg") and second_url.endswith(f"/fake-files/{second_id}.bin")
    assert sum(1 for r in real_fake.requests if r.method == "PUT") == 6 + 5  # every slice, read at its offset
    assert (tmp_path / "cache" / "tokens.json").is_file()  # saved without os.fchmod


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ["cp1252", "cp936"])
def test_cli_upload_prints_links_in_order_to_a_console_that_cannot_spell_the_names(
    real_fake: FakePan123, served: str, sim_env: dict[str, str], tmp_path: Path, encoding: str
) -> None:
    names = ["a.png", "图片 📷.png", "c.png"]  # cp1252 has neither 图片 nor 📷; cp936 has no 📷
    paths = [tmp_path / name for name in names]
    for n, path in enumerate(paths):
        path.write_bytes(os.urandom(2500 + n))
    code, out, err = finish(simulated("cli", "upload", *map(str, paths), "--jobs", "3", encoding=encoding,
                                      env=sim_env))  # fmt: skip
    assert code == 0, err.decode(encoding)
    ids = {stored.filename: file_id for file_id, stored in real_fake.oss.files.items()}
    assert out.decode(encoding).splitlines() == [f"{served}/fake-files/{ids[name]}.png" for name in names]
    for name, path in zip(names, paths, strict=True):
        assert real_fake.file_bytes(ids[name]) == path.read_bytes()

    # A name in the output: what the console cannot show becomes "?", the link stays whole, the exit is 0.
    code, out, err = finish(simulated("cli", "upload", str(paths[1]), "--format", "markdown", encoding=encoding,
                                      env=sim_env))  # fmt: skip
    assert code == 0, err.decode(encoding)
    shown = "?? ?.png" if encoding == "cp1252" else "图片 ?.png"
    line = out.decode(encoding).strip()
    assert line.startswith(f"![{shown}]({served}/fake-files/fake-oss-") and line.endswith(".png)")

    # A failure naming such a file is reported, not crashed on: exit 2 (bad input), one line.
    code, out, err = finish(simulated("cli", "upload", str(tmp_path / "缺失.png"), encoding=encoding, env=sim_env))
    assert (code, out) == (2, b"")
    assert err.decode(encoding).count("\n") == 1 and "Traceback" not in err.decode(encoding)


@pytest.mark.slow
def test_five_processes_sharing_one_token_cache_fetch_one_token(
    real_fake: FakePan123, sim_env: dict[str, str], tmp_path: Path
) -> None:
    real_fake.script("access_token", Fault.slow(0.5))  # the first fetch is slow: the others must wait for it
    paths = [tmp_path / f"p{n}.png" for n in range(5)]
    children = []
    for path in paths:
        path.write_bytes(os.urandom(1500))
        children.append(simulated("--go", "cli", "upload", str(path), env=sim_env, stdin=subprocess.PIPE))
    for child in children:  # all imported and waiting: now they race for a token
        assert child.stdout is not None and child.stdout.readline() == b"ready\n"
    for child in children:
        assert child.stdin is not None
        child.stdin.write(b"go\n")
        child.stdin.flush()
    results = [finish(child) for child in children]
    assert [code for code, _, _ in results] == [0] * 5, [err.decode() for _, _, err in results]
    assert real_fake.tokens_issued == 1
    ids = {stored.filename: file_id for file_id, stored in real_fake.oss.files.items()}
    for path, (_, out, _) in zip(paths, results, strict=True):
        assert out.decode().strip().endswith(f"/fake-files/{ids[path.name]}.png")


def test_a_lock_held_elsewhere_times_out_with_timeout_error(tmp_path: Path) -> None:
    held, waiting = FileTokenStore(tmp_path / "tokens.json"), FileTokenStore(tmp_path / "tokens.json")
    with held.lock("id"), pytest.raises(TimeoutError, match="held the lock"), waiting.lock("id", timeout=0.2):
        pytest.fail("two holders of one lock")
    with waiting.lock("id", timeout=0.2):  # released: had at once
        pass


def test_reads_at_offsets_without_pread_from_many_threads(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from pan123_oss._source import Source

    monkeypatch.setattr(_platform, "POSITIONAL_READS", False)
    data = os.urandom(64 * 1024)
    (tmp_path / "f").write_bytes(data)
    source = Source(tmp_path / "f")
    wrong: list[int] = []

    def reader(start: int) -> None:
        for offset in range(start, len(data) - 1000, 4093):
            if source.read_at(offset, 1000) != data[offset : offset + 1000]:
                wrong.append(offset)

    threads = [threading.Thread(target=reader, args=(n * 7,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    source.close()
    assert wrong == []


def test_private_files_are_replaced_whole_and_user_only(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "secret.json"
    old = os.umask(0)  # the most permissive umask: the mode must not come from it
    try:
        said = _platform.write_private(path, "one")
        _platform.write_private(path, "two")
    finally:
        os.umask(old)
    assert path.read_text() == "two" and sorted(p.name for p in path.parent.iterdir()) == ["secret.json"]
    if _platform.HAS_FILE_MODES:
        assert (path.stat().st_mode & 0o777, said) == (0o600, "mode 0600: only you can read it")
    else:  # nothing is claimed that the OS did not apply
        assert "0600" not in said


def test_a_file_held_open_elsewhere_is_replaced_once_it_is_let_go(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    real, refusals = os.replace, [PermissionError(13, "sharing violation")] * 3
    slept: list[float] = []

    def replace(source: str, target: Path) -> None:
        if refusals:
            raise refusals.pop()
        real(source, target)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr("pan123_oss._platform.time.sleep", slept.append)
    _platform.write_private(tmp_path / "f", "new")
    assert (tmp_path / "f").read_text() == "new" and slept == [0.05] * 3

    refusals[:] = [PermissionError(13, "sharing violation")] * 99
    with pytest.raises(PermissionError):
        _platform.write_private(tmp_path / "f", "newer")
    assert (tmp_path / "f").read_text() == "new" and sorted(p.name for p in tmp_path.iterdir()) == ["f"]


def test_paths_follow_the_overrides(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PAN123_CONFIG_DIR", str(tmp_path / "conf"))
    monkeypatch.delenv("PAN123_SERVE_KEY_FILE", raising=False)
    monkeypatch.delenv("PAN123_TOKEN_CACHE", raising=False)
    assert _platform.config_path() == tmp_path / "conf" / "config.json"
    assert _platform.serve_key_path() == tmp_path / "conf" / "serve-key"
    assert _platform.token_cache_path() == _platform.cache_dir() / "tokens.json"
    assert "pan123-oss" in _platform.cache_dir().parts
    monkeypatch.setenv("PAN123_SERVE_KEY_FILE", str(tmp_path / "key"))
    assert _platform.serve_key_path() == tmp_path / "key"


def test_servers_starting_together_make_one_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PAN123_SERVE_KEY_FILE", str(tmp_path / "serve-key"))
    keys: list[str] = []
    threads = [threading.Thread(target=lambda: keys.append(serve_key()[0])) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(keys) == 6 and len(set(keys)) == 1
    assert (tmp_path / "serve-key").read_text().strip() == keys[0]


def _posix_only_uses(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "os":
            if node.attr in (*POSIX_ONLY, "fork", "getpgid", "killpg", "setsid"):
                found.append(f"os.{node.attr} (line {node.lineno})")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found += [f"import {m} (line {node.lineno})" for m in modules if m in ("fcntl", "pwd", "grp", "termios")]
    return found


@pytest.mark.skipif("MUTANT_UNDER_TEST" in os.environ, reason="reads the source, which mutmut has rewritten")
def test_no_posix_only_call_outside_the_platform_module() -> None:
    package = Path(_platform.__file__).parent
    offenders = {
        str(path.relative_to(package)): uses
        for path in sorted(package.rglob("*.py"))
        if path.name != "_platform.py" and (uses := _posix_only_uses(path))
    }
    assert offenders == {}
    # The platform module itself reaches os.pread only behind the check for it.
    assert _posix_only_uses(package / "_platform.py") == [f"os.pread (line {_line_of(package, 'os.pread(')})"]


def _line_of(package: Path, text: str) -> int:
    lines = (package / "_platform.py").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def test_ci_runs_the_suite_on_every_os_and_python_users_have() -> None:
    import yaml

    workflow = yaml.safe_load((Path(__file__).parent.parent / ".github" / "workflows" / "tests.yml").read_text())
    job = workflow["jobs"]["tests"]
    assert job["strategy"]["matrix"] == {
        "os": ["ubuntu-latest", "windows-latest", "macos-latest"],
        "python": ["3.11", "3.12", "3.13"],
    }
    assert job["runs-on"] == "${{ matrix.os }}"
    assert [step["run"] for step in job["steps"] if step.get("name") == "tests"] == ["python -m nox -s tests"]
    coverage = workflow["jobs"]["coverage"]  # the same suite traced, with the coverage gate
    assert [step["run"] for step in coverage["steps"] if step.get("name") == "coverage"] == [
        "python -m nox -s coverage"
    ]
