"""Mutation tests of tools/docs_check.py: each kind of drift, made by hand in a copy of the real spec (or of
the record), must be caught with the exact "docs say X, spec says Y" lines it adds to the report.

One mutation per case; the expected lines are the whole difference from the clean report, so a mutation
that is caught only by accident (some other line) fails too.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import docs_check

# tools/docs_check.py is not the wrapper: nothing here adds to its coverage, so `nox -s coverage` runs it untraced.
pytestmark = pytest.mark.no_cover

ROOT = Path(__file__).resolve().parent.parent
SPEC: dict[str, Any] = docs_check.load_yaml(ROOT / "openapi.yaml")
RECORD: dict[str, Any] = docs_check.load_yaml(ROOT / "docs" / "api-tables.yaml")

TOKEN = ("POST", "/api/v1/access_token")
MKDIR = ("POST", "/upload/v1/oss/file/mkdir")
CREATE = ("POST", "/upload/v1/oss/file/create")
UPLOAD_URL = ("POST", "/upload/v1/oss/file/get_upload_url")
ASYNC_RESULT = ("POST", "/upload/v1/oss/file/upload_async_result")
LIST = ("POST", "/api/v1/oss/file/list")
DETAIL = ("GET", "/api/v1/oss/file/detail")
DELETE = ("POST", "/api/v1/oss/file/delete")
COPY = ("POST", "/api/v1/oss/source/copy")
COPY_FAIL = ("GET", "/api/v1/oss/source/copy/fail")
OFFLINE_PROCESS = ("GET", "/api/v1/oss/offline/download/process")


def report(spec: dict[str, Any], record: Any) -> set[str]:
    return set(docs_check.check(spec, record))


def test_the_real_files_agree() -> None:
    # Every case below starts from a clean report, so each expected set is exactly what its mutation adds.
    assert report(SPEC, RECORD) == set()


def schema(spec: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = spec["components"]["schemas"][name]
    return found


def field(spec: dict[str, Any], op: tuple[str, str], section: str, name: str) -> dict[str, Any]:
    """The property schema of a documented field (the one schema holding it)."""
    pointers = docs_check.holders(spec, op[0], op[1], section, name)
    assert len(pointers) == 1, pointers
    holder: dict[str, Any] = docs_check.Spec(spec).node_at(pointers[0])
    found: dict[str, Any] = holder["properties"][name.split(".")[-1]]
    return found


def operation(spec: dict[str, Any], op: tuple[str, str]) -> dict[str, Any]:
    found: dict[str, Any] = spec["paths"][op[1]][op[0].lower()]
    return found


def parameter(spec: dict[str, Any], op: tuple[str, str], name: str) -> dict[str, Any]:
    return next(p for p in operation(spec, op)["parameters"] if p.get("name") == name)


def example(spec: dict[str, Any], op: tuple[str, str], name: str, *, reply: bool) -> Any:
    holder = operation(spec, op)["responses"]["200"] if reply else operation(spec, op)["requestBody"]
    return holder["content"]["application/json"]["examples"][name]["value"]


@dataclass(frozen=True)
class Mutation:
    name: str
    edit: Callable[[dict[str, Any], dict[str, Any]], object]  # (spec, record) -> anything, edits in place
    lines: frozenset[str]
    # Other lines the mutation may add: [doc] tags left on schemas that no recorded operation reaches any more.
    orphans_too: bool = False


def spec_edit(edit: Callable[[dict[str, Any]], object]) -> Callable[[dict[str, Any], dict[str, Any]], object]:
    return lambda spec, _record: edit(spec)


def set_in(target: dict[str, Any], key: str, value: Any) -> None:
    target[key] = value


def add_rate_limit(spec: dict[str, Any], qps: float, tag: str) -> None:
    operation(spec, TOKEN)[docs_check.RATE_LIMIT_KEY] = {"perSecond": qps, "source": f"{tag} the guide's limit"}


def change_published_qps(spec: dict[str, Any], record: dict[str, Any], qps: float) -> None:
    """The spec states the token call's 1 QPS; the record's published figure changes."""
    add_rate_limit(spec, 1, "[doc]")
    record["common"]["rate_limits"]["published"][0]["qps"] = qps


def drop_response(spec: dict[str, Any], op: tuple[str, str], status: str) -> None:
    del operation(spec, op)["responses"][status]


def reply_schema(spec: dict[str, Any], name: str) -> dict[str, Any]:
    """The properties of an operation's reply object, `<Name>Reply {code, message, data, x-traceID}`."""
    found: dict[str, Any] = schema(spec, name)["properties"]
    return found


def drop_data(spec: dict[str, Any]) -> None:
    reply = schema(spec, "UploadAsyncResultReply")
    del reply["properties"]["data"]
    reply["required"].remove("data")


def null_only_data(spec: dict[str, Any]) -> None:
    """The success payload replaced by the null-only `data` of a reply that never carries one."""
    reply_schema(spec, "UploadAsyncResultReply")["data"] = copy.deepcopy(reply_schema(spec, "EmptyReply")["data"])


def reply_is_empty_reply(spec: dict[str, Any]) -> None:
    reply = operation(spec, ASYNC_RESULT)["responses"]["200"]["content"]["application/json"]["schema"]
    reply["$ref"] = "#/components/schemas/EmptyReply"


def too_many_requests_without_null_data_or_trace(spec: dict[str, Any]) -> None:
    reply = copy.deepcopy(schema(spec, "EmptyReply"))
    del reply["description"]  # the schema's [doc] would be free text in a response
    reply["properties"]["data"].pop("nullable")
    del reply["properties"]["x-traceID"]
    reply["required"].remove("x-traceID")
    spec["components"]["responses"]["TooManyRequests"]["content"]["application/json"]["schema"] = reply


def seen_waiver_without_record(spec: dict[str, Any]) -> None:
    payload = schema(spec, "UploadAsyncResultPayload")
    payload["required"].remove("fileID")
    payload["properties"]["fileID"]["description"] += " Missing while pending [seen]."


def remove_required_unless(spec: dict[str, Any]) -> None:
    del schema(spec, "CreateUploadPayload")["not"]


NEW_INFO_CLAIM = "Uploads are limited to 10 GB [doc]."
INFO = "#/info/description"
CREATE_DESCRIPTION = "#/paths/~1upload~1v1~1oss~1file~1create/post/description"
NEEDS_STATEMENT = (
    "docs say nothing a record row holds here, spec tags it [doc] "
    "(tag it [doc: <id>] naming an entry of the record's statements)"
)
NO_OBSERVATION = (
    "the record names no observation for it, spec tags it [seen] "
    "(tag it [seen: <id>] naming an entry of the record's observations)"
)

MUTATIONS = [
    # -- provenance tags
    Mutation(
        "doc tag in info",
        spec_edit(lambda s: set_in(s["info"], "description", s["info"]["description"] + NEW_INFO_CLAIM)),
        frozenset({f"{INFO}: {NEEDS_STATEMENT}"}),
    ),
    Mutation(
        "doc tag in an operation description",
        spec_edit(lambda s: set_in(operation(s, CREATE), "description", "Fast for small files [doc].")),
        frozenset({f"{CREATE_DESCRIPTION}: {NEEDS_STATEMENT}"}),
    ),
    Mutation(
        "doc tag naming no statement",
        spec_edit(lambda s: set_in(operation(s, CREATE), "description", "Fast [doc: speed].")),
        frozenset(
            {f"{CREATE_DESCRIPTION}: docs say nothing under 'speed' (no such statement), spec tags [doc: speed]"}
        ),
    ),
    Mutation(
        "doc tag in an extension",
        spec_edit(lambda s: set_in(operation(s, CREATE), "x-note", "Slices are 100 MB [doc].")),
        frozenset({f"#/paths/~1upload~1v1~1oss~1file~1create/post/x-note: {NEEDS_STATEMENT}"}),
    ),
    Mutation(
        "doc tag on a parameter the docs do not name",
        spec_edit(
            lambda s: operation(s, DETAIL)["parameters"].append(
                {"name": "full", "in": "query", "description": "More fields [doc].", "schema": {"type": "boolean"}}
            )
        ),
        frozenset(
            {
                "GET /api/v1/oss/file/detail query full: docs say nothing of this parameter, spec tags it [doc] "
                "at #/paths/~1api~1v1~1oss~1file~1detail/get/parameters/2/description",
                "GET /api/v1/oss/file/detail query full: docs say no such query parameter, spec has it",
            }
        ),
    ),
    Mutation(
        "seen tag added anywhere without a source",
        spec_edit(lambda s: set_in(s["info"], "description", s["info"]["description"] + "Often slow [seen].")),
        frozenset({f"{INFO}: {NO_OBSERVATION}"}),
    ),
    Mutation(
        "seen tag naming no observation",
        spec_edit(lambda s: set_in(s["info"], "description", s["info"]["description"] + "Slow [seen: slow].")),
        frozenset({f"{INFO}: the record has no observation 'slow', spec tags [seen: slow]"}),
    ),
    Mutation(
        "seen waiver of a required field with no recorded source",
        spec_edit(seen_waiver_without_record),
        frozenset(
            {
                "POST /upload/v1/oss/file/upload_async_result reply fileID: docs say required (必填), "
                "spec says optional and gives no [seen] reason",
                "#/components/schemas/UploadAsyncResultPayload/properties/fileID/description: " + NO_OBSERVATION,
            }
        ),
    ),
    Mutation(
        "sliceSize made optional even when not an instant upload",
        spec_edit(remove_required_unless),
        frozenset(
            {
                "POST /upload/v1/oss/file/create reply sliceSize: docs say required (the observation excuses it only "
                "when reuse is true), spec says optional in every reply (no `not` refusing it missing otherwise)"
            }
        ),
    ),
    # -- responses and envelope
    Mutation(
        "401 response removed",
        spec_edit(lambda s: drop_response(s, CREATE, "401")),
        frozenset(
            {
                "POST /upload/v1/oss/file/create responses: docs say code 401 (access token invalid) may come back, "
                "spec has no 401 response"
            }
        ),
    ),
    Mutation(
        "429 response removed",
        spec_edit(lambda s: drop_response(s, DETAIL, "429")),
        frozenset(
            {
                "GET /api/v1/oss/file/detail responses: docs say code 429 (too many requests) may come back, "
                "spec has no 429 response"
            }
        ),
    ),
    Mutation(
        "401 response's body dropped",
        spec_edit(lambda s: s["components"]["responses"]["Unauthorized"].pop("content")),
        frozenset(
            f"{method} {path} responses: docs say code 401 comes back in the envelope, "
            "spec's 401 response has no JSON body"
            for method, path in docs_check.parse_record(RECORD).keys
        ),
    ),
    Mutation(
        "429 response's envelope without null data or trace ID",
        spec_edit(too_many_requests_without_null_data_or_trace),
        frozenset(
            line
            for method, path in docs_check.parse_record(RECORD).keys
            for line in (
                f"{method} {path} 429 envelope data: docs say it may be null, spec says never null",
                f"{method} {path} 429 envelope x-traceID: docs say it exists (string), "
                "spec has no such field in some branch of the 429 reply",
            )
        ),
    ),
    # A success and a failure are one object, `<Name>Reply`, whose `data` is `$ref <Name>Payload`, a nullable
    # object; a reply that never carries a payload has `EmptyReply`'s null-only `data`.
    Mutation(
        "payload made non-nullable (no failure reply decodes)",
        spec_edit(lambda s: schema(s, "UploadAsyncResultPayload").pop("nullable")),
        frozenset(
            {
                "POST /upload/v1/oss/file/upload_async_result envelope data: docs say it may be null, "
                "spec says never null",
            }
        ),
    ),
    Mutation(
        "reply's code pinned to success",
        spec_edit(
            lambda s: set_in(
                reply_schema(s, "UploadAsyncResultReply"), "code", {"type": "integer", "format": "int32", "enum": [0]}
            )
        ),
        frozenset(
            {"POST /upload/v1/oss/file/upload_async_result envelope code: docs say any int, spec allows only [0]"}
        ),
    ),
    Mutation(
        "data dropped from a reply",
        spec_edit(drop_data),
        frozenset(
            {
                "POST /upload/v1/oss/file/upload_async_result envelope data: docs say it exists (any), "
                "spec has no such field in some branch of the 200 reply",
                "POST /upload/v1/oss/file/upload_async_result reply: docs say data carries completed, fileID, "
                "spec has no success payload (no non-null data in the 200 reply)",
            }
        ),
        orphans_too=True,
    ),
    Mutation(
        "data made null-only where the docs give a payload",
        spec_edit(null_only_data),
        frozenset(
            {
                "POST /upload/v1/oss/file/upload_async_result reply: docs say data carries completed, fileID, "
                "spec has no success payload (no non-null data in the 200 reply)",
            }
        ),
        orphans_too=True,
    ),
    Mutation(
        "200 reply given EmptyReply where the docs give a payload",
        spec_edit(reply_is_empty_reply),
        frozenset(
            {
                "POST /upload/v1/oss/file/upload_async_result reply: docs say data carries completed, fileID, "
                "spec has no success payload (no non-null data in the 200 reply)",
            }
        ),
        orphans_too=True,
    ),
    Mutation(
        "data's $ref changed to another operation's payload",
        spec_edit(
            lambda s: set_in(
                reply_schema(s, "UploadAsyncResultReply")["data"], "$ref", "#/components/schemas/UploadCompletePayload"
            )
        ),
        frozenset(
            {
                "POST /upload/v1/oss/file/upload_async_result reply fileID: docs say required (必填), "
                "spec says optional and gives no [seen] reason",
                "POST /upload/v1/oss/file/upload_async_result reply async: docs say no such field, spec has it",
            }
        ),
        orphans_too=True,
    ),
    Mutation(
        "EmptyReply's data lets an object through",
        spec_edit(lambda s: reply_schema(s, "EmptyReply")["data"].pop("not")),
        frozenset(
            {
                "POST /api/v1/oss/file/delete reply: docs say data is null, spec lets data be object",
                "POST /api/v1/oss/file/move reply: docs say data is null, spec lets data be object",
            }
        ),
    ),
    Mutation(
        "EmptyReply's data made non-nullable",
        spec_edit(lambda s: reply_schema(s, "EmptyReply")["data"].pop("nullable")),
        frozenset(
            {
                "POST /api/v1/oss/file/delete envelope data: docs say it may be null, spec says never null",
                "POST /api/v1/oss/file/move envelope data: docs say it may be null, spec says never null",
                # EmptyReply is also every operation's 401 and 429 reply.
                *(
                    f"{method} {path} {code} envelope data: docs say it may be null, spec says never null"
                    for method, path in docs_check.parse_record(RECORD).keys
                    for code in (401, 429)
                ),
            }
        ),
    ),
    Mutation(
        "list items made nullable (one schema for the list items and the detail payload)",
        spec_edit(lambda s: set_in(schema(s, "OssFile"), "nullable", True)),
        frozenset(
            {"POST /api/v1/oss/file/list reply fileList: docs say items are never null, spec says items nullable"}
        ),
    ),
    Mutation(
        "server URL changed",
        spec_edit(lambda s: set_in(s["servers"][0], "url", "https://open-api.123pan.cn")),
        frozenset(
            {
                "servers: docs say base URL https://open-api.123pan.com, spec says https://open-api.123pan.cn",
                "#/servers/0/description: docs say base URL https://open-api.123pan.com, "
                "spec tags [doc] on https://open-api.123pan.cn",
            }
        ),
    ),
    # -- field facts
    Mutation(
        "int64 narrowed to int32",
        spec_edit(lambda s: set_in(field(s, CREATE, "body", "size"), "format", "int32")),
        frozenset({"POST /upload/v1/oss/file/create body size: docs say format int64, spec says format int32"}),
    ),
    Mutation(
        "format dropped",
        spec_edit(lambda s: field(s, TOKEN, "reply", "expiredAt").pop("format")),
        frozenset({"POST /api/v1/access_token reply expiredAt: docs say format date-time, spec says no format"}),
    ),
    Mutation(
        "format added",
        spec_edit(lambda s: set_in(field(s, LIST, "reply", "fileList.createAt"), "format", "date-time")),
        frozenset(
            {
                # The list items only: the detail payload is a copy of OssFile's fields, held to its own rows.
                "POST /api/v1/oss/file/list reply fileList.createAt: docs say no format, spec says format date-time",
            }
        ),
    ),
    Mutation(
        "array item type changed",
        spec_edit(lambda s: set_in(field(s, DELETE, "body", "fileIDs"), "items", {"type": "integer"})),
        frozenset(
            {"POST /api/v1/oss/file/delete body fileIDs: docs say items of type string, spec says items of integer"}
        ),
    ),
    Mutation(
        "maximum changed",
        spec_edit(lambda s: set_in(field(s, LIST, "body", "limit"), "maximum", 1000)),
        frozenset({"POST /api/v1/oss/file/list body limit: docs say maximum 100, spec says maximum 1000"}),
    ),
    Mutation(
        "maximum of a query parameter dropped",
        spec_edit(lambda s: parameter(s, COPY_FAIL, "limit")["schema"].pop("maximum")),
        frozenset({"GET /api/v1/oss/source/copy/fail query limit: docs say maximum 100, spec says no maximum"}),
    ),
    Mutation(
        "maxItems dropped",
        spec_edit(lambda s: field(s, COPY, "body", "fileIDs").pop("maxItems")),
        frozenset({"POST /api/v1/oss/source/copy body fileIDs: docs say maxItems 100, spec says no maxItems"}),
    ),
    Mutation(
        "maxLength back to 255",
        spec_edit(lambda s: set_in(field(s, CREATE, "body", "filename"), "maxLength", 255)),
        frozenset({"POST /upload/v1/oss/file/create body filename: docs say maxLength 254, spec says maxLength 255"}),
    ),
    Mutation(
        "limit added that the record does not hold",
        spec_edit(lambda s: set_in(field(s, DETAIL, "reply", "filename"), "maxLength", 255)),
        frozenset({"GET /api/v1/oss/file/detail reply filename: docs say no maxLength, spec says maxLength 255"}),
    ),
    Mutation(
        "nullable dropped",
        spec_edit(lambda s: field(s, COPY_FAIL, "reply", "list").pop("nullable")),
        frozenset(
            {
                "GET /api/v1/oss/source/copy/fail reply list: docs say it may be null, spec says never null",
            }
        ),
    ),
    Mutation(
        "nullable added",
        spec_edit(lambda s: set_in(field(s, DETAIL, "reply", "downloadURL"), "nullable", True)),
        frozenset({"GET /api/v1/oss/file/detail reply downloadURL: docs say never null, spec says nullable"}),
    ),
    Mutation(
        "nullable added to a list item's field",
        spec_edit(lambda s: set_in(field(s, LIST, "reply", "fileList.downloadURL"), "nullable", True)),
        frozenset({"POST /api/v1/oss/file/list reply fileList.downloadURL: docs say never null, spec says nullable"}),
    ),
    Mutation(
        "enum value changed",
        spec_edit(lambda s: set_in(field(s, LIST, "body", "type"), "enum", [2])),
        frozenset({"POST /api/v1/oss/file/list body type: docs say the value is 1, spec allows only [2]"}),
    ),
    Mutation(
        "enum added where the docs allow any value",
        spec_edit(lambda s: set_in(field(s, OFFLINE_PROCESS, "reply", "status"), "enum", [0, 1, 2])),
        frozenset(
            {"GET /api/v1/oss/offline/download/process reply status: docs say any int, spec allows only [0, 1, 2]"}
        ),
    ),
    Mutation(
        "sourceType back to the string only",
        spec_edit(
            lambda s: schema(s, "DriveCopyBody")["properties"].__setitem__(
                "sourceType", {"type": "string", "enum": ["1"], "description": "Where from [doc]."}
            )
        ),
        frozenset(
            {
                "POST /api/v1/oss/source/copy body sourceType: docs say type string | number, spec says string",
                'POST /api/v1/oss/source/copy body sourceType: docs say the value is "1" or 1, spec allows only ["1"]',
            }
        ),
    ),
    Mutation(
        "type changed",
        spec_edit(lambda s: set_in(field(s, ASYNC_RESULT, "reply", "completed"), "type", "string")),
        frozenset(
            {
                "POST /upload/v1/oss/file/upload_async_result reply completed: docs say type bool, spec says string",
            }
        ),
    ),
    # -- fields, parameters and headers the docs do not list
    Mutation(
        "body field the docs do not list",
        spec_edit(lambda s: schema(s, "NewUploadBody")["properties"].__setitem__("duplicate", {"type": "integer"})),
        frozenset({"POST /upload/v1/oss/file/create body duplicate: docs say no such field, spec has it"}),
    ),
    Mutation(
        "header the docs do not list",
        spec_edit(
            lambda s: operation(s, CREATE)["parameters"].append(
                {"name": "X-Request-ID", "in": "header", "required": True, "schema": {"type": "string"}}
            )
        ),
        frozenset(
            {"POST /upload/v1/oss/file/create header X-Request-ID: docs say no such header parameter, spec has it"}
        ),
    ),
    Mutation(
        "Platform header's fixed value changed",
        spec_edit(lambda s: set_in(s["components"]["parameters"]["Platform"]["schema"], "enum", ["open-platform"])),
        frozenset(
            f'{method} {path} header Platform: docs say the value is "open_platform", '
            'spec allows only ["open-platform"]'
            for method, path in docs_check.parse_record(RECORD).keys
        ),
    ),
    Mutation(
        "Authorization sent where the docs send none",
        spec_edit(lambda s: set_in(operation(s, TOKEN), "security", [{"bearerAuth": []}])),
        frozenset(
            {"POST /api/v1/access_token header Authorization: docs say no such header, spec's security sends it"}
        ),
    ),
    Mutation(
        "request Content-Type added",
        spec_edit(
            lambda s: set_in(
                operation(s, DELETE)["requestBody"]["content"],
                "application/x-www-form-urlencoded",
                {"schema": {"$ref": "#/components/schemas/FileDeleteBody"}},
            )
        ),
        frozenset(
            {
                "POST /api/v1/oss/file/delete body: docs say Content-Type application/json, "
                "spec says application/json, application/x-www-form-urlencoded",
            }
        ),
    ),
    # -- examples
    Mutation(
        "documented example's value type changed",
        spec_edit(lambda s: set_in(example(s, CREATE, "image", reply=False), "size", "22032384")),
        frozenset(
            {
                "POST /upload/v1/oss/file/create body size: docs say number, "
                'spec\'s example image says string "22032384"',
                # That example is presented as the docs' own, which sends a number.
                "POST /upload/v1/oss/file/create request example image: docs say 22032384 at request.size, spec says "
                '"22032384" (relabel it, or restore the docs\' example)',
            }
        ),
    ),
    Mutation(
        "reply example's value type changed",
        spec_edit(lambda s: set_in(example(s, DETAIL, "image", reply=True)["data"], "totalTraffic", "0")),
        frozenset(
            {
                "GET /api/v1/oss/file/detail reply totalTraffic: docs say number, "
                'spec\'s example image says string "0"',
                'GET /api/v1/oss/file/detail reply example image: docs say 0 at reply.data.totalTraffic, spec says "0" '
                "(relabel it, or restore the docs' example)",
            }
        ),
    ),
    Mutation(
        "envelope example's code type changed",
        spec_edit(lambda s: set_in(example(s, MKDIR, "created", reply=True), "code", "0")),
        frozenset(
            {
                'POST /upload/v1/oss/file/mkdir envelope code: docs say int, spec\'s example created says string "0"',
                'POST /upload/v1/oss/file/mkdir reply example created: docs say 0 at reply.code, spec says "0" '
                "(relabel it, or restore the docs' example)",
            }
        ),
    ),
    Mutation(
        "query parameter example's type changed",
        spec_edit(lambda s: set_in(parameter(s, OFFLINE_PROCESS, "taskID"), "example", "403316")),
        frozenset(
            {
                "GET /api/v1/oss/offline/download/process query taskID: docs say number, "
                'spec\'s example example says string "403316"'
            }
        ),
    ),
    Mutation(
        "the docs' example altered",
        spec_edit(lambda s: set_in(example(s, DETAIL, "image", reply=True)["data"], "status", 1)),
        frozenset(
            {
                "GET /api/v1/oss/file/detail reply example image: docs say 2 at reply.data.status, spec says 1 "
                "(relabel it, or restore the docs' example)"
            }
        ),
    ),
    Mutation(
        "the docs' example cut short",
        spec_edit(lambda s: example(s, LIST, "lastPage", reply=True)["data"]["fileList"].pop()),
        frozenset(
            {
                "POST /api/v1/oss/file/list reply example lastPage: docs say 2 at reply.data.fileList length, "
                "spec says 1 (relabel it, or restore the docs' example)"
            }
        ),
    ),
    Mutation(
        "an example of ours presented as the docs' example",
        spec_edit(
            lambda s: set_in(
                operation(s, TOKEN)["responses"]["200"]["content"]["application/json"]["examples"]["success"],
                "summary",
                "A token (the docs' example)",
            )
        ),
        frozenset(
            {
                "POST /api/v1/access_token reply example success: docs say no such example (none in the record's "
                "doc_examples), spec presents it as the docs' example"
            }
        ),
    ),
    # -- rate limits (the spec states them in the RATE_LIMIT_KEY extension)
    Mutation(
        "QPS in the record changed",
        lambda spec, record: change_published_qps(spec, record, 2),
        frozenset({"POST /api/v1/access_token x-rate-limit: docs say 2 QPS, spec says 1 QPS"}),
    ),
    Mutation(
        "QPS in the spec changed",
        spec_edit(lambda s: add_rate_limit(s, 5, "[doc]")),
        frozenset({"POST /api/v1/access_token x-rate-limit: docs say 1 QPS, spec says 5 QPS"}),
    ),
    Mutation(
        "QPS claimed [doc] where none is published",
        spec_edit(
            lambda s: set_in(
                operation(s, CREATE), docs_check.RATE_LIMIT_KEY, {"perSecond": 2, "source": "[doc] a limit"}
            )
        ),
        frozenset(
            {
                "POST /upload/v1/oss/file/create x-rate-limit: docs publish no QPS for this operation, "
                "spec says 2 QPS [doc]",
                "#/paths/~1upload~1v1~1oss~1file~1create/post/x-rate-limit/source: docs publish no QPS for this "
                "operation, spec tags its x-rate-limit [doc]",
            }
        ),
    ),
    Mutation(
        "published QPS missing where the spec gives others",
        spec_edit(lambda s: operation(s, TOKEN).pop(docs_check.RATE_LIMIT_KEY)),
        frozenset({"POST /api/v1/access_token x-rate-limit: docs say 1 QPS, spec gives no x-rate-limit"}),
    ),
]


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m.name for m in MUTATIONS])
def test_each_kind_of_drift_is_caught(mutation: Mutation) -> None:
    spec, record = copy.deepcopy(SPEC), copy.deepcopy(RECORD)
    mutation.edit(spec, record)
    found = report(spec, record)
    if mutation.orphans_too:
        found = {line for line in found if "(no recorded operation uses it)" not in line}
    assert found == set(mutation.lines)


def test_a_correct_rate_limit_passes() -> None:
    spec = copy.deepcopy(SPEC)
    add_rate_limit(spec, 1, "[doc]")
    assert report(spec, RECORD) == set()


def success_and_failure_branches(spec: dict[str, Any]) -> None:
    """Rewrite every `<Name>Reply` as `oneOf [<Name>Success, ZFailureReply]`: a success with `code` 0 and a
    payload that is never null, and a failure whose `data` is null (the envelope before one object per operation;
    still a plausible design, which the checks must read the same way)."""
    schemas = spec["components"]["schemas"]
    failure = copy.deepcopy(schemas["EmptyReply"])
    failure["description"] = "Any failure: code not 0, data null."
    schemas["ZFailureReply"] = failure
    for name in [n for n in list(schemas) if n.endswith("Reply") and n not in ("EmptyReply", "ZFailureReply")]:
        success = schemas[name]
        schemas[success["properties"]["data"]["$ref"].rsplit("/", 1)[1]].pop("nullable")
        success["properties"]["code"] = {"type": "integer", "format": "int32", "enum": [0]}
        schemas[name.removesuffix("Reply") + "Success"] = success
        schemas[name] = {
            "description": success["description"],
            "oneOf": [
                {"$ref": f"#/components/schemas/{name.removesuffix('Reply')}Success"},
                {"$ref": "#/components/schemas/ZFailureReply"},
            ],
        }


def test_the_checks_hold_for_success_and_failure_branches_too() -> None:
    # The real spec has one reply object per operation; the same facts written as oneOf branches read the same.
    spec = copy.deepcopy(SPEC)
    success_and_failure_branches(spec)
    assert report(spec, RECORD) == set()
    branches = schema(spec, "UploadAsyncResultReply")["oneOf"]
    branches[:] = [b for b in branches if not b["$ref"].endswith("/ZFailureReply")]
    schema(spec, "UploadAsyncResultPayload")["properties"]["completed"]["type"] = "string"
    assert report(spec, RECORD) == {
        "POST /upload/v1/oss/file/upload_async_result envelope data: docs say it may be null, spec says never null",
        # Only the success's `code: enum [0]` is left.
        "POST /upload/v1/oss/file/upload_async_result envelope code: docs say any int, spec allows only [0]",
        "POST /upload/v1/oss/file/upload_async_result reply completed: docs say type bool, spec says string",
    }
