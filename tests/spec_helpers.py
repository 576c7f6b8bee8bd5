"""Reading openapi.yaml in tests: its operations, examples and schemas."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from openapi_schema_validator import OAS30Validator

SPEC_PATH = Path(__file__).resolve().parent.parent / "openapi.yaml"


@cache
def load_spec() -> dict[str, Any]:
    with SPEC_PATH.open(encoding="utf-8") as fh:
        spec: dict[str, Any] = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    return spec


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    """Follow a local `$ref` (responses, parameters) to its target."""
    while "$ref" in node:
        target: Any = load_spec()
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def validator_for(schema: dict[str, Any]) -> OAS30Validator:
    # Embedding the components lets `#/components/...` references resolve against the spec itself.
    return OAS30Validator({**schema, "components": load_spec()["components"]})


class Example(NamedTuple):
    where: str
    schema: dict[str, Any]
    value: Any


def media_examples() -> Iterator[Example]:
    """Every example given for a request or response body in the spec."""
    for path, item in load_spec()["paths"].items():
        for method, op in item.items():
            bodies = [("request", op.get("requestBody", {}))]
            bodies += [(f"response {status}", resolve(r)) for status, r in op["responses"].items()]
            for label, body in bodies:
                for media in body.get("content", {}).values():
                    for name, example in media.get("examples", {}).items():
                        where = f"{method.upper()} {path} {label} example {name!r}"
                        yield Example(where, media["schema"], resolve(example)["value"])


def response_example(operation_id: str, name: str, status: str = "200") -> Any:
    for item in load_spec()["paths"].values():
        for op in item.values():
            if op.get("operationId") == operation_id:
                media = resolve(op["responses"][status])["content"]["application/json"]
                return media["examples"][name]["value"]
    raise KeyError(operation_id)
