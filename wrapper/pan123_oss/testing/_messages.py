"""What passes between the fake's parts: a request as the fake records it, a reply as its server writes it, and
the `{code, message, data, x-traceID}` envelope every API reply is."""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Mapping
from typing import Any

from ._shape import EXTRA_FIELDS


@dataclasses.dataclass(frozen=True, slots=True)
class RecordedRequest:
    time: float
    """When the request arrived, on the fake's clock (`time.monotonic` unless a FakeClock was given)."""
    method: str
    path: str
    headers: Mapping[str, str]
    body: Any
    """The JSON body, or None when it was not JSON."""
    code: int | None = None
    """The `code` of the fake's reply, or None for a non-envelope reply."""
    limited: bool = False
    """Refused as over the endpoint's `qps` limit (code 429), before any scripted fault was played."""

    @property
    def preupload_id(self) -> str | None:
        value = self.body.get("preuploadID") if isinstance(self.body, dict) else None
        return value if isinstance(value, str) else None


@dataclasses.dataclass(frozen=True, slots=True)
class FakeReply:
    status: int
    body: bytes
    content_type: str = "application/json"
    delay: float = 0.0
    drop: bool = False
    code: int | None = None
    """The envelope's `code`, for the request record; None when the body is no envelope."""
    scripted: bool = False
    """Deliberately broken by a scripted `http` or `drop` fault, so exempt from the spec check."""
    headers: tuple[tuple[str, str], ...] = ()
    """Headers besides Content-Type, such as `Allow` on a 405."""
    trickle: float = 0.0
    """Seconds between the bytes of the body, on a socket (a scripted `trickle` fault)."""
    limited: bool = False
    """Refused as over the endpoint's `qps` limit."""


def envelope(code: int, message: str, data: Any = None, *, status: int = 200, extra_fields: bool = False) -> FakeReply:
    """An API reply; `extra_fields` adds the fields no spec knows (`EXTRA_FIELDS`), as a newer service would."""
    trace = f"{uuid.uuid4()}_fake-123pan"
    fields = {"code": code, "message": message, "data": data, "x-traceID": trace}
    body = json.dumps({**fields, **EXTRA_FIELDS} if extra_fields else fields, ensure_ascii=False)
    return FakeReply(status, body.encode(), code=code)


def lowered(headers: Mapping[str, str]) -> dict[str, str]:
    """Headers by lower-case name, as HTTP compares them."""
    return {name.lower(): value for name, value in headers.items()}
