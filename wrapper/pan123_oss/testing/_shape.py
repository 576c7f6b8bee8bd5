"""How the fake shapes what it answers: every field it knows, or only what openapi.yaml requires, and with
or without fields no version of the spec knows yet (as a newer service would send).

Both come from the spec's tables (`pan123_oss._spec`), so a field the spec makes optional is dropped in the
minimal mode without anyone listing it here; only the fields the docs require *under a condition* are listed
below, because a schema's `required` cannot say so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal

from .._flows._schema import resolve
from .._spec import OPERATIONS

Replies = Literal["full", "minimal"]
REPLIES: tuple[Replies, ...] = ("full", "minimal")

EXTRA_FIELDS: Mapping[str, Any] = {
    "x-newField": 1,
    "newFieldFromANewerService": {"nested": [1, "two", None, {"deeper": True}], "flag": False},
}
"""Added, in the `extra_fields` mode, to the envelope and to every object inside `data`."""

DOCUMENTED_WHEN: Mapping[str, Callable[[Mapping[str, Any]], frozenset[str]]] = {
    # An instant upload answers the file's ID; otherwise where to send the slices [doc].
    "createUpload": lambda data: frozenset({"fileID"} if data.get("reuse") else {"preuploadID", "sliceSize"}),
    # A complete that is done at once answers the file's ID [doc].
    "completeUpload": lambda data: frozenset({"fileID"} if data.get("completed") else ()),
}
"""Optional payload fields the docs promise in some replies: kept in the minimal mode when the reply is one."""


def required_only(schema: Mapping[str, Any], value: Any, also: frozenset[str] = frozenset()) -> Any:
    """`value` with every field that `schema` does not require dropped, at every depth; `also` is kept too
    (at the top level only)."""
    schema = resolve(schema)
    if "oneOf" in schema or "anyOf" in schema:
        return value  # which branch a value is in is for the checks to say, not for this
    if isinstance(value, dict):
        keep = set(schema.get("required", ())) | also
        properties = schema.get("properties", {})
        return {key: required_only(properties.get(key, {}), item) for key, item in value.items() if key in keep}
    if isinstance(value, list) and "items" in schema:
        return [required_only(schema["items"], item) for item in value]
    return value


def with_extra_fields(value: Any) -> Any:
    """`value` with `EXTRA_FIELDS` added to every object in it."""
    if isinstance(value, dict):
        return {**{key: with_extra_fields(item) for key, item in value.items()}, **EXTRA_FIELDS}
    if isinstance(value, list):
        return [with_extra_fields(item) for item in value]
    return value


def payload(operation_id: str, data: Any, *, replies: Replies, extra_fields: bool) -> Any:
    """The `data` of a success of `operation_id`, shaped by the mode."""
    name = OPERATIONS[operation_id]["payload"]
    if data is None or name is None:
        return data
    if replies == "minimal":
        also = DOCUMENTED_WHEN[operation_id](data) if operation_id in DOCUMENTED_WHEN else frozenset()
        data = required_only({"ref": name}, data, also)
    return with_extra_fields(data) if extra_fields else data
