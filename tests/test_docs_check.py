"""tools/docs_check.py: openapi.yaml agrees with docs/api-tables.yaml, and each kind of drift is caught.

Each breaking test edits a copy of the real spec and asserts the exact lines the edit adds to the report.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

import docs_check

# tools/docs_check.py is not the wrapper: nothing here adds to its coverage, so `nox -s coverage` runs it untraced.
pytestmark = pytest.mark.no_cover

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "openapi.yaml"
RECORD_PATH = ROOT / "docs" / "api-tables.yaml"
SPEC: dict[str, Any] = docs_check.load_yaml(SPEC_PATH)
RECORD: Any = docs_check.load_yaml(RECORD_PATH)
BASELINE = set(docs_check.check(SPEC, RECORD))

DOCUMENTED = {
    ("POST", "/api/v1/access_token"),
    ("POST", "/upload/v1/oss/file/mkdir"),
    ("POST", "/upload/v1/oss/file/create"),
    ("POST", "/upload/v1/oss/file/get_upload_url"),
    ("POST", "/upload/v1/oss/file/upload_complete"),
    ("POST", "/upload/v1/oss/file/upload_async_result"),
    ("POST", "/api/v1/oss/file/delete"),
    ("POST", "/api/v1/oss/file/move"),
    ("POST", "/api/v1/oss/file/list"),
    ("GET", "/api/v1/oss/file/detail"),
    ("POST", "/api/v1/oss/source/copy"),
    ("GET", "/api/v1/oss/source/copy/process"),
    ("GET", "/api/v1/oss/source/copy/fail"),
    ("POST", "/api/v1/oss/offline/download"),
    ("GET", "/api/v1/oss/offline/download/process"),
}
ASYNC_RESULT = ("POST", "/upload/v1/oss/file/upload_async_result")
COMPLETE = ("POST", "/upload/v1/oss/file/upload_complete")
CREATE = ("POST", "/upload/v1/oss/file/create")
UPLOAD_URL = ("POST", "/upload/v1/oss/file/get_upload_url")
DETAIL = ("GET", "/api/v1/oss/file/detail")
LIST = ("POST", "/api/v1/oss/file/list")


def added_by(edit: Callable[[dict[str, Any]], None], record: Any = RECORD) -> set[str]:
    """The report lines an edit of a copy of the real spec adds (held to the real record, or another)."""
    spec = copy.deepcopy(SPEC)
    edit(spec)
    return set(docs_check.check(spec, record)) - BASELINE


def holder(spec: dict[str, Any], op: tuple[str, str], section: str, name: str) -> tuple[str, dict[str, Any]]:
    """The one schema object holding a documented field, and its JSON pointer."""
    pointers = docs_check.holders(spec, op[0], op[1], section, name)
    assert len(pointers) == 1, pointers
    node: dict[str, Any] = docs_check.Spec(spec).node_at(pointers[0])
    return pointers[0], node


def operation(spec: dict[str, Any], op: tuple[str, str]) -> dict[str, Any]:
    found: dict[str, Any] = spec["paths"][op[1]][op[0].lower()]
    return found


def drop_field(spec: dict[str, Any], op: tuple[str, str], section: str, name: str) -> None:
    _, schema = holder(spec, op, section, name)
    last = name.split(".")[-1]
    del schema["properties"][last]
    if last in schema.get("required", []):
        schema["required"].remove(last)


def set_required(spec: dict[str, Any], op: tuple[str, str], section: str, name: str, required: bool) -> None:
    _, schema = holder(spec, op, section, name)
    last = name.split(".")[-1]
    names = [n for n in schema.get("required", []) if n != last]
    schema["required"] = [*names, last] if required else names


# ------------------------------------------------------------------------------------------ the real files


def test_real_spec_agrees_with_the_record() -> None:
    assert docs_check.check(SPEC, RECORD) == []


def test_record_covers_the_15_documented_operations_and_nothing_else() -> None:
    record = docs_check.parse_record(RECORD)
    assert {op.key for op in record.operations} == DOCUMENTED
    assert record.undocumented == {("POST", "/upload/v1/oss/file/list_upload_parts")}


def test_every_operation_names_its_source_and_every_flag_maps_to_required() -> None:
    for raw in RECORD["operations"]:
        assert raw["source"], raw["path"]
        for section in docs_check.SECTIONS:
            for row in raw.get(section) or []:
                flag = row.get("flag")
                if flag in ("必填", "选填", "非必填") and "reading" not in row:
                    assert row["required"] is (flag == "必填"), (raw["path"], row["name"])


def test_command_line_is_clean_on_the_real_files(capsys: pytest.CaptureFixture[str]) -> None:
    assert docs_check.main(["--spec", str(SPEC_PATH), "--record", str(RECORD_PATH)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1
    assert out[0].startswith("docs check: ")
    assert "(15 operations, " in out[0]


# ------------------------------------------------------------------------------------------ operations


def test_a_dropped_operation_is_reported() -> None:
    def edit(spec: dict[str, Any]) -> None:
        del spec["paths"]["/api/v1/oss/file/move"]

    added = added_by(edit)
    assert "POST /api/v1/oss/file/move: docs say this operation exists, spec has no path /api/v1/oss/file/move" in added
    # What only that operation used is left with [doc] tags that nothing recorded reaches any more.
    assert all("no recorded operation uses it" in line for line in added if not line.startswith("POST"))


def test_a_changed_method_is_reported() -> None:
    def edit(spec: dict[str, Any]) -> None:
        item = spec["paths"]["/api/v1/oss/file/detail"]
        item["post"] = item.pop("get")

    added = added_by(edit)
    assert "GET /api/v1/oss/file/detail: docs say method GET, spec has only POST" in added
    assert (
        "POST /api/v1/oss/file/detail: docs say nothing of this operation, spec has it "
        "(add it to docs/api-tables.yaml, under undocumented if no doc page covers it)"
    ) in added


# ------------------------------------------------------------------------------------------ fields


def test_a_dropped_reply_field_is_reported() -> None:
    assert added_by(lambda spec: drop_field(spec, ASYNC_RESULT, "reply", "completed")) == {
        "POST /upload/v1/oss/file/upload_async_result reply completed: docs say it exists (bool), "
        "spec has no such field"
    }


def test_a_dropped_body_field_is_reported() -> None:
    assert added_by(lambda spec: drop_field(spec, UPLOAD_URL, "body", "sliceNo")) == {
        "POST /upload/v1/oss/file/get_upload_url body sliceNo: docs say it exists (number), spec has no such field"
    }


def test_a_dropped_nested_field_is_reported() -> None:
    # getFileDetail's payload is a schema of its own (nullable, unlike the list's items): only the list loses it.
    added = added_by(lambda spec: drop_field(spec, LIST, "reply", "fileList.fileId"))
    assert added == {
        "POST /api/v1/oss/file/list reply fileList.fileId: docs say it exists (string), spec has no such field",
    }


def test_a_dropped_query_parameter_is_reported() -> None:
    def edit(spec: dict[str, Any]) -> None:
        op = operation(spec, DETAIL)
        names = [docs_check.Spec(spec).resolve(docs_check.Node(p, "")).value.get("name") for p in op["parameters"]]
        del op["parameters"][names.index("fileID")]

    assert added_by(edit) == {
        "GET /api/v1/oss/file/detail query fileID: docs say it exists (string), spec has no such query parameter"
    }


def test_a_missing_authorization_header_is_reported() -> None:
    def edit(spec: dict[str, Any]) -> None:
        operation(spec, CREATE)["security"] = []

    assert added_by(edit) == {
        "POST /upload/v1/oss/file/create header Authorization: docs say it exists (string), "
        "spec has no such header (no bearer security)"
    }


def test_a_changed_type_is_reported() -> None:
    def edit(spec: dict[str, Any]) -> None:
        _, schema = holder(spec, ASYNC_RESULT, "reply", "completed")
        schema["properties"]["completed"] = {"type": "string", "description": "Done? [doc]"}

    assert added_by(edit) == {
        "POST /upload/v1/oss/file/upload_async_result reply completed: docs say type bool, spec says string"
    }


def test_a_number_typed_as_string_is_reported() -> None:
    def edit(spec: dict[str, Any]) -> None:
        _, schema = holder(spec, CREATE, "body", "size")
        schema["properties"]["size"] = {"type": "string"}

    added = added_by(edit)
    assert "POST /upload/v1/oss/file/create body size: docs say type number, spec says string" in added
    # The replacement also lost the width and the limit the record holds the field to.
    assert "POST /upload/v1/oss/file/create body size: docs say format int64, spec says no format" in added


def test_a_oneof_with_a_branch_the_docs_do_not_allow_is_reported() -> None:
    def edit(spec: dict[str, Any]) -> None:
        _, schema = holder(spec, UPLOAD_URL, "body", "sliceNo")
        old = schema["properties"]["sliceNo"]
        schema["properties"]["sliceNo"] = {"oneOf": [{"type": "string"}, old]}

    assert added_by(edit) == {
        "POST /upload/v1/oss/file/get_upload_url body sliceNo: docs say type number, spec says integer or string"
    }


def test_a_oneof_is_compatible_when_every_branch_is() -> None:
    def edit(spec: dict[str, Any]) -> None:
        _, schema = holder(spec, UPLOAD_URL, "body", "sliceNo")
        old = schema["properties"]["sliceNo"]
        schema["properties"]["sliceNo"] = {"oneOf": [old, {"type": "integer", "format": "int32", "minimum": 1}]}

    assert added_by(edit) == set()


def test_an_array_of_the_wrong_items_is_reported() -> None:
    def edit(spec: dict[str, Any]) -> None:
        _, schema = holder(spec, ("POST", "/upload/v1/oss/file/mkdir"), "body", "name")
        schema["properties"]["name"]["items"] = {"type": "integer", "minLength": 1}

    assert added_by(edit) == {
        "POST /upload/v1/oss/file/mkdir body name: docs say items of type string, spec says items of integer"
    }


# ------------------------------------------------------------------------------------------ required flags


def test_an_optional_field_made_required_is_reported() -> None:
    assert added_by(lambda spec: set_required(spec, COMPLETE, "reply", "fileID", True)) == {
        "POST /upload/v1/oss/file/upload_complete reply fileID: docs say optional (非必填), spec says required"
    }


def test_a_sometimes_absent_field_made_required_is_reported() -> None:
    assert added_by(lambda spec: set_required(spec, CREATE, "reply", "preuploadID", True)) == {
        "POST /upload/v1/oss/file/create reply preuploadID: docs say optional (absent when reuse is true), "
        "spec says required"
    }


def test_a_field_the_newer_docs_dropped_made_required_is_reported() -> None:
    added = added_by(lambda spec: set_required(spec, UPLOAD_URL, "reply", "isMultipart", True))
    assert added == {
        "POST /upload/v1/oss/file/get_upload_url reply isMultipart: docs say optional (one copy lists it as 必填, "
        "the newer one dropped the row, so a reply may lack it), spec says required"
    }


def test_an_example_only_field_made_required_is_reported() -> None:
    added = added_by(lambda spec: set_required(spec, DETAIL, "reply", "s3KeyFlag", True))
    assert (
        "GET /api/v1/oss/file/detail reply s3KeyFlag: docs say optional (only in the doc's examples, "
        "not in its table), spec says required"
    ) in added


def test_a_required_field_made_optional_without_a_reason_is_reported() -> None:
    assert added_by(lambda spec: set_required(spec, ASYNC_RESULT, "reply", "completed", False)) == {
        "POST /upload/v1/oss/file/upload_async_result reply completed: docs say required (必填), "
        "spec says optional and gives no [seen] reason"
    }


def test_a_required_field_made_optional_with_a_recorded_seen_reason_passes() -> None:
    def edit(spec: dict[str, Any]) -> None:
        set_required(spec, ASYNC_RESULT, "reply", "completed", False)
        _, schema = holder(spec, ASYNC_RESULT, "reply", "completed")
        schema["properties"]["completed"]["description"] += " Missing from some replies [seen: no-completed]."

    record = copy.deepcopy(RECORD)
    record["observations"]["no-completed"] = {
        "says": "a poll reply without completed",
        "source": {"peer": "example/peer"},
        "waives": [
            {"operation": "POST /upload/v1/oss/file/upload_async_result", "section": "reply", "field": "completed"}
        ],
    }
    assert added_by(edit, record) == set()
    # The same tag, without the record's entry that waives this field, does not excuse it.
    del record["observations"]["no-completed"]["waives"]
    assert added_by(edit, record) == {
        "POST /upload/v1/oss/file/upload_async_result reply completed: docs say required (必填), "
        "spec says optional and gives no [seen] reason"
    }


def test_a_required_query_parameter_made_optional_is_reported() -> None:
    def edit(spec: dict[str, Any]) -> None:
        for param in docs_check.Spec(spec).parameters(DETAIL):
            if param.value.get("name") == "fileID":
                param.value["required"] = False

    assert added_by(edit) == {
        "GET /api/v1/oss/file/detail query fileID: docs say required (必填), "
        "spec says optional and gives no [seen] reason"
    }


def test_an_optional_request_body_is_reported() -> None:
    def edit(spec: dict[str, Any]) -> None:
        operation(spec, CREATE)["requestBody"]["required"] = False

    assert added_by(edit) == {
        "POST /upload/v1/oss/file/create body: docs say the body is required (it has required fields), "
        "spec says the request body is optional"
    }


# ------------------------------------------------------------------------------------------ [doc] tags


@pytest.mark.parametrize(
    ("op", "sibling", "label"),
    [
        (DETAIL, "fileId", "GET /api/v1/oss/file/detail reply storageClass"),
        # A list item: the dotted name goes through the array.
        (LIST, "fileList.fileId", "POST /api/v1/oss/file/list reply fileList.storageClass"),
    ],
)
def test_a_doc_tag_on_an_undocumented_field_is_reported(op: tuple[str, str], sibling: str, label: str) -> None:
    pointer = ""

    def edit(spec: dict[str, Any]) -> None:
        nonlocal pointer
        where, schema = holder(spec, op, "reply", sibling)
        schema["properties"]["storageClass"] = {"type": "string", "description": "Where it is kept [doc]."}
        pointer = f"{where}/properties/storageClass/description"

    # Only where that schema is used: the detail payload and the list items are separate schemas.
    assert added_by(edit) == {
        f"{label}: docs say nothing of this field, spec tags it [doc] at {pointer}",
        f"{label}: docs say no such field, spec has it",
    }


def test_a_doc_tag_on_an_operation_outside_the_record_is_reported() -> None:
    def edit(spec: dict[str, Any]) -> None:
        spec["paths"]["/api/v1/oss/file/rename"] = {
            "post": {"description": "Renames an image [doc].", "responses": {"200": {"description": "ok"}}}
        }

    assert added_by(edit) == {
        "POST /api/v1/oss/file/rename: docs say nothing of this operation, spec has it "
        "(add it to docs/api-tables.yaml, under undocumented if no doc page covers it)",
        "POST /api/v1/oss/file/rename: docs say nothing of this operation, "
        "spec tags it [doc] at #/paths/~1api~1v1~1oss~1file~1rename/post/description",
    }


def test_a_doc_tag_on_an_unused_schema_is_reported() -> None:
    def edit(spec: dict[str, Any]) -> None:
        spec["components"]["schemas"]["Orphan"] = {"type": "object", "description": "Nothing uses it [doc]."}

    assert added_by(edit) == {
        "#/components/schemas/Orphan/description: docs say nothing of it (no recorded operation uses it), "
        "spec tags it [doc]"
    }


def test_a_doc_tag_on_an_undocumented_parameter_is_reported() -> None:
    index = 0

    def edit(spec: dict[str, Any]) -> None:
        nonlocal index
        params = operation(spec, DETAIL)["parameters"]
        params.append({"name": "debug", "in": "query", "description": "Extra output [doc].", "schema": {}})
        index = len(params) - 1

    assert added_by(edit) == {
        "GET /api/v1/oss/file/detail query debug: docs say nothing of this parameter, spec tags it [doc] at "
        f"#/paths/~1api~1v1~1oss~1file~1detail/get/parameters/{index}/description",
        "GET /api/v1/oss/file/detail query debug: docs say no such query parameter, spec has it",
    }


def test_an_undocumented_operation_may_carry_doc_tags_only_for_what_the_docs_mention() -> None:
    spec = copy.deepcopy(SHAPES["one reply, nullable payload"])
    spec["paths"]["/parts"] = {"post": {"description": "The flow text mentions it [doc: flow].", "responses": {}}}
    record = copy.deepcopy(MINI_RECORD)
    record["statements"] = {"flow": {"says": "list the parts", "source": [{"copy": "test"}]}}
    record["undocumented"] = [{"method": "POST", "path": "/parts", "doc_mentions": [{"says": "list the parts"}]}]
    assert docs_check.check(spec, record) == []
    # A bare [doc] in free text names no statement, whether or not the docs mention the operation.
    spec["paths"]["/parts"]["post"]["description"] = "The flow text mentions it [doc]."
    assert docs_check.check(spec, record) == [
        "#/paths/~1parts/post/description: docs say nothing a record row holds here, spec tags it [doc] "
        "(tag it [doc: <id>] naming an entry of the record's statements)"
    ]
    del record["undocumented"][0]["doc_mentions"]
    assert docs_check.check(spec, record) == [
        "POST /parts: docs say nothing of this operation, spec tags it [doc] at #/paths/~1parts/post/description"
    ]


def test_doc_tags_inside_example_values_are_data_not_claims() -> None:
    def edit(spec: dict[str, Any]) -> None:
        operation(spec, DETAIL)["x-note"] = {"example": {"description": "[doc]"}}
        spec["components"]["schemas"]["Orphan"] = {"type": "object", "example": {"description": "[doc]"}}

    assert added_by(edit) == set()


# ------------------------------------------------------------------------------------------ generic shapes

ENVELOPE = [
    {"name": "code", "type": "int", "required": True},
    {"name": "message", "type": "string", "required": True},
    {"name": "data", "type": "any", "required": True},
    {"name": "x-traceID", "type": "string", "required": True},
]
MINI_RECORD: dict[str, Any] = {
    "common": {"envelope": ENVELOPE},
    "operations": [
        {
            "method": "POST",
            "path": "/thing",
            "source": [{"copy": "test"}],
            "reply": [
                {"name": "id", "type": "string", "flag": "必填", "required": True},
                {"name": "items.n", "type": "number", "flag": "非必填", "required": False},
            ],
        }
    ],
}
NULL = {"type": "string", "nullable": True, "enum": [None]}
PAYLOAD = {
    "type": "object",
    "required": ["id"],
    "properties": {
        "id": {"type": "string", "description": "The ID [doc]."},
        "items": {"type": "array", "items": {"type": "object", "properties": {"n": {"type": "integer"}}}},
    },
}


def envelope(data: dict[str, Any], code: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["code", "message", "data", "x-traceID"],
        "properties": {
            "code": code or {"type": "integer"},
            "message": {"type": "string"},
            "data": data,
            "x-traceID": {"type": "string"},
        },
    }


def mini_spec(reply: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "paths": {
            "/thing": {
                "post": {
                    "responses": {"200": {"description": "a reply", "content": {"application/json": {"schema": reply}}}}
                }
            }
        },
        "components": {"schemas": {"Payload": PAYLOAD, "NullValue": NULL, **schemas}},
    }


# The spec's shape first (one reply object, `data` a nullable payload), then others the checks read alike.
SHAPES = {
    "one reply, nullable payload": mini_spec(
        envelope({"$ref": "#/components/schemas/Payload"}), {"Payload": {**PAYLOAD, "nullable": True}}
    ),
    "success or error": mini_spec(
        {"$ref": "#/components/schemas/Reply"},
        {
            "Reply": {"oneOf": [{"$ref": "#/components/schemas/Success"}, {"$ref": "#/components/schemas/Error"}]},
            "Success": envelope({"$ref": "#/components/schemas/Payload"}, {"type": "integer", "enum": [0]}),
            "Error": envelope({"$ref": "#/components/schemas/NullValue"}),
        },
    ),
    "data oneOf payload or null": mini_spec(
        envelope({"oneOf": [{"$ref": "#/components/schemas/Payload"}, {"$ref": "#/components/schemas/NullValue"}]}),
        {},
    ),
    # Dropped from the spec (3.0.3 reads `nullable` only beside a `type`), still read the same by the checks.
    "data allOf payload, nullable": mini_spec(
        envelope({"allOf": [{"$ref": "#/components/schemas/Payload"}], "nullable": True}), {}
    ),
    "allOf envelope": mini_spec(
        {
            "allOf": [
                envelope({"type": "object"}),
                {"properties": {"data": {"anyOf": [{"$ref": "#/components/schemas/Payload"}, {"type": "null"}]}}},
            ]
        },
        {},
    ),
}


@pytest.mark.parametrize("shape", SHAPES.values(), ids=list(SHAPES))
def test_the_payload_is_found_in_every_reply_shape(shape: dict[str, Any]) -> None:
    assert docs_check.check(shape, MINI_RECORD) == []
    broken = copy.deepcopy(shape)
    payload = broken["components"]["schemas"]["Payload"]
    payload["required"] = []
    payload["properties"]["items"]["items"]["properties"]["n"] = {"type": "boolean"}
    assert docs_check.check(broken, MINI_RECORD) == [
        "POST /thing reply id: docs say required (必填), spec says optional and gives no [seen] reason",
        "POST /thing reply items.n: docs say type number, spec says boolean",
    ]


@pytest.mark.parametrize(
    "null_only",
    [
        {"$ref": "#/components/schemas/NullValue"},
        # What every generator takes (EmptyReply's): an object, or null, but no object.
        {"type": "object", "nullable": True, "not": {"type": "object"}},
    ],
    ids=["enum null", "not its own type"],
)
def test_a_reply_without_a_payload_is_reported(null_only: dict[str, Any]) -> None:
    spec = mini_spec(envelope(null_only), {})
    assert docs_check.check(spec, MINI_RECORD) == [
        "POST /thing reply: docs say data carries id, items.n, spec has no success payload "
        "(no non-null data in the 200 reply)",
        "#/components/schemas/Payload/properties/id/description: docs say nothing of it "
        "(no recorded operation uses it), spec tags it [doc]",
    ]


def test_a_payload_where_the_docs_give_null_is_reported() -> None:
    record = copy.deepcopy(MINI_RECORD)
    record["operations"][0]["reply"] = []
    assert docs_check.check(SHAPES["one reply, nullable payload"], record) == [
        "POST /thing reply: docs say data is null, spec says data carries id, items",
        "POST /thing reply id: docs say nothing of this field, spec tags it [doc] at "
        "#/components/schemas/Payload/properties/id/description",
    ]


def test_a_missing_envelope_field_is_reported() -> None:
    shape = copy.deepcopy(SHAPES["data oneOf payload or null"])
    reply = shape["paths"]["/thing"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    del reply["properties"]["x-traceID"]
    assert docs_check.check(shape, MINI_RECORD) == [
        "POST /thing envelope x-traceID: docs say it exists (string), "
        "spec has no such field in some branch of the 200 reply"
    ]


# ------------------------------------------------------------------------------------------ the record itself


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda r: r["operations"][0]["reply"][0].update(type="float"), "unknown type 'float'"),
        (lambda r: r["operations"][0]["reply"][0].pop("required"), "has no 'required'"),
        (lambda r: r["operations"][0].pop("source"), "no source"),
        (lambda r: r["operations"].append(copy.deepcopy(r["operations"][0])), "listed twice"),
    ],
)
def test_a_malformed_record_is_refused(edit: Callable[[dict[str, Any]], object], message: str) -> None:
    record = copy.deepcopy(MINI_RECORD)
    edit(record)
    with pytest.raises(docs_check.RecordError, match=message):
        docs_check.check(SHAPES["one reply, nullable payload"], record)


def test_command_line_lists_problems_and_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = copy.deepcopy(SHAPES["one reply, nullable payload"])
    spec["components"]["schemas"]["Payload"]["properties"]["id"] = {"type": "integer"}
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    (tmp_path / "record.yaml").write_text(yaml.safe_dump(MINI_RECORD, allow_unicode=True), encoding="utf-8")
    args = ["--spec", str(tmp_path / "spec.yaml"), "--record", str(tmp_path / "record.yaml")]
    assert docs_check.main(args) == 1
    captured = capsys.readouterr()
    assert captured.out == "POST /thing reply id: docs say type string, spec says integer\n"
    assert "1 problem(s)" in captured.err

    (tmp_path / "record.yaml").write_text("operations: [{method: FETCH, path: /thing}]", encoding="utf-8")
    assert docs_check.main(args) == 2
    assert "unknown method 'FETCH'" in capsys.readouterr().err
