"""What the fake's spec checker (`pan123_oss.testing`) calls a bad request: the lines a test of a client written
against the fake reads when that client breaks the spec."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pan123_oss.testing._contract import SpecChecker
from spec_helpers import SPEC_PATH

POLL = "/upload/v1/oss/file/upload_async_result"
JSON = {"platform": "open_platform", "authorization": "Bearer tok", "content-type": "application/json"}


@pytest.fixture(scope="module")
def checker() -> SpecChecker:
    return SpecChecker(SPEC_PATH)


def small_checker(tmp_path: Path, paths: dict[str, object], **top: object) -> SpecChecker:
    """A checker of a small spec written for the test: `paths`, and any other top-level fields."""
    spec = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths, **top}
    path = tmp_path / "spec.yaml"
    path.write_text(json.dumps(spec), encoding="utf-8")
    return SpecChecker(path)


OK: dict[str, object] = {"200": {"description": "ok"}}


def header(name: str, schema: dict[str, object]) -> dict[str, object]:
    return {"name": name, "in": "header", "required": True, "schema": schema}


def test_a_request_that_keeps_to_the_spec_has_no_violation(checker: SpecChecker) -> None:
    assert checker.check_request("POST", POLL, JSON, b'{"preuploadID": "p"}') == []


def test_a_request_without_the_bearer_token_is_a_violation(checker: SpecChecker) -> None:
    headers = {k: v for k, v in JSON.items() if k != "authorization"}
    assert checker.check_request("POST", POLL, headers, b'{"preuploadID": "p"}') == [
        f"request POST {POLL}: no `Authorization: Bearer <token>` header"
    ]


def test_a_header_breaking_its_schema_is_a_violation(checker: SpecChecker) -> None:
    assert checker.check_request("POST", POLL, {**JSON, "platform": "web"}, b'{"preuploadID": "p"}') == [
        f"request POST {POLL}: header Platform at $: 'web' is not one of ['open_platform']"
    ]


def test_a_body_breaking_its_schema_is_a_violation(checker: SpecChecker) -> None:
    assert checker.check_request("POST", POLL, JSON, b'{"preuploadID": 5}') == [
        f"request POST {POLL}: body at $.preuploadID: 5 is not of type 'string'"
    ]


def test_a_recursive_schema_is_still_checked_all_the_way_down(tmp_path: Path) -> None:
    # References are inlined once for speed; one that leads back into itself must stay a working reference.
    checker = small_checker(
        tmp_path,
        {"/tree": {"post": {"responses": {"200": {"description": "ok", "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Node"}}}}}}}},
        components={"schemas": {"Node": {"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
        }}}},
    )  # fmt: skip
    good = {"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}]}
    bad = {"name": "a", "children": [{"name": "b", "children": [{"name": 3}]}]}
    assert checker.check_reply("POST", "/tree", 200, "application/json", json.dumps(good).encode()) == []
    assert checker.check_reply("POST", "/tree", 200, "application/json", json.dumps(bad).encode()) == [
        "reply to POST /tree: HTTP 200 at $.children[0].children[0].name: 3 is not of type 'string'"
    ]


def test_a_status_without_its_own_entry_is_read_by_its_range_then_by_default(tmp_path: Path) -> None:
    # The order of OpenAPI 3.0's Responses Object: the exact code, then its range ("4XX"), then "default".
    def reply(name: str) -> dict[str, object]:
        schema = {"type": "object", "required": [name], "properties": {name: {"type": "string"}}}
        return {"description": name, "content": {"application/json": {"schema": schema}}}

    responses = {"200": reply("exact"), "4XX": reply("range"), "default": reply("fallback")}
    checker = small_checker(tmp_path, {"/x": {"get": {"responses": responses}}})

    def problems(status: int, body: dict[str, object]) -> list[str]:
        return checker.check_reply("GET", "/x", status, "application/json", json.dumps(body).encode())

    assert problems(200, {"exact": "e"}) == problems(404, {"range": "r"}) == problems(503, {"fallback": "f"}) == []
    assert problems(404, {"fallback": "f"}) == ["reply to GET /x: HTTP 404 at $: 'range' is a required property"]
    assert problems(503, {"range": "r"}) == ["reply to GET /x: HTTP 503 at $: 'fallback' is a required property"]


# Specs other teams may write: what openapi.yaml does not use, the checker still reads as OpenAPI 3.0 does.


def test_path_level_parameters_and_the_spec_wide_security_apply_to_every_operation(tmp_path: Path) -> None:
    checker = small_checker(
        tmp_path,
        {"/x": {"parameters": [header("Platform", {"type": "string", "enum": ["open_platform"]})],
                "get": {"responses": OK}}},
        security=[{"token": []}],
        components={"securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}},
    )  # fmt: skip
    assert checker.check_request("GET", "/x", {"platform": "open_platform", "authorization": "Bearer t"}, b"") == []
    assert checker.check_request("GET", "/x", {}, b"") == [
        "request GET /x: required header Platform is missing",
        "request GET /x: no `Authorization: Bearer <token>` header",
    ]


def test_a_spec_without_paths_or_schemes_is_read_and_an_unknown_scheme_is_not_a_bearer_token(tmp_path: Path) -> None:
    assert small_checker(tmp_path, {}).check_request("GET", "/x", {}, b"") == [
        "request GET /x: no such operation in the spec"
    ]
    checker = small_checker(tmp_path, {"/x": {"get": {"security": [{"nowhere": []}], "responses": OK}}})
    assert checker.check_request("GET", "/x", {}, b"") == []


def test_every_bad_header_is_reported_not_only_the_last(tmp_path: Path) -> None:
    number: dict[str, object] = {"type": "integer"}
    checker = small_checker(tmp_path, {"/x": {"get": {"parameters": [header("A", number), header("B", number)],
                                                      "responses": OK}}})  # fmt: skip
    assert checker.check_request("GET", "/x", {"a": "one", "b": "two"}, b"") == [
        "request GET /x: header A at $: 'one' is not of type 'integer'",
        "request GET /x: header B at $: 'two' is not of type 'integer'",
    ]


def test_bodies_are_checked_as_documented_required_or_not_and_formats_too(tmp_path: Path) -> None:
    schema = {"type": "object", "properties": {"n": {"type": "integer", "format": "int32"}}}
    content = {"application/json": {"schema": schema}}
    checker = small_checker(tmp_path, {
        "/optional": {"post": {"requestBody": {"content": content}, "responses": OK}},
        "/required": {"post": {"requestBody": {"required": True, "content": content}, "responses": OK}},
    })  # fmt: skip
    json_type = {"content-type": "application/json"}
    assert checker.check_request("POST", "/optional", {}, b"") == []
    assert checker.check_request("POST", "/required", {}, b"") == ["request POST /required: the body is required"]
    assert checker.check_request("POST", "/optional", {}, b'{"n": 1}') == [
        "request POST /optional: body: Content-Type '' is not documented (application/json)"
    ]
    assert checker.check_request("POST", "/optional", json_type, b'{"n": 8589934592}') == [
        "request POST /optional: body at $.n: 8589934592 is not a 'int32'"
    ]
    # A reply documented without a body must come without one.
    assert checker.check_reply("POST", "/optional", 200, "", b"") == []
    assert checker.check_reply("POST", "/optional", 200, "application/json", b"{}") == [
        "reply to POST /optional: HTTP 200 has a body, but none is documented"
    ]
