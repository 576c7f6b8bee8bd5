"""Every check of the project is a nox session; `nox` alone runs the ones CI needs."""

from __future__ import annotations

import contextlib
import filecmp
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nox

ROOT = Path(__file__).parent
SPEC = ROOT / "openapi.yaml"
GENERATED = ROOT / "generated_client" / "pan123_oss_api"
SPEC_TABLES = ROOT / "wrapper" / "pan123_oss" / "_spec.py"
ASYNC_DRIVER = ROOT / "wrapper" / "pan123_oss" / "_async"
SYNC_DRIVER = ROOT / "wrapper" / "pan123_oss" / "_sync"
SPEC_TOOLS = ROOT / "tools" / "spec"
POLYGLOT_TOOLS = ROOT / "tools" / "polyglot"
TS_CLIENTS = ["typescript-fetch", "openapi-typescript", "hey-api"]

# Pinned so that regeneration is byte-for-byte reproducible on any machine.
OPENAPI_PYTHON_CLIENT = "openapi-python-client==0.29.1"
RUFF = "ruff==0.17.5"
MYPY = "mypy==2.4.1"
OPENAPI_SPEC_VALIDATOR = "openapi-spec-validator==0.9.0"
OPENAPI_GENERATOR = "openapi-generator-cli==7.26.0"  # runs on Java; the PyPI package ships the jar
PYYAML = "pyyaml==6.0.3"
CHECK_JSONSCHEMA = "check-jsonschema==0.39.0"
SCHEMA_VALIDATOR = "openapi-schema-validator==0.9.0"
TEST_DEPS = [
    "pytest==9.2.0",
    "pytest-asyncio==1.5.0",
    "pytest-cov==7.1.0",
    PYYAML,
    SCHEMA_VALIDATOR,
    "hypothesis==6.170.17",  # the same pin as CONTRACT_DEPS: typecheck installs both lists
    "pytest-xdist==3.8.0",  # tests that wait on sockets, subprocesses or timers overlap on 4 workers
    "redis==8.1.0",  # RedisTokenStore's tests, against a redis-server they start (.ci/run installs it)
    "keyring==25.7.0",  # login's tests put a fake backend in it; on Linux it is otherwise the [keyring] extra
]
# Hypothesis is pinned too: it draws the cases, so a new release could change what a run tries.
CONTRACT_DEPS = ["schemathesis==4.32.5", "hypothesis==6.170.17"]

GENERATOR_DEPS = [OPENAPI_PYTHON_CLIENT, RUFF, PYYAML]
"""What `generate` and `generated` run: the client generator, ruff on its output, and the spec tables' reader."""

PYTHON_PATHS = ["wrapper", "tests", "benchmarks", "tools", "noxfile.py"]

# No telemetry, update checks or install-time analytics from the npm and Go tools.
TOOL_ENV = {
    "REDOCLY_TELEMETRY": "off",
    "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true",
    "SCARF_ANALYTICS": "false",
    "DO_NOT_TRACK": "1",
    "NO_UPDATE_NOTIFIER": "1",
    "GOTELEMETRY": "off",
}

nox.options.sessions = [
    "lint",
    "typecheck",
    "spec",
    "docs",
    "polyglot",
    "generated",
    "site",
    "coverage",
    "fuzz",
    "contract",
    "soak-short",
    "mutation",
]
nox.options.error_on_missing_interpreters = True
nox.options.reuse_venv = "yes"


@nox.session
def lint(session: nox.Session) -> None:
    """ruff over the hand-written code (the generated client has its own post-hooks); the CI workflows' schema."""
    session.install(RUFF, CHECK_JSONSCHEMA)
    session.run("ruff", "check", "--no-cache", *PYTHON_PATHS)
    session.run("ruff", "format", "--no-cache", "--check", *PYTHON_PATHS)
    # The CI workflows against the GitHub Actions schema that check-jsonschema ships (no network needed).
    workflows = sorted(str(path) for path in (ROOT / ".github" / "workflows").glob("*.yml"))
    session.run("check-jsonschema", "--builtin-schema", "vendor.github-workflows", *workflows)


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
    _npm_ci(session, SPEC_TOOLS)
    bin_dir = SPEC_TOOLS / "node_modules" / ".bin"
    session.run(str(bin_dir / "spectral"), "lint", "--fail-severity=warn", str(SPEC), external=True, env=TOOL_ENV)
    session.run(str(bin_dir / "redocly"), "lint", "--max-problems=50", str(SPEC), external=True, env=TOOL_ENV)
    session.run(
        str(bin_dir / "openapi-typescript"), str(SPEC), "-o", str(SPEC_TOOLS / "api.d.ts"),
        external=True, env=TOOL_ENV,
    )  # fmt: skip
    session.run(str(bin_dir / "tsc"), "-p", str(SPEC_TOOLS / "tsconfig.json"), external=True, env=TOOL_ENV)


def _npm_ci(session: nox.Session, tools: Path) -> None:
    """Install the npm tools pinned by `tools`/package-lock.json into `tools`/node_modules."""
    session.run(
        "npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix", str(tools),
        external=True, env=TOOL_ENV, silent=True,
    )  # fmt: skip


def _debian_jars(session: nox.Session, packages: dict[str, str]) -> None:
    """apt-get install the Debian package of each jar that is not on disk (CI runs as root)."""
    missing = [package for jar, package in packages.items() if not Path(jar).is_file()]
    if missing:
        env = {"DEBIAN_FRONTEND": "noninteractive"}
        session.run("apt-get", "update", "-qq", external=True, env=env, silent=True)
        session.run("apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing, external=True, env=env)


def _debian_tools(session: nox.Session, packages: dict[str, str]) -> None:
    """apt-get install the Debian package of each command that is not on PATH (CI runs as root)."""
    missing = [package for command, package in packages.items() if shutil.which(command) is None]
    if not missing:
        return
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    session.run("apt-get", "update", "-qq", external=True, env=env, silent=True)
    session.run(
        "apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing, external=True, env=env, silent=True
    )  # fmt: skip


# Every generator of openapi-generator runs with this: no tests or docs, which nothing here builds.
OPENAPI_GENERATOR_OPTIONS = ["--global-property=apiTests=false,modelTests=false,apiDocs=false,modelDocs=false"]
# The Go client as a Go team should generate it too:
# - disallowAdditionalPropertiesIfNotPresent=false: by default (the generator's "old, incorrect behaviour") every
#   model refuses a reply with a field the spec does not name, so a field 123pan adds would break every call;
# - useOneOfDiscriminatorLookup=true: otherwise each oneOf (every XxxReply) imports gopkg.in/validator.v2, which
#   only the Go module proxy serves. With no discriminator the reply still must match exactly one member.
# The module path is a name only; nothing is published there.
GO_CLIENT_OPTIONS = [
    "--additional-properties=disallowAdditionalPropertiesIfNotPresent=false,useOneOfDiscriminatorLookup=true",
    "--package-name=pan123",
    "--git-host=example.com",
    "--git-user-id=pan123-oss",
    "--git-repo-id=go",
]
# The Java client as a Java team would generate it, without jackson-databind-nullable (a `null` payload is a
# plain null field, which is what a failure reply carries).
JAVA_CLIENT_OPTIONS = [
    "--library=native",
    "--additional-properties=openApiNullable=false,invokerPackage=com.example.pan123,"
    "apiPackage=com.example.pan123.api,modelPackage=com.example.pan123.model",
]
# Maven Central is not reachable from CI: the Java client compiles against the Jackson and jsr310 classes the
# generator's own jar carries, and javax.annotation (Generated, Nullable) from Debian.
JAVA_CLASSPATH_DEBIAN = ["/usr/share/java/geronimo-annotation-1.3-spec.jar", "/usr/share/java/jsr305.jar"]
# The Go module proxy is not reachable from CI: build from the standard library and what is on disk only.
GO_ENV = {**TOOL_ENV, "GOFLAGS": "-mod=mod", "GOPROXY": "off", "GOTOOLCHAIN": "local", "GOSUMDB": "off"}


@nox.session
def polyglot(session: nox.Session) -> None:
    """Generate Go, Java and three TypeScript clients from the spec, compile them, and decode every reply with them.

    Clients: Go, Java (native) and typescript-fetch (openapi-generator), openapi-typescript with openapi-fetch, and
    the @hey-api/openapi-ts SDK with zod. Replies: every response example in the spec, plus
    tools/polyglot/replies.json (the seed reply, a failure, the documented minimal replies, a reply with unknown
    fields, a mistyped one that must be refused). Fails if a generator renames a schema, if anything does not
    compile, or if a reply does not decode to its values in its operation's reply type. Prints failures only;
    POLYGLOT_VERBOSE=1 prints every reply. `nox -s polyglot -- OTHER.yaml` checks another copy of the spec.
    """
    spec = Path(session.posargs[0]).resolve() if session.posargs else SPEC
    session.install(OPENAPI_GENERATOR, PYYAML, SCHEMA_VALIDATOR, ".")  # the package: `pan123-oss fake`
    _debian_tools(session, {"javac": "default-jdk-headless", "go": "golang-go"})
    _debian_jars(session, {JAVA_CLASSPATH_DEBIAN[0]: "libgeronimo-annotation-1.3-spec-java",
                           JAVA_CLASSPATH_DEBIAN[1]: "libjsr305-java"})  # fmt: skip
    _npm_ci(session, POLYGLOT_TOOLS)
    bin_dir = POLYGLOT_TOOLS / "node_modules" / ".bin"
    work = Path(session.create_tmp()).resolve() / "polyglot"
    shutil.rmtree(work, ignore_errors=True)
    go, ts, java = work / "go", work / "ts", work / "java"
    gen = ts / "gen"

    def openapi_generator(generator: str, out: Path, *options: str) -> None:
        session.run(
            "openapi-generator-cli", "generate", "--generator-name", generator, "--input-spec", str(spec),
            "--output", str(out), *OPENAPI_GENERATOR_OPTIONS, *options, silent=True, env=TOOL_ENV,
        )  # fmt: skip

    session.log("generating: go, typescript-fetch, java (openapi-generator); openapi-typescript; @hey-api/openapi-ts")
    openapi_generator("go", go, *GO_CLIENT_OPTIONS)
    openapi_generator("typescript-fetch", gen / "typescript-fetch")
    openapi_generator("java", java, *JAVA_CLIENT_OPTIONS)
    session.run(
        str(bin_dir / "openapi-typescript"), str(spec), "--output", str(gen / "openapi-typescript" / "api.d.ts"),
        external=True, env=TOOL_ENV, silent=True,
    )  # fmt: skip
    session.run(
        str(bin_dir / "openapi-ts"), "--silent", "--file", str(POLYGLOT_TOOLS / "openapi-ts.config.mjs"),
        external=True, env={**TOOL_ENV, "POLYGLOT_SPEC": str(spec), "POLYGLOT_OUT": str(gen / "hey-api")},
    )  # fmt: skip
    # Every check below runs even when one before it failed, so one run reports every problem.
    failed: list[str] = []

    def check(what: str, *args: str, **kwargs: Any) -> bool:
        try:
            session.run(*args, **kwargs)
        except nox.command.CommandFailed:
            failed.append(what)
            return False
        return True

    script = str(POLYGLOT_TOOLS / "polyglot.py")
    clients = [f"go={go}", f"java={java}", *(f"{name}={gen / name}" for name in TS_CLIENTS)]
    check("type names", "python", script, "names", str(spec), *clients)
    program = go / "cmd" / "polyglot"
    program.mkdir(parents=True)
    for source in (POLYGLOT_TOOLS / "go").glob("*.go"):
        shutil.copy(source, program)
    (go / "cmd" / "e2e").mkdir()
    shutil.copy(POLYGLOT_TOOLS / "go-e2e" / "main.go", go / "cmd" / "e2e")
    session.run("python", script, "fixtures", str(spec), str(work), str(program / "replies_gen.go"))
    fixtures = str(work / "fixtures.json")

    session.log("Go: build the client and the decoder, then decode")
    requires = re.findall(r"^\s+(\S+) v\S+$", (go / "go.mod").read_text(encoding="utf-8"), re.M)
    if requires:
        failed.append(f"Go: the client needs modules only the Go module proxy serves: {', '.join(requires)}")
    with session.chdir(go):
        go_built = not requires and check("Go build", "go", "build", "./...", external=True, env=GO_ENV)
        if go_built:
            check("Go vet", "go", "vet", "./cmd/polyglot", "./cmd/e2e", external=True, env=GO_ENV)
            check("Go decode", "go", "run", "./cmd/polyglot", fixtures, external=True, env=GO_ENV)

    session.log("Java: javac over the client and the decoder (offline), then decode")
    generator_jar = session.run(
        "python", "-c", "import openapi_generator_cli, pathlib; "
        "print(pathlib.Path(openapi_generator_cli.__file__).parent / 'openapi-generator.jar')",
        silent=True,
    )  # fmt: skip
    classpath = os.pathsep.join([str(generator_jar).strip(), *JAVA_CLASSPATH_DEBIAN])
    sources = [*map(str, (java / "src" / "main").rglob("*.java")), str(POLYGLOT_TOOLS / "java" / "Decode.java")]
    (java / "sources.txt").write_text("\n".join(sources), encoding="utf-8")
    classes = java / "classes"
    if check("Java compile", "javac", "-nowarn", "-encoding", "UTF-8", "-d", str(classes), "-cp", classpath,
             f"@{java / 'sources.txt'}", external=True, silent=True):  # fmt: skip
        check("Java decode", "java", "-cp", os.pathsep.join([str(classes), classpath]), "polyglot.Decode", fixtures,
              external=True)  # fmt: skip

    session.log("TypeScript: tsc over the three clients and the decoders, then decode")
    for source in [*POLYGLOT_TOOLS.glob("*.ts"), POLYGLOT_TOOLS / "tsconfig.json"]:
        shutil.copy(source, ts)
    (ts / "node_modules").symlink_to(POLYGLOT_TOOLS / "node_modules", target_is_directory=True)
    check("TypeScript compile", str(bin_dir / "tsc"), "-p", str(ts / "tsconfig.json"), external=True, env=TOOL_ENV)
    check("TypeScript decode", str(bin_dir / "tsx"), str(ts / "decode.ts"), fixtures, external=True, env=TOOL_ENV)

    session.log("End to end: the Go and TypeScript clients upload a file to `pan123-oss fake`")
    with _fake_123pan(session, spec) as fake:
        login = [fake["url"], fake["clientID"], fake["clientSecret"]]
        uploads = 0
        if go_built:
            with session.chdir(go):
                uploads += check("Go upload", "go", "run", "./cmd/e2e", *login, external=True, env=GO_ENV)
        uploads += check("TypeScript upload", str(bin_dir / "tsx"), str(ts / "e2e.ts"), *login, external=True)
        check("the fake's record", "python", script, "traffic", fake["url"], fake["adminKey"], str(uploads))
    if failed:
        session.error(f"failed: {'; '.join(failed)} (generated code kept in {os.path.relpath(work, ROOT)})")


@contextlib.contextmanager
def _fake_123pan(session: nox.Session, spec: Path) -> Iterator[dict[str, str]]:
    """Run `pan123-oss fake` (checking traffic against `spec`) for the block; yields its URL and credentials."""
    python = shutil.which("python", path=session.bin) or "python"
    command = [python, "-m", "pan123_oss", "fake", "--json", "--pending-polls", "1", "--spec", str(spec)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as fake:  # noqa: S603 - our own command
        try:
            assert fake.stdout is not None
            line = fake.stdout.readline()  # the fake prints one JSON line once it listens, or exits
            if not line:
                session.error("pan123-oss fake did not start")
            yield json.loads(line)
        finally:
            fake.terminate()
            fake.wait(timeout=30)


@nox.session
def docs(session: nox.Session) -> None:
    """Hold openapi.yaml to docs/api-tables.yaml, the record of the official docs: one line per mismatch.

    Lines read "docs say X, spec says Y"; see CONTRIBUTING.md. `nox -s docs -- --spec OTHER.yaml` checks
    another copy of the spec.
    """
    session.install(PYYAML)
    session.run(
        "python", "tools/docs_check.py", "--spec", "openapi.yaml", "--record", "docs/api-tables.yaml",
        *session.posargs,
    )  # fmt: skip


def _generate_into(session: nox.Session, target: Path) -> None:
    """Generate the client package into `target` (which must not exist) with the pinned generator."""
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


def _tables_into(session: nox.Session, target: Path) -> None:
    """Write the wrapper's operation and schema tables (what a valid reply is) from the spec."""
    session.run("python", str(ROOT / "tools" / "spec_tables.py"), str(SPEC), str(target), silent=True)
    # The project's own ruff settings: the module lives in wrapper/, which `nox -s lint` checks.
    session.run("ruff", "format", "--no-cache", "--quiet", str(target))


def _sync_driver_into(session: nox.Session, target: Path) -> None:
    """Write the blocking driver (`_sync/`) from the hand-written async one (httpcore's unasync approach)."""
    session.run("python", str(ROOT / "tools" / "unasync.py"), str(ASYNC_DRIVER), str(target), silent=True)
    # With the project's settings, so that the result is what `nox -s lint` expects of wrapper/.
    session.run(
        "ruff", "check", "--no-cache", "--quiet", "--fix", "--config", str(ROOT / "pyproject.toml"), str(target)
    )
    session.run("ruff", "format", "--no-cache", "--quiet", "--config", str(ROOT / "pyproject.toml"), str(target))


@nox.session
def generate(session: nox.Session) -> None:
    """Wipe and regenerate generated_client/pan123_oss_api from openapi.yaml."""
    session.install(*GENERATOR_DEPS)
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / GENERATED.name
        _generate_into(session, fresh)
        shutil.rmtree(GENERATED, ignore_errors=True)
        shutil.copytree(fresh, GENERATED)
    _tables_into(session, SPEC_TABLES)
    shutil.rmtree(SYNC_DRIVER, ignore_errors=True)
    _sync_driver_into(session, SYNC_DRIVER)
    session.log(f"regenerated {GENERATED.relative_to(ROOT)}, {SPEC_TABLES.relative_to(ROOT)}, {SYNC_DRIVER.name}/")


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
    session.install(*GENERATOR_DEPS)
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / GENERATED.name
        _generate_into(session, fresh)
        if not GENERATED.is_dir():
            session.error(f"{GENERATED.relative_to(ROOT)} is missing: run `nox -s generate`")
        problems = _tree_differences(GENERATED, fresh)
        tables, sync_driver = Path(tmp) / SPEC_TABLES.name, Path(tmp) / SYNC_DRIVER.name
        _tables_into(session, tables)
        if not SPEC_TABLES.is_file() or not filecmp.cmp(SPEC_TABLES, tables, shallow=False):
            problems.append(f"differs: {SPEC_TABLES.relative_to(ROOT)}")
        _sync_driver_into(session, sync_driver)
        problems += [f"{SYNC_DRIVER.name}/: {problem}" for problem in _tree_differences(SYNC_DRIVER, sync_driver)]
    if problems:
        session.error(
            "generated code is out of date or was edited by hand; run `nox -s generate` and commit:\n  "
            + "\n  ".join(problems)
        )
    session.log("generated_client/ and the spec tables match the spec byte for byte")


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite on four workers: what to run after each change. `nox -s coverage` runs the same tests traced."""
    _suite(session)


@nox.session
def coverage(session: nox.Session) -> None:
    """The test suite traced by coverage.py, failing under 90 % of the wrapper's lines and branches: what `nox` and CI
    run. On Python 3.11 a trace function turns off the interpreter's specialising for all code, not only the
    wrapper's, so the traced suite takes about twice the CPU; `nox -s tests` is the same tests untraced."""
    _suite(session, "--cov=pan123_oss", "--cov-report=term-missing", "--cov-fail-under=90")


def _suite(session: nox.Session, *options: str) -> None:
    session.install(*TEST_DEPS, ".")
    # RedisTokenStore is tested against a real redis-server. As root (CI), install it; elsewhere its tests
    # skip with a message saying how to install it.
    if shutil.which("apt-get") is not None and os.geteuid() == 0:
        _debian_tools(session, {"redis-server": "redis-server"})
    session.run(
        "pytest",
        *options,
        "-p", "no:cacheprovider",
        "-n", "4", "--dist", "worksteal",
        *session.posargs,
        env={
            "COVERAGE_FILE": str(Path(session.create_tmp()) / ".coverage"),
            "HYPOTHESIS_STORAGE_DIRECTORY": str(Path(session.create_tmp()) / "hypothesis"),
            **_rewritten_tests_kept(session),
        },
    )  # fmt: skip


def _rewritten_tests_kept(session: nox.Session) -> dict[str, str]:
    """Where PYTHONDONTWRITEBYTECODE is set, each xdist worker would rewrite the asserts of every test module
    again (~3 s of CPU each under coverage): keep pytest's rewritten modules, as it does by default, but in the
    session's tmp dir rather than the work tree."""
    if not os.environ.get("PYTHONDONTWRITEBYTECODE"):
        return {}
    return {"PYTHONDONTWRITEBYTECODE": "", "PYTHONPYCACHEPREFIX": str(Path(session.create_tmp()) / "pycache")}


@nox.session
def fuzz(session: nox.Session) -> None:
    """The suite's Hypothesis properties with ten times its examples (the `fuzz` profile, tests/conftest.py)."""
    session.install(*TEST_DEPS, ".")
    session.run(
        "pytest", "-p", "no:cacheprovider", "-m", "hypothesis", "--hypothesis-profile=fuzz", "-n", "auto",
        *session.posargs,
        env={"HYPOTHESIS_STORAGE_DIRECTORY": str(Path(session.create_tmp()) / "hypothesis")},
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


SITE_DEPS = ["mkdocs==1.6.1", "mkdocs-material==9.8.1", "mkdocstrings==1.0.8", "mkdocstrings-python==2.0.11", RUFF]


@nox.session
def site(session: nox.Session) -> None:
    """Build the documentation site (mkdocs-material; the API reference from the docstrings), warnings as errors."""
    session.install(*SITE_DEPS, ".")
    out = Path(session.create_tmp()) / "site"
    session.run("mkdocs", "build", "--strict", "--site-dir", str(out), env={"NO_MKDOCS_2_WARNING": "1"})
    session.log(f"site built in {os.path.relpath(out, ROOT)}")


MUTMUT = "mutmut==3.8.1"
MUTATION_TARGET = 0.90
"""The share of mutants the suite must kill in the files a change touched."""
MUTATION_CHANGED_SAMPLE = 150
"""Mutants run at most when CI mutates the changed modules (a seeded sample of them past this): a one-module change
of about a hundred mutants took 18 minutes on two cores, where all of `_flows/_call.py`'s would take hours."""


def _mutation_files(session: nox.Session, named: list[str], whole: bool) -> list[str]:
    """The hand-written modules to mutate: every one with `--sample`, else those named, else those changed since
    $MUTATION_BASE (default HEAD~1)."""
    if named and not whole:
        return [str(Path(name).as_posix()) for name in named]
    if whole:
        listed = session.run("git", "ls-files", "--", "wrapper/pan123_oss/", external=True, silent=True)
    else:
        base = os.environ.get("MUTATION_BASE") or "HEAD~1"
        if not _is_commit(session, base):  # a new branch's first push has no commit before it (all zeros)
            session.log(f"MUTATION_BASE {base} is no commit here: mutating what HEAD changed")
            base = "HEAD~1"
        if not _is_commit(session, base):
            return []
        listed = session.run(
            "git", "diff", "--name-only", base, "--", "wrapper/pan123_oss/", external=True, silent=True
        )  # fmt: skip
    spec_tables, sync_driver = SPEC_TABLES.relative_to(ROOT).as_posix(), SYNC_DRIVER.relative_to(ROOT).as_posix()
    return [name for name in str(listed).split()
            if name.endswith(".py") and name != spec_tables and not name.startswith(sync_driver + "/")
            and (ROOT / name).is_file()]  # fmt: skip


def _is_commit(session: nox.Session, name: str) -> bool:
    found = session.run("git", "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}", external=True, silent=True,
                        success_codes=[0, 1])  # fmt: skip
    return bool(str(found).strip())


@nox.session
def mutation(session: nox.Session) -> None:
    """Mutation testing (mutmut) of the hand-written package: the suite must kill 90 % of the mutants.

    `nox -s mutation -- --sample 400 --seed 1` runs 400 mutants drawn (with that seed) from every hand-written
    module; `nox -s mutation -- wrapper/pan123_oss/_policy.py ...` every mutant of those modules; without
    arguments, those of the modules changed since $MUTATION_BASE (default HEAD~1), as CI does, at most
    MUTATION_CHANGED_SAMPLE of them (`--sample N` to change that); it skips when no hand-written module changed.
    mutmut wants the package under src/, so the session lays the tree out that way in a temporary folder;
    `tools/mutation.py` prints the kills per module and every survivor, and fails below 90 %.
    """
    import argparse

    parser = argparse.ArgumentParser(prog="nox -s mutation --")
    parser.add_argument("--sample", type=int, help="run this many mutants, drawn with --seed")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--whole", action="store_true", help="mutate every hand-written module (implied by "
                        "--sample unless modules are named or $MUTATION_BASE is set)")  # fmt: skip
    parser.add_argument("modules", nargs="*")
    args = parser.parse_args(session.posargs)
    whole = args.whole or (args.sample is not None and not args.modules and "MUTATION_BASE" not in os.environ)
    files = _mutation_files(session, args.modules, whole)
    if not files:
        session.skip("no hand-written module changed: nothing to mutate")
    session.install(MUTMUT, *TEST_DEPS, "-r", str(_runtime_requirements(session)))
    work = Path(session.create_tmp()).resolve() / "mutation"
    shutil.rmtree(work, ignore_errors=True)
    # The whole checkout (tests read README, the spec, the tools), plus the two packages under src/.
    tracked = session.run("git", "ls-files", external=True, silent=True)
    for name in str(tracked).splitlines():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, work / name)
    shutil.copytree(ROOT / "wrapper" / "pan123_oss", work / "src" / "pan123_oss")
    shutil.copytree(GENERATED, work / "src" / GENERATED.name)
    also_copy = sorted({name.split("/")[0] for name in str(tracked).splitlines()} | {"src/pan123_oss_api"})
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    only = ", ".join(f'"src/{Path(name).relative_to("wrapper").as_posix()}"' for name in files)
    (work / "pyproject.toml").write_text(
        pyproject
        + "\n[tool.mutmut]\n"
        + 'source_paths = ["src"]\n'
        + f"only_mutate = [{only}]\n"
        + 'pytest_add_cli_args_test_selection = ["tests"]\n'
        + f"also_copy = {json.dumps(also_copy)}\n"
        + 'pytest_add_cli_args = ["-o", "pythonpath=tools", "-p", "no:cacheprovider"]\n'
        # A mutant that hangs a test (a lock taken with no timeout) is stopped after four times its tests' own
        # time plus 40 s, not mutmut's default of fifteen times: one such mutant held CI for a quarter of an hour.
        + "timeout_multiplier = 4.0\ntimeout_constant = 10.0\n",
        encoding="utf-8",
    )
    # Tests that start `python -m pan123_oss` in a subprocess must import the mutated copy too (mutmut puts it
    # on sys.path only in its own process); PYTHONPATH would do that too early, before mutmut sets up.
    purelib = session.run("python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", silent=True)
    (Path(str(purelib).strip()) / "pan123_oss_mutants.pth").write_text(f"{work / 'mutants' / 'src'}\n")
    if args.sample is None and not args.modules and not whole:
        args.sample = MUTATION_CHANGED_SAMPLE
    sample = ["--sample", str(args.sample), "--seed", str(args.seed)] if args.sample is not None else []
    with session.chdir(work):
        session.run("python", str(ROOT / "tools" / "mutation.py"), *sample, "--target", str(MUTATION_TARGET))


def _runtime_requirements(session: nox.Session) -> Path:
    """The project's runtime dependencies as a requirements file, so that the package itself is not installed
    (mutmut must import the mutated copy, not an installed one)."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    path = Path(session.create_tmp()) / "runtime-requirements.txt"
    path.write_text("\n".join(project["dependencies"]) + "\n", encoding="utf-8")
    return path
