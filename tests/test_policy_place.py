"""Every interval, deadline, retry number and size limit the client uses is named in `pan123_oss._policy`.

The check reads the source of the hand-written modules (not the generated `_spec.py` and `_sync/`, nor the
command line, `serve` and `testing/`, listed in `EXCLUDED`) and reports:

- a module-level constant whose value is a number, or numbers (`X = 5.0`, `X = 1 << 20`, `A, B = 3, 0.5`): it
  belongs in `_policy`, unless it is a fact of the API rather than a choice of the client (a reply code, a task
  state), listed with its reason in `API_FACTS`;
- a parameter default that is a number other than 0, 1 or -1: a public default names its `_policy` constant, so
  that the reference shows one source;
- a float literal other than 0.0 and 1.0 anywhere: seconds and fractions are policy;
- a number other than 0 where a time or a limit goes: a keyword argument such as `timeout=`, `ttl=`, `delay=`,
  `maxsize=` or `limit=` (`TIMED`), or the argument of a `sleep()`.

Whole numbers elsewhere in function bodies are not checked: HTTP statuses, reply codes, unit conversions
(`* 1000`) and how many IDs an error message lists are whole numbers too, and telling those from a limit
would take guessing.
"""

from __future__ import annotations

import ast
import inspect
import operator
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import pan123_oss
from pan123_oss import _policy
from pan123_oss._client_base import _Base

PACKAGE = Path(__file__).resolve().parents[1] / "wrapper" / "pan123_oss"
"""The source tree, not the installed package: under mutmut the installed one is the mutated copy."""
EXCLUDED = {
    "_policy.py",  # the one place
    "_spec.py",  # generated from openapi.yaml
}
EXCLUDED_FOLDERS = {"_sync", "testing", "_cli", "_serve"}
"""`_sync/` is generated from `_async/`, which is checked. The command line's option defaults stay beside their
options (serve's limits are `ServeLimits`, in `_policy`), and the fake's numbers are the service's, not ours."""

API_FACTS = {
    ("_flows/_replies.py", "OK"): "the success code [doc]",
    ("_flows/_replies.py", "BEING_VERIFIED"): 'code 20103, "being verified" [seen]',
    ("_flows/_replies.py", "TOKEN_INVALID"): "code 401 [doc]",
    ("_flows/_replies.py", "TOO_MANY_REQUESTS"): "code 429 [doc]",
    ("_flows/_migration.py", "OFFLINE_FAILED"): "an offline task's state [doc]",
    ("_flows/_migration.py", "OFFLINE_DONE"): "an offline task's state [doc]",
    ("_flows/_migration.py", "COPY_DONE"): "a copy task's state [doc]",
    ("_flows/_migration.py", "COPY_FAILED"): "a copy task's state [doc]",
    ("_types.py", "REJECTED_ABOVE"): "review statuses above 100 mean rejected [doc]",
    ("_stores/_redis_rates.py", "NEVER"): "stands for an infinite wait in a Lua script's arguments, not a limit",
}
"""Module-level numbers that state the API, not a choice of the client: (module, name) -> why."""

TIMED = re.compile(
    r"timeout|ttl|wait|delay|interval|margin|grace|patience|deadline|seconds|retry"
    r"|max|min|limit|size|attempts|entries|connections|concurrency|workers|pages",
    re.IGNORECASE,
)
"""Keyword arguments that take a time or a limit."""
TRIVIAL_DEFAULTS = {0, 1, -1}
TRIVIAL_FLOATS = {0.0, 1.0}


_OPERATORS: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv, ast.Pow: operator.pow, ast.LShift: operator.lshift,
}  # fmt: skip


def _number(node: ast.expr) -> float | None:
    """The value of `node` if it is a number written out (with a sign, or arithmetic of numbers), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        value = _number(node.operand)
        return None if value is None else (-value if isinstance(node.op, ast.USub) else value)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        left, right = _number(node.left), _number(node.right)
        if left is not None and right is not None:
            return _OPERATORS[type(node.op)](left, right)  # type: ignore[no-any-return]
    return None


def _numbers(node: ast.expr) -> bool:
    """Whether `node` is a number, or a tuple of them."""
    if isinstance(node, ast.Tuple):
        return bool(node.elts) and all(_numbers(elt) for elt in node.elts)
    return _number(node) is not None


def _targets(node: ast.Assign | ast.AnnAssign) -> list[str]:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    names: list[str] = []
    for target in targets:
        elts = target.elts if isinstance(target, ast.Tuple) else [target]
        names += [elt.id for elt in elts if isinstance(elt, ast.Name)]
    return names


def problems_in(source: str, module: str) -> list[str]:
    """Every number in `source` (the text of `module`, a path inside the package) that belongs in `_policy`."""
    tree = ast.parse(source)
    found: list[str] = []
    facts: set[int] = set()  # the nodes of the API facts' values, which the float rule lets be too
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None and _numbers(node.value):
            names = _targets(node)
            for name in names:
                if (module, name) not in API_FACTS:
                    found.append(f"{module}:{node.lineno}: module constant {name} is a number: name it in _policy")
            if all((module, name) in API_FACTS for name in names):
                facts.update(id(part) for part in ast.walk(node.value))
    for item in ast.walk(tree):
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            args = item.args
            for default in [*args.defaults, *(d for d in args.kw_defaults if d is not None)]:
                value = _number(default)
                if value is not None and value not in TRIVIAL_DEFAULTS:
                    found.append(f"{module}:{default.lineno}: default {value!r}: use the _policy constant")
        elif isinstance(item, ast.Constant) and isinstance(item.value, float) and item.value not in TRIVIAL_FLOATS:
            if id(item) not in facts:
                found.append(f"{module}:{item.lineno}: float {item.value!r}: name it in _policy")
        elif isinstance(item, ast.Call):
            callee = item.func.attr if isinstance(item.func, ast.Attribute) else getattr(item.func, "id", "")
            timed = [kw.value for kw in item.keywords if kw.arg is not None and TIMED.search(kw.arg)]
            if callee == "sleep":
                timed += item.args
            for arg in timed:
                value = _number(arg)
                if value is not None and value != 0:
                    found.append(f"{module}:{arg.lineno}: {value!r} as a time or limit of {callee}: name it in _policy")
    return sorted(set(found))


def _checked_modules() -> list[Path]:
    return [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name not in EXCLUDED and not EXCLUDED_FOLDERS.intersection(path.relative_to(PACKAGE).parts[:-1])
    ]


def test_every_number_of_the_hand_written_package_is_named_in_policy() -> None:
    modules = _checked_modules()
    assert len(modules) > 20, "the package was not found where the check looks"
    found = [
        problem
        for path in modules
        for problem in problems_in(path.read_text(encoding="utf-8"), path.relative_to(PACKAGE).as_posix())
    ]
    assert found == []


def test_the_api_facts_allowed_elsewhere_still_exist() -> None:
    # A stale entry would let a new number of the same name in unchecked.
    for module, name in API_FACTS:
        tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
        names = [n for node in tree.body if isinstance(node, ast.Assign | ast.AnnAssign) for n in _targets(node)]
        assert name in names, f"{module} defines no {name}: drop it from API_FACTS"


@pytest.mark.parametrize(
    "source",
    [
        "WAIT = 5.0\n",
        "LIMIT = 1 << 10\n",
        "LIMIT: int = 100\n",
        "PAGES = -(2 ** 3)\n",
        "ATTEMPTS, GAP = 3, 0.5\n",
        "def f(timeout=30): ...\n",
        "def f(*, jobs: int = 3): ...\n",
        "async def f(x, ttl: float = 3600.0): ...\n",
        "def f(): g(timeout=30)\n",
        "def f(): time.sleep(2)\n",
        "def f(): return queue.Queue(maxsize=8)\n",
        "def f(): return Body(limit=100)\n",
        "def f(x): return x * 0.9\n",
        "def f(x): return min(x, 120.0)\n",
    ],
)
def test_the_check_finds_a_number_out_of_place(source: str) -> None:
    assert problems_in(source, "_flows/_example.py")


@pytest.mark.parametrize(
    "source",
    [
        "from ._policy import UPLOAD_WAIT\ndef f(timeout: float = UPLOAD_WAIT): ...\n",
        "def f(status): return status >= 500 or status == 429\n",
        "def f(ids): return ', '.join(ids[:10])\n",
        "def f(ms): return int(ms * 1000)\n",
        "def f(after: float = 0.0, n: int = 1, lock_timeout: int = -1): g(timeout=0)\n",
        "def f(x): return max(0.0, 1.0 - x)\n",
        'PATH = "/upload/v1/oss/file/create"\nNAMES = ("a", "b")\n',
        "OK = 0\n",  # a fact of the API where API_FACTS says so
    ],
)
def test_the_check_lets_other_numbers_be(source: str) -> None:
    assert problems_in(source, "_flows/_replies.py") == []


def _default(function: object, name: str) -> object:
    return inspect.signature(function).parameters[name].default  # type: ignore[arg-type]


@pytest.mark.parametrize("client", [pan123_oss.Client, pan123_oss.AsyncClient])
def test_public_defaults_are_the_policy_constants_themselves(
    client: type[pan123_oss.Client | pan123_oss.AsyncClient],
) -> None:
    # The same object, not an equal literal: the reference shows the constant's name, and changing it in
    # `_policy` changes every default.
    assert _default(client.wait_for_upload, "timeout") is _policy.UPLOAD_WAIT
    assert _default(client.import_url, "timeout") is _policy.TASK_WAIT
    assert _default(client.copy_from_drive, "timeout") is _policy.TASK_WAIT
    assert _default(client.upload_file, "concurrency") is _policy.UPLOAD_CONCURRENCY
    assert _default(client.resume_upload, "concurrency") is _policy.UPLOAD_CONCURRENCY
    assert _default(_Base, "timeout") is _policy.REQUEST_TIMEOUT
    assert _default(_Base, "refresh_margin") is _policy.REFRESH_MARGIN
    assert _default(_Base, "max_connections") is _policy.MAX_CONNECTIONS
    assert _default(pan123_oss.RedisTokenStore, "lock_ttl") is _policy.TOKEN_LOCK_TTL
    assert _default(pan123_oss.RedisTokenStore, "io_timeout") is _policy.STORE_IO_TIMEOUT
    assert _default(pan123_oss.RedisRates, "ttl") is _policy.RATES_TTL
