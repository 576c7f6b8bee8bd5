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
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/tree": {"post": {"responses": {"200": {"description": "ok", "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Node"}}}}}}}},
        "components": {"schemas": {"Node": {"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
        }}}},
    }  # fmt: skip
    path = tmp_path / "spec.yaml"
    path.write_text(json.dumps(spec), encoding="utf-8")
    checker = SpecChecker(path)
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
    paths = {"/x": {"get": {"responses": responses}}}
    spec = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths}
    path = tmp_path / "spec.yaml"
    path.write_text(json.dumps(spec), encoding="utf-8")
    checker = SpecChecker(path)

    def problems(status: int, body: dict[str, object]) -> list[str]:
        return checker.check_reply("GET", "/x", status, "application/json", json.dumps(body).encode())

    assert problems(200, {"exact": "e"}) == problems(404, {"range": "r"}) == problems(503, {"fallback": "f"}) == []
    assert problems(404, {"fallback": "f"}) == ["reply to GET /x: HTTP 404 at $: 'range' is a required property"]
    assert problems(503, {"range": "r"}) == ["reply to GET /x: HTTP 503 at $: 'fallback' is a required property"]
