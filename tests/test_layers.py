"""The package's layers, as docs/maintainers/architecture.md draws them: each imports only from those below it.

A flow that imported a driver, or the client that imported the command line, would still pass every other test;
this keeps the tree an honest picture of the architecture.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "wrapper" / "pan123_oss"

# Lowest first: the order of the tree in docs/maintainers/architecture.md.
LAYERS = [
    "_policy", "_types", "_errors", "_config", "_spec", "_platform", "_private", "_source", "_flows", "_stores",
    "_backend", "_client_base", "_async", "_sync", "__init__", "_serve", "testing", "_cli", "__main__",
]  # fmt: skip


def _module_name(path: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    return ".".join(parts[:-1] if is_package else parts), is_package


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path, source: str) -> list[str]:
    """The pan123_oss modules `path` imports, relative imports resolved."""
    module, is_package = _module_name(path)
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
        else:
            target = node.module or ""
        if target == "pan123_oss":
            found += [f"pan123_oss.{alias.name}" for alias in node.names]
        elif target.startswith("pan123_oss."):
            found.append(target)
    return found


def layering_problems(sources: dict[Path, str]) -> list[str]:
    rank = {name: i for i, name in enumerate(LAYERS)}
    problems = []
    for path, source in sources.items():
        module, _ = _module_name(path)
        here = _layer(module)
        for target in _imports(path, source):
            there = _layer(target)
            if rank.get(there, -1) > rank[here]:
                problems.append(f"{path.relative_to(PACKAGE)}: {here} imports {target}, a layer above it")
    return problems


def test_every_module_of_the_package_has_a_layer() -> None:
    tops = {_layer(_module_name(p)[0]) for p in PACKAGE.rglob("*.py")}
    assert tops <= set(LAYERS), f"add {sorted(tops - set(LAYERS))} to LAYERS and the architecture page's tree"


def test_each_layer_imports_only_from_the_layers_below_it() -> None:
    sources = {path: path.read_text(encoding="utf-8") for path in sorted(PACKAGE.rglob("*.py"))}
    assert layering_problems(sources) == []


@pytest.mark.parametrize(
    ("where", "source", "climbs"),
    [
        ("_flows/_upload.py", "from .._cli import main\n", "pan123_oss._cli"),
        ("_flows/_upload.py", "from .. import _async\n", "pan123_oss._async"),
        ("_policy.py", "from pan123_oss._errors import Pan123Error\n", "pan123_oss._errors"),
        ("_serve/_picgo.py", "from ..testing import FakePan123\n", "pan123_oss.testing"),
    ],
)
def test_the_check_finds_an_import_that_climbs(where: str, source: str, climbs: str) -> None:
    assert [climbs in problem for problem in layering_problems({PACKAGE / where: source})] == [True]


def test_the_check_lets_an_import_from_below_pass() -> None:
    assert layering_problems({PACKAGE / "_cli" / "_upload.py": "from .._flows._call import wait\n"}) == []


def test_importing_the_client_loads_neither_the_command_line_nor_the_fake() -> None:
    code = "import sys, pan123_oss; print(sorted(m for m in sys.modules if m.startswith('pan123_oss.')))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    for heavy in ("pan123_oss._cli", "pan123_oss._serve", "pan123_oss.testing"):
        assert f"'{heavy}'" not in loaded and f"'{heavy}." not in loaded
