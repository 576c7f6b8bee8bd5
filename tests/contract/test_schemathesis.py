"""Schemathesis against the fake on a loopback socket: what the fake answers keeps to openapi.yaml.

Run by `nox -s contract`, which installs schemathesis; the `tests` session does not, and pytest does not
recurse into this folder unless it is named (see `norecursedirs` in pyproject.toml).

Every schemathesis check runs, except three that judge a rejection by its HTTP status alone:
`negative_data_rejection`, `missing_required_header` and `ignored_auth` expect a 4xx, but 123pan rejects in
the body, with HTTP 200 and a non-zero `code` (openapi.yaml documents this [seen], and the fake does the same
so that clients are tested against it). `rejected_in_band` and `auth_enforced_in_band` below check the same
properties the way this API reports them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from schemathesis.checks import CheckContext
from schemathesis.specs.openapi.checks import ignored_auth, missing_required_header, negative_data_rejection

from pan123_oss.testing import FakePan123
from spec_helpers import SPEC_PATH, load_spec

TOKEN_OP = load_spec()["paths"]["/api/v1/access_token"]["post"]
CREDENTIALS = TOKEN_OP["requestBody"]["content"]["application/json"]["examples"]["credentials"]["value"]
NOWHERE = "http://127.0.0.1:9"
"""The discard port: where a call would go if a test forgot the fake's URL (never the spec's real server)."""
MAX_EXAMPLES = 60
"""Per operation and phase; each call takes about a millisecond on loopback."""

# The spec's example credentials are the fake's, so the examples phase also gets (and checks) a token.
FAKE = FakePan123(
    spec=SPEC_PATH, auto_uploads=True, client_id=CREDENTIALS["clientID"], client_secret=CREDENTIALS["clientSecret"]
)
BEARER = f"Bearer {FAKE.issue_token()}"

schema = schemathesis.openapi.from_path(SPEC_PATH)
schema.config.update(base_url=NOWHERE, headers={"Authorization": BEARER}, request_timeout=5.0)
schema.config.generation.update(max_examples=MAX_EXAMPLES, database="none", deterministic=True)


def _code(content: bytes) -> int | None:
    """The envelope's `code`, or None when the body is no envelope."""
    try:
        body = json.loads(content)
    except ValueError:
        return None
    code = body.get("code") if isinstance(body, dict) else None
    return code if isinstance(code, int) else None


def _succeeded(response: schemathesis.Response) -> bool:
    return 200 <= response.status_code < 300 and _code(response.content) == 0


def rejected_in_band(ctx: CheckContext, response: schemathesis.Response, case: schemathesis.Case[Any]) -> None:
    """`negative_data_rejection` and `missing_required_header` for an API that rejects with a non-zero `code`."""
    if case.meta is not None and case.meta.generation.mode.is_negative and _succeeded(response):
        raise AssertionError(f"a request that breaks the spec succeeded: {case.meta.phase.data.description}")


def auth_enforced_in_band(ctx: CheckContext, response: schemathesis.Response, case: schemathesis.Case[Any]) -> None:
    """`ignored_auth` for an API that reports a missing or bad token as `code` 401."""
    if not case.operation.definition.raw.get("security") or not _succeeded(response):
        return
    if response.request.headers.get("Authorization") != BEARER:
        raise AssertionError("the call succeeded without the live access token")
    for auth in (None, "Bearer fake.not-a-live-token"):
        probe = response.request.copy()  # the same request again, without the token or with a dead one
        del probe.headers["Authorization"]
        if auth is not None:
            probe.headers["Authorization"] = auth
        with requests.Session() as http:
            reply = http.send(probe, timeout=5.0)
        if _code(reply.content) != 401 and reply.status_code not in (401, 403):
            what = "without a token" if auth is None else "with a token that is not live"
            raise AssertionError(f"{what}: HTTP {reply.status_code} and code {_code(reply.content)}, not code 401")


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    with FAKE.serve() as url:
        yield url


@schema.parametrize()
def test_the_fake_keeps_to_the_spec(case: schemathesis.Case[Any], served: str) -> None:
    seen = len(FAKE.violations)
    response = case.call(base_url=served)
    found = FAKE.violations[seen:]
    # The fake's own check and schemathesis must agree: only a request schemathesis made invalid on
    # purpose breaks the spec, and no reply ever does.
    assert not [v for v in found if not v.startswith("request ")]
    if case.meta is not None and not case.meta.generation.mode.is_negative:
        assert not found
    case.validate_response(
        response,
        excluded_checks=[negative_data_rejection, missing_required_header, ignored_auth],
        additional_checks=[rejected_in_band, auth_enforced_in_band],
    )
