"""`--format`: what a command prints for each file it stored (the link, the file ID, Markdown, HTML, JSON, or a
template), checked whole before anything is uploaded so that a bad one costs no upload."""

from __future__ import annotations

import dataclasses
import html
import json
import re
import string
from typing import TypeVar

from .._errors import Pan123Error
from .._types import FileInfo, UploadResult

FORMATS = ("id", "url", "self-url", "markdown", "html", "json")
TEMPLATE_FIELDS = ("url", "self_url", "filename", "file_id")
SAMPLE = FileInfo(
    file_id="1234567", filename="sample.png", parent_id="", is_folder=False, size=1, etag="0" * 32, status=0,
    url="https://example.test/sample.png", self_url="https://example.test/sample.png", created_at="", updated_at="",
)  # fmt: skip
"""What a template is rendered on once, to check it, before anything is uploaded."""
MAX_FIELD_WIDTH = 1000
"""The largest width or precision a template field may ask for: `{file_id:>999999999}` would build a
gigabyte-long line for every file (and spend seconds doing it) before printing anything."""

_SPEC_NUMBER = re.compile(r"\d+")


def check_format(value: str) -> str:
    """A named format, or a template that renders fast: its fields all known (a ValueError names the bad one),
    no width or precision over `MAX_FIELD_WIDTH`, no field nested in a format spec (its value would become the
    spec), and it renders on `SAMPLE` (an unknown conversion or format code fails here, not after the uploads)."""
    if value in FORMATS:
        return value
    try:
        parsed = list(string.Formatter().parse(value))
    except ValueError as exc:
        raise ValueError(f"--format {value!r}: {exc} (write a literal brace as {{{{ or }}}})") from None
    fields = [field for _, field, _, _ in parsed if field is not None]
    if not fields:
        raise ValueError(f"--format must be one of {', '.join(FORMATS)}, or a template using {{url}}, got {value!r}")
    unknown = [f for f in fields if f not in TEMPLATE_FIELDS]
    if unknown:
        raise ValueError(
            f"--format template: unknown field {{{unknown[0]}}}; use {{url}} {{self_url}} {{filename}} {{file_id}}"
        )
    for _, field, spec, _ in parsed:
        if field is None or not spec:
            continue
        if "{" in spec:
            raise ValueError(f"--format {value!r}: a field inside a format spec ({{{field}:{spec}}}) is not allowed")
        widest = max((int(n) for n in _SPEC_NUMBER.findall(spec)), default=0)
        if widest > MAX_FIELD_WIDTH:
            raise ValueError(
                f"--format {value!r}: width or precision {widest} in {{{field}:{spec}}} is over {MAX_FIELD_WIDTH}"
            )
    try:
        render(SAMPLE, value)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise ValueError(f"--format {value!r} cannot be rendered: {exc}") from None
    return value


def render(result: UploadResult | FileInfo, fmt: str) -> str:
    """One output line for one upload or import."""
    if fmt == "id":
        return result.file_id
    if fmt == "json":
        return json.dumps({**dataclasses.asdict(result), "fileID": result.file_id, "rejected": result.rejected})
    url, self_url = result.url or "", result.self_url or ""
    if fmt == "url":
        return url
    if fmt == "self-url":
        if not self_url:
            raise Pan123Error(
                f"{result.filename} has no link on your own domain (userSelfURL is empty): set a custom domain up "
                "in the 123pan console, or use --format url"
            )
        return self_url
    if fmt == "markdown":
        alt = result.filename.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
        target = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
        return f"![{alt}]({target})"
    if fmt == "html":
        return f'<img src="{html.escape(url)}" alt="{html.escape(result.filename)}">'
    return fmt.format_map({"url": url, "self_url": self_url, "filename": result.filename, "file_id": result.file_id})


Result = TypeVar("Result", UploadResult, FileInfo)


def accepted(stored: Result) -> Result:
    """`stored`, unless review rejected it: then its link serves nothing, and a link is what was asked for."""
    if stored.rejected:
        raise Pan123Error(f"rejected by review (status {stored.status}); file ID {stored.file_id}")
    return stored
