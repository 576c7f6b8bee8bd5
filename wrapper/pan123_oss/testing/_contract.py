"""Checks of the fake's traffic against openapi.yaml: every request it gets and every reply it gives.

pyyaml and openapi-schema-validator are test dependencies, not runtime ones, so they are imported only
when a `SpecChecker` is made (that is, only by a `FakePan123(spec=...)`).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openapi_schema_validator import OAS30Validator

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
MAX_MESSAGE = 200  # schema errors quote the offending value; keep long ones (a whole body) readable
BEARER = re.compile(r"Bearer \S+")  # exactly one space [doc]


@dataclasses.dataclass(frozen=True, slots=True)
class _Operation:
    headers: Mapping[str, tuple[str, bool, OAS30Validator | None]]
    """Header parameters by lower-case name: (name as the spec spells it, required, schema)."""
    bearer: bool
    """Whether every security requirement needs `Authorization: Bearer <token>`."""
    body_required: bool
    body: Mapping[str, OAS30Validator | None]
    """The request body's schema for each media type; empty when the operation takes no body."""
    responses: Mapping[str, Mapping[str, OAS30Validator | None]]
    """For each documented status ("200", "4XX", "default"), the body's schema for each media type."""


class SpecChecker:
    """Validates requests and replies against an OpenAPI 3.0 spec; each `check_*` returns its violations."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        import yaml  # lazily: see the module docstring
        from openapi_schema_validator import OAS30Validator

        with open(path, encoding="utf-8") as fh:
            # libyaml's safe loader where pyyaml was built with it: the same result ten times faster (10 ms
            # against 95 ms for openapi.yaml), paid by every process that starts a spec-checking fake.
            spec: dict[str, Any] = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
        components = spec.get("components", {})

        def resolve(node: Any) -> Any:
            while isinstance(node, dict) and "$ref" in node:
                target: Any = spec
                for part in node["$ref"].removeprefix("#/").split("/"):
                    target = target[part]
                node = target
            return node

        def inline(node: Any, within: tuple[str, ...] = ()) -> Any:
            # Each `$ref` replaced by what it names, as OpenAPI 3.0 reads it (its siblings ignored), so that
            # validating a message follows no references: the fake checks every one, and resolving them was
            # most of that time. A reference back into itself stays a reference.
            if isinstance(node, list):
                return [inline(item, within) for item in node]
            if not isinstance(node, dict):
                return node
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/"):
                return node if ref in within else inline(resolve(node), (*within, ref))
            return {key: inline(value, within) for key, value in node.items()}

        def validator(schema: dict[str, Any] | None) -> OAS30Validator | None:
            # Embedding the components lets a reference left in place (a recursive one) resolve in the schema.
            if schema is None:
                return None
            return OAS30Validator(
                {**inline(schema), "components": components}, format_checker=OAS30Validator.FORMAT_CHECKER
            )

        def media(content: Mapping[str, Any]) -> dict[str, OAS30Validator | None]:
            return {kind.lower(): validator(m.get("schema")) for kind, m in content.items()}

        schemes = components.get("securitySchemes", {})
        self._operations: dict[tuple[str, str], _Operation] = {}
        for path_name, item in spec.get("paths", {}).items():
            for method in METHODS:
                op = item.get(method)
                if op is None:
                    continue
                params = [resolve(p) for p in [*item.get("parameters", []), *op.get("parameters", [])]]
                requirements = op.get("security", spec.get("security", []))
                body = resolve(op.get("requestBody", {}))
                self._operations[method.upper(), path_name] = _Operation(
                    headers={
                        p["name"].lower(): (p["name"], bool(p.get("required")), validator(p.get("schema")))
                        for p in params
                        if p["in"] == "header"
                    },
                    bearer=bool(requirements)
                    and all(
                        any(_is_bearer(resolve(schemes.get(name, {}))) for name in requirement)
                        for requirement in requirements
                    ),
                    body_required=bool(body.get("required")),
                    body=media(body.get("content", {})),
                    responses={
                        str(status): media(resolve(r).get("content", {})) for status, r in op["responses"].items()
                    },
                )

    def check_request(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> list[str]:
        """Violations of the spec by a request; `headers` must have lower-case names."""
        where = f"request {method} {path}"
        op = self._operations.get((method.upper(), path))
        if op is None:
            return [f"{where}: no such operation in the spec"]
        problems: list[str] = []
        for key, (name, required, schema) in op.headers.items():
            if key not in headers:
                if required:
                    problems.append(f"{where}: required header {name} is missing")
            elif schema is not None:
                problems += _errors(schema, headers[key], f"{where}: header {name}")
        if op.bearer and not BEARER.fullmatch(headers.get("authorization", "")):
            problems.append(f"{where}: no `Authorization: Bearer <token>` header")
        if not op.body:
            return problems
        if not body:
            return problems + ([f"{where}: the body is required"] if op.body_required else [])
        return problems + _check_body(op.body, headers.get("content-type", ""), body, f"{where}: body")

    def check_reply(self, method: str, path: str, status: int, content_type: str, body: bytes) -> list[str]:
        """Violations of the spec by a reply to a request for `method` and `path`."""
        op = self._operations.get((method.upper(), path))
        if op is None:
            return []  # the request already broke the spec; no reply to it is documented
        where = f"reply to {method} {path}: HTTP {status}"
        documented = next(
            (op.responses[key] for key in (str(status), f"{status // 100}XX", "default") if key in op.responses),
            None,
        )
        if documented is None:
            return [f"{where} is not a documented status ({', '.join(op.responses)})"]
        if not documented:
            return [f"{where} has a body, but none is documented"] if body else []
        return _check_body(documented, content_type, body, where)


def _is_bearer(scheme: Mapping[str, Any]) -> bool:
    return scheme.get("type") == "http" and str(scheme.get("scheme", "")).lower() == "bearer"


def _check_body(
    documented: Mapping[str, OAS30Validator | None], content_type: str, body: bytes, where: str
) -> list[str]:
    # Every body with a schema is read as JSON: application/json is the only media type the spec uses.
    kind = content_type.split(";")[0].strip().lower()
    if kind not in documented:
        return [f"{where}: Content-Type {kind!r} is not documented ({', '.join(documented)})"]
    schema = documented[kind]
    if schema is None:
        return []
    try:
        value = json.loads(body)
    except ValueError:
        return [f"{where}: not JSON"]
    return _errors(schema, value, where)


def _errors(schema: OAS30Validator, value: Any, where: str) -> list[str]:
    problems = []
    for found in schema.iter_errors(value):
        for error in _closest_branch(found):
            message = error.message if len(error.message) <= MAX_MESSAGE else error.message[:MAX_MESSAGE] + "..."
            problems.append(f"{where} at {error.json_path}: {message}")
    return problems


def _closest_branch(error: Any) -> list[Any]:
    """For a failed oneOf/anyOf (e.g. `partNumber`), the errors of the branch that came closest."""
    if not error.context:
        return [error]
    branches: dict[Any, list[Any]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    return min(branches.values(), key=len)


@functools.lru_cache(maxsize=8)
def _checker(path: str, mtime_ns: int) -> SpecChecker:
    return SpecChecker(path)


def checker_for(path: str | os.PathLike[str]) -> SpecChecker:
    """A shared checker per spec file (it holds no per-fake state); re-read when the file changes."""
    real = os.path.realpath(path)
    return _checker(real, os.stat(real).st_mtime_ns)
