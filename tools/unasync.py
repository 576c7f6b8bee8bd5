"""Generates the blocking driver from the hand-written async one, the way httpcore keeps its twins.

    python tools/unasync.py wrapper/pan123_oss/_async wrapper/pan123_oss/_sync

Every module of `_async/` becomes the module of the same name in `_sync/`: only `await`, `async` and the
`Async` prefixes go; everything else is the same code, so the two clients cannot drift apart. `nox -s generate`
runs this and then ruff (to tidy the imports it leaves), and `nox -s generated` fails if the committed `_sync/`
differs from what it writes.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

SUBS = [
    (r"\basync def ", "def "),
    (r"\basync with ", "with "),
    (r"\basync for ", "for "),
    (r"\bawait ", ""),
    (r"\bAwaitable\[([^\[\]]+)\]", r"\1"),
    (r"\bAsyncBackend\b", "SyncBackend"),
    (r"\bAsyncBaseTransport\b", "BaseTransport"),
    (r"\bAsyncClient\b", "Client"),
    (r"\bAsyncIterator\b", "Iterator"),
    (r"\b__aenter__\b", "__enter__"),
    (r"\b__aexit__\b", "__exit__"),
    (r"\baclose\b", "close"),
    (r"\baiter_bytes\b", "iter_bytes"),
    (r"\bset_async_httpx_client\b", "set_httpx_client"),
    (r"\bAwaitable, ", ""),
]
HEADERS = {
    "__init__.py": "The blocking driver, `Client`, generated from `_async/` by `tools/unasync.py`: do not edit.",
    "_client.py": "`Client`: generated from `_async/_client.py` by `tools/unasync.py`; do not edit.",
}


def unasync(name: str, source: str) -> str:
    """The sync twin of the module `name` of `_async/`; its docstring is replaced, as it speaks of itself."""
    body = source.split('"""', 2)[2].lstrip("\n")
    for pattern, replacement in SUBS:
        body = re.sub(pattern, replacement, body)
    header = HEADERS.get(name, f"Generated from `_async/{name}` by `tools/unasync.py`: do not edit.")
    return f'"""{header}"""\n' + ("\n" + body if body else "")


def unasync_dir(source: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for module in sorted(source.glob("*.py")):
        (target / module.name).write_text(unasync(module.name, module.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    unasync_dir(Path(sys.argv[1]), Path(sys.argv[2]))
