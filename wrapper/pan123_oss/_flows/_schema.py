"""What a valid reply is, read from the spec's tables: a small interpreter of the generated `_spec` module.

The checks are as strict as the spec and no stricter: every required field present, every present field
(optional ones included) of its declared type, `true`/`false` never taken for a number; unknown fields
are accepted, because a newer service may add them. A string's `pattern` is checked too (it is how the
spec tells a string of digits from any string); ranges and formats are left to the code that uses a value,
since the docs do not promise them for replies.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .._spec import OPERATIONS, SCHEMAS

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


def _of_type(value: object, kind: str) -> bool:
    if isinstance(value, bool) and kind != "boolean":
        return False  # JSON true/false are never numbers, whatever Python thinks
    return isinstance(value, _TYPES[kind])


def resolve(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    """The schema a node of `SCHEMAS` stands for, following `{"ref": name}` links."""
    while "ref" in schema:
        schema = SCHEMAS[schema["ref"]]
    return schema


def problems(schema: Mapping[str, Any], value: object, where: str = "data") -> list[str]:
    """Every way `value` breaks `schema` (a node of `SCHEMAS`), as `where: what` strings."""
    schema = resolve(schema)
    if value is None:
        return [] if schema.get("nullable") else [f"{where} is null"]
    if "oneOf" in schema or "anyOf" in schema:
        fits = sum(not problems(branch, value, where) for branch in schema.get("oneOf", schema.get("anyOf")))
        if fits == 0:
            return [f"{where} matches none of its allowed shapes"]
        return [f"{where} matches more than one of its allowed shapes"] if fits > 1 and "oneOf" in schema else []
    kind = schema.get("type")
    if kind is not None and not _of_type(value, kind):
        return [f"{where} is not {'an' if kind[0] in 'aio' else 'a'} {kind}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where} is not one of {schema['enum']}"]
    if "pattern" in schema and isinstance(value, str) and not re.search(schema["pattern"], value):
        return [f"{where} does not match {schema['pattern']}"]
    found: list[str] = []
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        found += [f"{where}.{name} is missing" for name in schema.get("required", ()) if name not in value]
        for name, sub in properties.items():
            if name in value:
                found += problems(sub, value[name], f"{where}.{name}")
    elif isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            found += problems(schema["items"], item, f"{where}[{index}]")
    return found


def payload_problems(operation_id: str, data: object) -> list[str]:
    """How a success's `data` breaks the payload schema of `operation_id` (a payload-less call wants null)."""
    name = OPERATIONS[operation_id]["payload"]
    if name is None:
        return [] if data is None else ["data is not null"]
    if data is None:
        # Payload schemas are nullable only because a failure shares its operation's reply type.
        return ["data is null"]
    return problems({"ref": name}, data)


def path_of(operation_id: str) -> str:
    return str(OPERATIONS[operation_id]["path"])
