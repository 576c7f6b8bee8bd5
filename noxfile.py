"""Every check of the project is a nox session; `nox` alone runs the ones CI needs."""

from __future__ import annotations

import filecmp
import os
import shutil
import tempfile
from pathlib import Path

import nox

ROOT = Path(__file__).parent
SPEC = ROOT / "openapi.yaml"
GENERATED = ROOT / "generated_client" / "pan123_oss_api"
SPEC_TOOLS = ROOT / "tools" / "spec"

# Pinned so that regeneration is byte-for-byte reproducible on any machine.
OPENAPI_PYTHON_CLIENT = "openapi-python-client==0.29.1"
RUFF = "ruff==0.17.5"
MYPY = "mypy==2.4.1"
OPENAPI_SPEC_VALIDATOR = "openapi-spec-validator==0.9.0"
TEST_DEPS = [
    "pytest==9.2.0",
    "pytest-asyncio==1.5.0",
    "pytest-cov==7.1.0",
    "pyyaml==6.0.3",
    "openapi-schema-validator==0.9.0",
    "hypothesis==6.170.17",  # the same pin as CONTRACT_DEPS: typecheck installs both lists
]
# Hypothesis is pinned too: it draws the cases, so a new release could change what a run tries.
CONTRACT_DEPS = ["schemathesis==4.32.5", "hypothesis==6.170.17"]

PYTHON_PATHS = ["wrapper", "tests", "benchmarks", "noxfile.py"]

nox.options.sessions = ["lint", "typecheck", "spec", "generated", "tests", "contract", "soak-short"]
nox.options.error_on_missing_interpreters = True
nox.options.reuse_venv = "yes"


@nox.session
def lint(session: nox.Session) -> None:
    """ruff over the hand-written code (the generated client has its own post-hooks)."""
    session.install(RUFF)
    session.run("ruff", "check", "--no-cache", *PYTHON_PATHS)
    session.run("ruff", "format", "--no-cache", "--check", *PYTHON_PATHS)


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the wrapper and the tests, against the generated client as installed."""
    session.install(MYPY, "types-pyyaml", "types-jsonschema", *TEST_DEPS, *CONTRACT_DEPS, ".")
    session.run("mypy", "--cache-dir", os.devnull, "wrapper/pan123_oss", "tests", "benchmarks")


@nox.session
def spec(session: nox.Session) -> None:
    """Validate and lint openapi.yaml with the tools other language teams use, then type-check TS against it."""
    session.install(OPENAPI_SPEC_VALIDATOR)
    session.run("openapi-spec-validator", str(SPEC))
    env = {
        # No telemetry, update checks or install-time analytics from the npm tools.
        "REDOCLY_TELEMETRY": "off",
        "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true",
        "SCARF_ANALYTICS": "false",
        "DO_NOT_TRACK": "1",
        "NO_UPDATE_NOTIFIER": "1",
    }
    session.run(
        "npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix", str(SPEC_TOOLS),
        external=True, env=env, silent=True,
    )  # fmt: skip
    bin_dir = SPEC_TOOLS / "node_modules" / ".bin"
    session.run(str(bin_dir / "spectral"), "lint", "--fail-severity=warn", str(SPEC), external=True, env=env)
    session.run(str(bin_dir / "redocly"), "lint", "--max-problems=50", str(SPEC), external=True, env=env)
    session.run(
        str(bin_dir / "openapi-typescript"), str(SPEC), "-o", str(SPEC_TOOLS / "api.d.ts"),
        external=True, env=env,
    )  # fmt: skip
    session.run(str(bin_dir / "tsc"), "-p", str(SPEC_TOOLS / "tsconfig.json"), external=True, env=env)


def _generate_into(session: nox.Session, target: Path) -> None:
    """Generate the client package into `target` (which must not exist) with the pinned generator."""
    session.install(OPENAPI_PYTHON_CLIENT, RUFF)
    session.run(
        "openapi-python-client", "generate",
        "--path", str(SPEC),
        "--config", str(ROOT / "generator-config.yml"),
        "--meta", "none",
        "--output-path", str(target),
        "--fail-on-warning",
        silent=True,
    )  # fmt: skip
    # PEP 561 marker: the generated code is fully typed, so say so to users' type checkers.
    (target / "py.typed").write_text("")


@nox.session
def generate(session: nox.Session) -> None:
    """Wipe and regenerate generated_client/pan123_oss_api from openapi.yaml."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / GENERATED.name
        _generate_into(session, fresh)
        shutil.rmtree(GENERATED, ignore_errors=True)
        shutil.copytree(fresh, GENERATED)
    session.log(f"regenerated {GENERATED.relative_to(ROOT)}")


def _tree_differences(left: Path, right: Path) -> list[str]:
    """Every file added, removed or changed between two trees, ignoring bytecode caches."""
    problems: list[str] = []
    cmp = filecmp.dircmp(left, right, ignore=["__pycache__"])
    stack = [(cmp, Path())]
    while stack:
        node, rel = stack.pop()
        problems += [f"only in committed tree: {rel / name}" for name in node.left_only]
        problems += [f"missing from committed tree: {rel / name}" for name in node.right_only]
        # dircmp compares shallowly (size and mtime); compare contents for the files it found in both.
        for name in node.common_files:
            if not filecmp.cmp(Path(node.left) / name, Path(node.right) / name, shallow=False):
                problems.append(f"differs: {rel / name}")
        problems += [f"type differs: {rel / name}" for name in node.common_funny]
        stack += [(sub, rel / name) for name, sub in node.subdirs.items()]
    return sorted(problems)


@nox.session
def generated(session: nox.Session) -> None:
    """Fail if generated_client/ is not exactly what the spec and config generate."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / GENERATED.name
        _generate_into(session, fresh)
        if not GENERATED.is_dir():
            session.error(f"{GENERATED.relative_to(ROOT)} is missing: run `nox -s generate`")
        problems = _tree_differences(GENERATED, fresh)
    if problems:
        session.error(
            "generated_client/ is out of date or was edited by hand; run `nox -s generate` and commit:\n  "
            + "\n  ".join(problems)
        )
    session.log("generated_client/ matches the spec byte for byte")


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite, with coverage of the wrapper."""
    session.install(*TEST_DEPS, ".")
    session.run(
        "pytest",
        "--cov=pan123_oss",
        "--cov-report=term-missing",
        "--cov-fail-under=90",
        "-p", "no:cacheprovider",
        *session.posargs,
        env={
            "COVERAGE_FILE": str(Path(session.create_tmp()) / ".coverage"),
            "HYPOTHESIS_STORAGE_DIRECTORY": str(Path(session.create_tmp()) / "hypothesis"),
        },
    )  # fmt: skip


@nox.session
def contract(session: nox.Session) -> None:
    """Schemathesis against the spec-checking fake on a loopback socket: the fake must keep to openapi.yaml."""
    session.install(*TEST_DEPS, *CONTRACT_DEPS, ".")
    # Hypothesis keeps caches even with its example database off: keep them out of the work tree.
    env = {"HYPOTHESIS_STORAGE_DIRECTORY": str(Path(session.create_tmp()) / "hypothesis")}
    session.run("pytest", "-p", "no:cacheprovider", "tests/contract", *session.posargs, env=env)


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks against the fake on a loopback socket: prints a table, writes BENCHMARKS.md, never fails.

    `nox -s bench -- --quick` is a fast smoke run that only prints (any arguments replace `--write BENCHMARKS.md`).
    """
    session.install(".")
    command = " ".join(["nox -s bench", *(["--", *session.posargs] if session.posargs else [])])
    args = session.posargs or ["--write", "BENCHMARKS.md"]
    session.run("python", "benchmarks/bench.py", "--command", command, *args)


@nox.session
def soak(session: nox.Session) -> None:
    """The load and fault soak, full form (hundreds of concurrent waits and uploads, about a minute); pass/fail."""
    session.install(".")
    session.run("python", "tests/soak.py", *session.posargs)


@nox.session(name="soak-short")
def soak_short(session: nox.Session) -> None:
    """The soak's short form, well under a minute: what `nox` and CI run."""
    session.install(".")
    session.run("python", "tests/soak.py", "--short", *session.posargs)
