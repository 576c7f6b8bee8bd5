"""Generates the blocking `Client` from the hand-written `AsyncClient`, the way httpcore keeps its twins.

    python tools/unasync.py wrapper/pan123_oss/_async_client.py wrapper/pan123_oss/_sync_client.py

Only `await`, `async` and the `Async` prefixes go; everything else is the same code, so the two clients
cannot drift apart. `nox -s generate` runs this and then ruff (to tidy the imports it leaves), and
`nox -s generated` fails if the committed `_sync_client.py` differs from what it writes.
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
HEADER = '''"""`Client`: the blocking driver. Generated from `_async_client.py` by `tools/unasync.py`: do not edit."""
'''


def unasync(source: str) -> str:
    body = source.split('"""', 2)[2].lstrip("\n")  # the async module's own docstring speaks of itself
    for pattern, replacement in SUBS:
        body = re.sub(pattern, replacement, body)
    return HEADER + "\n" + body


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    Path(sys.argv[2]).write_text(unasync(Path(sys.argv[1]).read_text(encoding="utf-8")), encoding="utf-8")
