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
