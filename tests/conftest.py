"""Fixtures shared by the wrapper tests: a fake clock, a fake 123pan, and both clients behind one interface."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import io
import itertools
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal, Protocol, TextIO

import pytest
from hypothesis import settings

import pan123_oss
from pan123_oss import _cli
from pan123_oss._cli import main
from pan123_oss._policy import ServeLimits
from pan123_oss._serve import PicGoServer, Upload
from pan123_oss.testing import FakeClock, FakePan123
from spec_helpers import SPEC_PATH

# Hypothesis draws the profile's `max_examples` per property (a test may ask for a share of it): the default
# profile's 100 in the suite, ten times that under `nox -s fuzz` (`--hypothesis-profile=fuzz`), which CI runs.
settings.register_profile("fuzz", max_examples=1000)


SLOW_SPREAD = 0.6
"""How far into its worker's first run of work the last slow test starts (a share of the run)."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `slow` (a second or more of real time: a real clock, other processes) are dealt out to the
    xdist workers and spread over the first part of each one's work, so that their waiting overlaps the other
    workers' CPU instead of ending the run, or of all four workers waiting at once at its start.

    `--dist worksteal` first hands worker k the k-th run of the list, cut as below."""
    workers = int(getattr(config, "workerinput", {}).get("workercount", 1))
    slow = [item for item in items if item.get_closest_marker("slow")]
    rest = [item for item in items if not item.get_closest_marker("slow")]
    ordered: list[pytest.Item] = []
    for k in range(workers):
        size = (len(items) - len(ordered)) // (workers - k)
        share = slow[k::workers]
        take = max(0, size - len(share))
        chunk = rest[:take]
        del rest[:take]
        step = int(len(chunk) * SLOW_SPREAD) // max(1, len(share))
        for n, item in enumerate(share):
            chunk.insert(n * (step + 1), item)
        ordered += chunk
    items[:] = ordered + rest


def pytest_unconfigure(config: pytest.Config) -> None:
    """An xdist worker leaves without the interpreter's teardown. By the time it exits it has sent every
    result and its exit status to the controller; what is left is freeing its objects one by one, which took
    four workers on two cores 0.7 s at the end of every run (in C, no system call, nothing to flush). Under
    coverage the workers exit normally, so that coverage.py's own exit handler still runs."""
    if hasattr(config, "workerinput") and not config.getoption("cov_source", default=None):
        atexit.register(_exit_now)


def _exit_now() -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


Kind = Literal["sync", "async"]
REPLY_SHAPES: dict[str, dict[str, Any]] = {"full": {}, "minimal": {"replies": "minimal", "extra_fields": True}}
"""How a fake answers, by name: every field it knows; or only what the spec requires, plus fields no spec knows
yet (as a newer service may). Modules whose tests run both ways override the `replies` fixture with params."""


class Both:
    """Drives a `Client` or an `AsyncClient` through one blocking interface, so every rule is tested on both.

    The async client runs on one event loop owned by this object for its whole life.
    """

    def __init__(self, kind: Kind, **options: Any) -> None:
        self.kind = kind
        self.closed = False
        self.loop: asyncio.AbstractEventLoop | None = None
        self.client: pan123_oss.Client | pan123_oss.AsyncClient
        if kind == "sync":
            self.client = pan123_oss.Client(**options)
        else:
            self.client = pan123_oss.AsyncClient(**options)
            self.loop = asyncio.new_event_loop()

    def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        result = getattr(self.client, method)(*args, **kwargs)
        if self.loop is not None:
            return self.loop.run_until_complete(result)
        return result

    def wait_for_upload(self, preupload_id: Any, **kwargs: Any) -> str:
        file_id: str = self.call("wait_for_upload", preupload_id, **kwargs)
        return file_id

    def upload_async_result(self, preupload_id: Any) -> pan123_oss.AsyncResult:
        result: pan123_oss.AsyncResult = self.call("upload_async_result", preupload_id)
        return result

    def access_token(self) -> str:
        token: str = self.call("access_token")
        return token

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.call("close")
        if self.loop is not None:
            self.loop.close()


MakeClient = Callable[..., Both]


def random_files(folder: Path, count: int, name: str, size: int) -> list[Path]:
    """`count` files of random bytes in `folder`, named `name.format(n=...)` and `size + n` bytes long."""
    paths = []
    for n in range(count):
        path = folder / name.format(n=n)
        path.write_bytes(os.urandom(size + n))
        paths.append(path)
    return paths


_CONFIG_NUMBERS = itertools.count()


@pytest.fixture(scope="session")
def _config_dirs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder each test's config folder is numbered in. `mktemp` per test would make ~2,300 folders (most
    never written), each numbered by listing the base folder, and leave them all for the end of the run."""
    return tmp_path_factory.mktemp("configs")


@pytest.fixture(autouse=True)
def _own_config_dir(monkeypatch: pytest.MonkeyPatch, _config_dirs: Path) -> None:
    """No test reads or changes the `pan123-oss login` of whoever runs the suite. The folder is made by whatever
    writes to it first, as on a first run."""
    monkeypatch.setenv("PAN123_CONFIG_DIR", str(_config_dirs / str(next(_CONFIG_NUMBERS))))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def _keeps_to_the_spec(fake: FakePan123) -> None:
    assert fake.violations == [], "requests or replies broke openapi.yaml:\n" + "\n".join(fake.violations)


@pytest.fixture
def replies() -> str:
    """The way the fakes of a test answer (see `REPLY_SHAPES`)."""
    return "full"


def every_reply_shape() -> Any:
    """A `replies` fixture taking every shape in turn: `replies = every_reply_shape()` in a test module runs
    each of its tests against full replies and against minimal ones with unknown fields."""

    @pytest.fixture(params=list(REPLY_SHAPES), name="replies")
    def shapes(request: pytest.FixtureRequest) -> str:
        value: str = request.param
        return value

    return shapes


@pytest.fixture
def fake(clock: FakeClock, replies: str) -> Iterator[FakePan123]:
    """The in-process fake, checking every request our client sends (and every reply) against the spec."""
    fake = FakePan123(clock=clock, spec=SPEC_PATH, **REPLY_SHAPES[replies])
    yield fake
    _keeps_to_the_spec(fake)


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> Kind:
    value: Kind = request.param
    return value


@pytest.fixture
def make_client(kind: Kind, fake: FakePan123, clock: FakeClock) -> Iterator[MakeClient]:
    """Clients on the in-process fake with the fake clock: no sockets and no real waiting."""
    made: list[Both] = []

    def make(**overrides: Any) -> Both:
        options: dict[str, Any] = {
            "client_id": fake.client_id,
            "client_secret": fake.client_secret,
            "transport": fake.transport(),
            "clock": clock,
            "sleep": clock.sleep if kind == "sync" else clock.async_sleep,
        }
        options.update(overrides)
        if "access_token" in options:
            options.pop("client_id", None)
            options.pop("client_secret", None)
        both = Both(kind, **options)
        made.append(both)
        return both

    yield make
    for both in made:
        both.close()


@pytest.fixture
def real_fake(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakePan123]:
    """A fake on the real clock, for tests over a loopback socket; it checks traffic against the spec too.

    Uploads complete at their first poll: waiting a real second between polls is what the polling tests (on a
    fake clock, or with their own pending uploads) are for, not every test that goes through a socket.

    Under `cli_env` the fake is on the test's fake clock instead, and so is every command the test runs in
    process (`main`'s default clock is that one for the test): a command's one-second polls take no time, and
    the fake still sees them a second apart. A test that runs commands in another process, which cannot share
    that clock, is marked `real_clock`."""
    clock = None
    if "cli_env" in request.fixturenames and request.node.get_closest_marker("real_clock") is None:
        clock = request.getfixturevalue("clock")
        monkeypatch.setattr(_cli, "SystemClock", lambda: clock)
    fake = FakePan123(spec=SPEC_PATH, pending_polls=0, clock=clock)
    yield fake
    _keeps_to_the_spec(fake)


@pytest.fixture
def served(real_fake: FakePan123) -> Iterator[str]:
    with real_fake.serve() as url:
        yield url


FOREGROUND = [
    sys.executable, "-c",
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])",
]  # fmt: skip
"""A command's prefix that starts it with SIGINT at its default, as a terminal's foreground job has it (POSIX).
A job started in the background of a non-interactive shell (`nox -s tests &`) inherits SIGINT ignored, and
Python then installs no KeyboardInterrupt handler: a test sending the Ctrl-C signal would wait for nothing."""


STALLED_FAKE = """
import time
from pan123_oss.testing import FakePan123, Fault
fake = FakePan123(slice_size=1000)
fake.script("put", *[Fault.slow(60)] * 20)
with fake.serve() as url:
    print(url, fake.issue_token(), flush=True)
    ends = time.monotonic() + 120
    while time.monotonic() < ends and not any(r.method == "PUT" for r in fake.requests):
        time.sleep(0.02)
    print("stalled", flush=True)
    time.sleep(120)
"""


class Stalled(tuple[str, str]):
    """The stalled fake's (URL, token); `wait()` returns once a slice PUT is stalled on it (up to a minute), so a
    test interrupts an upload that is on the wire rather than one that is still starting on a busy machine."""

    server: subprocess.Popen[str]

    def wait(self) -> None:
        out = self.server.stdout
        assert out is not None
        line: list[str] = []
        reader = threading.Thread(target=lambda: line.append(out.readline()), daemon=True)
        reader.start()
        reader.join(60)
        assert line == ["stalled\n"], "no slice PUT reached the stalled fake"


@contextlib.contextmanager
def stalled_fake() -> Iterator[Stalled]:
    """A fake in its own process whose slice PUTs stall for a minute: (its URL, a token), for interrupt tests."""
    with subprocess.Popen([sys.executable, "-c", STALLED_FAKE], stdout=subprocess.PIPE, text=True) as server:
        try:
            assert server.stdout is not None
            stalled = Stalled(server.stdout.readline().split())
            stalled.server = server
            yield stalled
        finally:
            server.kill()


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, real_fake: FakePan123, served: str) -> FakePan123:
    """The command line's environment pointed at a fake on a loopback socket, with client credentials and a
    token cache of the test's own."""
    for name in ("PAN123_ACCESS_TOKEN", "PAN123_CLIENT_ID", "PAN123_CLIENT_SECRET", "PAN123_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PAN123_CLIENT_ID", real_fake.client_id)
    monkeypatch.setenv("PAN123_CLIENT_SECRET", real_fake.client_secret)
    monkeypatch.setenv("PAN123_BASE_URL", served)
    monkeypatch.setenv("PAN123_TOKEN_CACHE", str(tmp_path / "tokens.json"))
    return real_fake


class StartPicGo(Protocol):
    def __call__(
        self,
        upload: Upload,
        *,
        host: str = ...,
        key: str | None = ...,
        origins: Sequence[str] = ...,
        log: TextIO | None = ...,
        limits: ServeLimits | None = ...,
    ) -> PicGoServer: ...


@pytest.fixture
def start_picgo() -> Iterator[StartPicGo]:
    """Start `PicGoServer`s (serve's server) on loopback threads with PicGoServer's arguments; each is stopped,
    and its thread gone, after the test."""
    running: list[tuple[PicGoServer, threading.Thread]] = []

    def start(
        upload: Upload,
        *,
        host: str = "127.0.0.1",
        key: str | None = None,
        origins: Sequence[str] = (),
        log: TextIO | None = None,
        limits: ServeLimits | None = None,
    ) -> PicGoServer:
        server = PicGoServer((host, 0), upload, key=key, origins=origins, log=log or io.StringIO(), limits=limits)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        running.append((server, thread))
        return server

    yield start
    for server, thread in running:
        server.shutdown()
        server.server_close()
        thread.join(5)
        assert not thread.is_alive()


def run_cli(*argv: str, stdout: io.StringIO | None = None, stderr: io.StringIO | None = None) -> tuple[int, str, str]:
    """`pan123-oss ARGV` in process: the exit code, stdout and stderr."""
    out, err = stdout or io.StringIO(), stderr or io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()
