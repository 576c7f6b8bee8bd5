"""`docs/reference/cli.md`, the command line's reference, is what the parser says: every command, its help and
description, and each argument's flags, default and help. Regenerate it after changing an option with
`python tests/test_cli_reference.py` (from the repository's root, the package importable)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pytest

from pan123_oss._cli import _parser

REFERENCE = Path(__file__).resolve().parent.parent / "docs" / "reference" / "cli.md"


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _arguments(parser: argparse.ArgumentParser) -> list[str]:
    rows = ["| argument | default | what it does |", "| --- | --- | --- |"]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction | argparse._HelpAction):
            continue
        names: str = ", ".join(action.option_strings) or str(action.metavar or action.dest)
        if action.metavar and action.option_strings and action.nargs != 0:
            names += f" {action.metavar}"
        elif action.option_strings and action.nargs != 0 and action.choices:
            names += " {" + ",".join(map(str, action.choices)) + "}"
        elif action.option_strings and action.nargs != 0:
            names += f" {action.dest.upper()}"
        if action.nargs in ("+", "*"):
            names += " ..." if not action.option_strings else ""
        default = action.default
        shown = (
            "" if default in (None, argparse.SUPPRESS, False, [], "") or action.nargs == 0 else f"`{_cell(default)}`"
        )
        rows.append(f"| `{_cell(names)}` | {shown} | {_cell(action.help or '')} |")
    return rows


def reference() -> str:
    """The reference as markdown, from the parser itself."""
    parser = _parser.build()
    lines = [
        "# Command-line reference",
        "",
        "<!-- Written by tests/test_cli_reference.py from the parser; regenerate it, do not edit it. -->",
        "",
        _cell(parser.description),
        "",
        "Options taken before the command:",
        "",
        *_arguments(parser),
    ]
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    summaries = {choice.dest: choice.help for choice in commands._choices_actions}
    for name, sub in commands.choices.items():
        lines += ["", f"## `pan123-oss {name}`", "", _cell(summaries.get(name) or "")]
        if sub.description:
            lines += ["", _cell(sub.description)]
        lines += ["", *_arguments(sub)]
    return "\n".join(lines) + "\n"


def test_the_reference_is_what_the_parser_says(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAN123_SERVE_KEY", raising=False)  # it would be the default of --key
    assert REFERENCE.read_text(encoding="utf-8") == reference(), (
        "docs/reference/cli.md is out of date: run python tests/test_cli_reference.py"
    )


if __name__ == "__main__":
    os.environ.pop("PAN123_SERVE_KEY", None)
    REFERENCE.write_text(reference(), encoding="utf-8")
    sys.stdout.write(f"wrote {REFERENCE}\n")
