"""What each operation answers: which operation a request is, the checks every request passes, and whose rules
answer it.

The routes are read from the spec's tables (`pan123_oss._spec`) when the fake is made, so an operation the spec
gains is routed with no edit here; one the fake has no rules for answers code 501 ("not implemented") in a
well-formed failure envelope with HTTP 200. Before an operation's rules run, a request must carry
`Platform: open_platform`, JSON where the operation takes a body, a live token where the spec asks for one, and a
body and query that keep to the spec's types, required fields and ranges.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from typing import Any

from .._flows._schema import path_of, problems, resolve
from .._spec import OPERATIONS
from ._messages import FakeReply, envelope
from ._migration import Imports
from ._oss import BAD_REQUEST, Answer, OssStore
from ._shape import payload
from ._state import Merges, Settings, Tokens

POLL_PATH = path_of("uploadAsyncResult")
"""Where the async-result polls go, for `FakePan123.polls`."""
NOT_IMPLEMENTED = 501
"""The code with which the fake answers an operation of the spec it has no rules for yet."""
INT64 = range(-(2**63), 2**63)
DIGITS = re.compile(r"-?[0-9]+")
Handler = Callable[[Any, Mapping[str, Any], str], Answer]
"""An operation's rules: (JSON body, query parameters, origin) -> (code, message, data)."""


class Router:
    """Routes requests to the rules of the fake's parts; called under the fake's lock."""

    def __init__(self, settings: Settings, tokens: Tokens, merges: Merges, oss: OssStore, imports: Imports) -> None:
        self._settings = settings
        self._tokens = tokens
        self.operations: dict[str, dict[str, Any]] = dict(OPERATIONS)
        self._paths: dict[str, dict[str, str]] = {}
        """Operation IDs by path, then by method."""
        for operation_id, operation in self.operations.items():
            self._paths.setdefault(operation["path"], {})[operation["method"]] = operation_id
        self._handlers: dict[str, Handler] = {
            "getAccessToken": lambda body, query, origin: tokens.answer(body),
            "uploadAsyncResult": lambda body, query, origin: merges.poll(body),
            "createUpload": lambda body, query, origin: oss.create(body),
            "getUploadUrl": lambda body, query, origin: oss.upload_url(body, origin),
            "listUploadParts": lambda body, query, origin: oss.parts(body),
            "completeUpload": lambda body, query, origin: oss.complete(body),
            "createFolder": lambda body, query, origin: oss.mkdir(body),
            "listFiles": lambda body, query, origin: oss.listing(body, origin),
            "getFileDetail": lambda body, query, origin: oss.detail(query["fileID"], origin),
            "moveFiles": lambda body, query, origin: oss.move(body),
            "deleteFiles": lambda body, query, origin: oss.delete(body),
            "startDriveCopy": lambda body, query, origin: imports.start_copy(body),
            "getDriveCopyProcess": lambda body, query, origin: imports.copy_process(query["taskID"]),
            "listDriveCopyFailures": lambda body, query, origin: imports.copy_failures(
                query["taskID"], query["limit"], query["page"]
            ),
            "startOfflineDownload": lambda body, query, origin: imports.start_offline(body),
            "getOfflineDownloadProcess": lambda body, query, origin: imports.offline_process(query["taskID"]),
        }

    def implemented(self) -> frozenset[str]:
        """The operation IDs of the spec the fake has rules for."""
        return frozenset(self._handlers.keys() & self.operations.keys())

    def envelope(self, code: int, message: str, data: Any = None, *, status: int = 200) -> FakeReply:
        return envelope(code, message, data, status=status, extra_fields=self._settings.extra_fields)

    def operation(self, method: str, path: str) -> str | FakeReply:
        """The operation ID of a request, or the reply to a path the spec does not have (404) or a method the
        path does not take (405, with `Allow`)."""
        methods = self._paths.get(path)
        if methods is None:
            return self.envelope(404, f"no such endpoint: {method} {path}", status=404)
        operation_id = methods.get(method)
        if operation_id is None:
            refused = self.envelope(405, f"method not allowed: {method} {path}", status=405)
            return dataclasses.replace(refused, headers=(("Allow", ", ".join(sorted(methods))),))
        return operation_id

    def refusal(self, operation_id: str, headers: Mapping[str, str], body: Any) -> FakeReply | None:
        """Why a request is refused before its operation's rules see it (headers lower-case), or None."""
        if headers.get("platform") != "open_platform":
            return self.envelope(400, "Platform header must be open_platform")  # [guess] the real code is unknown
        operation = self.operations[operation_id]
        json_body = operation["body"] is not None
        kind = headers.get("content-type", "").split(";")[0].strip()
        if (json_body or kind) and kind != "application/json":
            # JSON is the only media type this API speaks; a body-less GET may say so, or nothing [guess].
            return self.envelope(400, "Content-Type must be application/json")
        if json_body and not isinstance(body, dict):
            return self.envelope(400, "body must be a JSON object")
        if operation["authenticated"] and not self._tokens.accepts(headers.get("authorization", "")):
            return self.envelope(401, "access token is invalid or expired")
        return None

    def answer(self, operation_id: str, body: Any, query: dict[str, list[str]], origin: str) -> FakeReply:
        """Validate the request against the spec's tables, then apply the operation's rules."""
        operation = self.operations[operation_id]
        found: list[str] = []
        if operation["body"] is not None:
            body = _lenient(operation_id, body)
            found += _request_problems({"ref": operation["body"]}, body, "body")
        params, bad = _query(operation, query)
        found += bad
        if found:
            return self.envelope(BAD_REQUEST, "; ".join(found[:3]))
        handler = self._handlers.get(operation_id)
        if handler is None:
            return self.envelope(NOT_IMPLEMENTED, f"not implemented by the fake: {operation_id}")
        code, message, data = handler(body, params, origin)
        if code == 0:
            data = payload(operation_id, data, replies=self._settings.replies, extra_fields=self._settings.extra_fields)
        return self.envelope(code, message, data)


def _lenient(operation_id: str, body: Any) -> Any:
    """Shapes the docs show besides the spec's: mkdir's `name` as a plain string, as the docs' example sends it."""
    if operation_id == "createFolder" and isinstance(body.get("name"), str) and body["name"]:
        return {**body, "name": [body["name"]]}
    return body


def _request_problems(schema: Mapping[str, Any], value: Any, where: str) -> list[str]:
    """How a request value breaks the spec: `pan123_oss._flows._schema.problems` (types, required fields, enums), then
    the ranges and lengths that module leaves to the code using a value; every integer must fit 64 bits."""
    return problems(dict(schema), value, where) or _bounds(schema, value, where)


def _bounds(schema: Mapping[str, Any], value: Any, where: str) -> list[str]:
    schema = resolve(schema)
    found: list[str] = []
    if isinstance(value, int) and not isinstance(value, bool):
        if value not in INT64:
            found.append(f"{where} does not fit 64 bits")
        if "minimum" in schema and value < schema["minimum"]:
            found.append(f"{where} is below {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            found.append(f"{where} is above {schema['maximum']}")
    elif isinstance(value, str) and len(value) < schema.get("minLength", 0):
        found.append(f"{where} is shorter than {schema['minLength']}")
    elif isinstance(value, str) and "maxLength" in schema and len(value) > schema["maxLength"]:
        found.append(f"{where} is longer than {schema['maxLength']}")
    elif isinstance(value, dict):
        for name, sub in schema.get("properties", {}).items():
            if name in value:
                found += _bounds(sub, value[name], f"{where}.{name}")
    elif isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            found += _bounds(schema["items"], item, f"{where}[{index}]")
    return found


def _query(operation: Mapping[str, Any], query: Mapping[str, list[str]]) -> tuple[dict[str, Any], list[str]]:
    """The operation's query parameters, integers parsed, and how they break the spec."""
    values: dict[str, Any] = {}
    found: list[str] = []
    for name, schema in operation["query"].items():
        if name not in query:
            if name in operation["query_required"]:
                found.append(f"query parameter {name} is required")
            continue
        text = query[name][0]
        value: Any = text
        if schema.get("type") == "integer":
            if not DIGITS.fullmatch(text):
                found.append(f"query parameter {name} is not an integer")
                continue
            value = int(text)
        found += _request_problems(schema, value, f"query parameter {name}")
        values[name] = value
    return values, found
