"""The snippets of docs/other-languages.md ("Using openapi.yaml from other languages") are the code `nox -s polyglot`
compiles and runs.

The Go, TypeScript and Java snippets are cut from the regions marked `README: <language>` in tools/polyglot/ (the
end-to-end upload programs and the Java decoder); the Python snippet runs here, on the documented replies.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import pytest

from pan123_oss_api.models import UploadAsyncResultReply
from spec_helpers import response_example

ROOT = Path(__file__).resolve().parent.parent
POLYGLOT = ROOT / "tools" / "polyglot"
PAGE = ROOT / "docs" / "other-languages.md"


def readme_block(fence: str) -> str:
    """The first ```fence block of the page for other languages."""
    page = PAGE.read_text(encoding="utf-8")
    found = re.search(rf"^```{fence}\n(.*?)^```$", page, re.M | re.S)
    assert found is not None, f"no {fence} snippet in {PAGE.name}"
    return found.group(1)


def marked(path: Path, label: str) -> str:
    """The lines between `// README: <label>` and `// README: end` in a source file, dedented."""
    text = path.read_text(encoding="utf-8")
    found = re.search(rf"^[ \t]*// README: {label}\n(.*?)^[ \t]*// README: end$", text, re.M | re.S)
    assert found is not None, f"no region marked README: {label} in {path.name}"
    return textwrap.dedent(found.group(1))


@pytest.mark.parametrize(
    ("fence", "source", "label"),
    [
        ("go", POLYGLOT / "go-e2e" / "main.go", "Go"),
        ("ts", POLYGLOT / "e2e.ts", "TypeScript"),
        ("java", POLYGLOT / "java" / "Decode.java", "Java"),
    ],
)
def test_each_compiled_snippet_is_the_code_polyglot_runs(fence: str, source: Path, label: str) -> None:
    assert readme_block(fence) == marked(source, label)


def python_snippet(body: dict[str, Any]) -> Any:
    scope: dict[str, Any] = {"UploadAsyncResultReply": UploadAsyncResultReply, "body": body}
    exec(readme_block("python"), scope)  # noqa: S102 - the page's own snippet
    return scope["file_id"]


def test_the_python_snippet_reads_a_success_and_a_pending_reply() -> None:
    assert python_snippet(response_example("uploadAsyncResult", "completed")) == (
        "rehu6baz03t0l000d7freterfbyq51l4izkneDIYPAIDOBIY0DcxvDwFO"
    )
    assert python_snippet(response_example("uploadAsyncResult", "pending")) is None


def test_the_python_snippet_raises_on_a_failure_with_its_code_and_trace() -> None:
    failure = response_example("uploadAsyncResult", "checkFailed")
    with pytest.raises(RuntimeError, match=rf"^1 .*trace {failure['x-traceID']}"):
        python_snippet(failure)
