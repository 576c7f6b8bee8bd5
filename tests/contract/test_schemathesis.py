"""Schemathesis against the fake on a loopback socket: what the fake answers keeps to openapi.yaml.

Run by `nox -s contract`, which installs schemathesis; the `tests` session does not, and pytest does not
recurse into this folder unless it is named (see `norecursedirs` in pyproject.toml).

Every operation in the spec is fuzzed. The fake holds what the spec's examples name (their folders, files, drive
files, URL, upload and copy task), so that the examples phase reaches the success replies too; the last test
checks that every operation answered at least one success.

Every schemathesis check runs, except three that judge a rejection by its HTTP status alone:
`negative_data_rejection`, `missing_required_header` and `ignored_auth` expect a 4xx, but 123pan rejects in
the body, with HTTP 200 and a non-zero `code` (openapi.yaml documents this [seen], and the fake does the same
so that clients are tested against it). `rejected_in_band` and `auth_enforced_in_band` below check the same
properties the way this API reports them.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from schemathesis.checks import CheckContext
from schemathesis.specs.openapi.checks import ignored_auth, missing_required_header, negative_data_rejection

from pan123_oss._spec import OPERATIONS
from pan123_oss.testing import FakePan123
from pan123_oss.testing._migration import CopyTask
from pan123_oss.testing._oss import Session, StoredPart
from spec_helpers import SPEC_PATH, load_spec, validator_for

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


def _operation(operation_id: str) -> dict[str, Any]:
    method, path = OPERATIONS[operation_id]["method"], OPERATIONS[operation_id]["path"]
    operation: dict[str, Any] = load_spec()["paths"][path][method.lower()]
    return operation


def _body_example(operation_id: str) -> dict[str, Any]:
    examples = _operation(operation_id)["requestBody"]["content"]["application/json"]["examples"]
    body: dict[str, Any] = next(iter(examples.values()))["value"]
    return body


def _query_example(operation_id: str, name: str) -> Any:
    return next(p["example"] for p in _operation(operation_id)["parameters"] if p.get("name") == name)


def _seed_examples(fake: FakePan123) -> None:
    """Put on the fake what the spec's examples name, so that they succeed."""
    upload_folder = fake.add_folder("测试图床目录", folder_id=_body_example("createUpload")["parentFileID"])
    listed = fake.add_folder("img_oss", folder_id=_body_example("listFiles")["parentFileId"])
    fake.add_file("listed.png", b"listed", listed)
    fake.add_file("测试图床.jpg", b"detail", upload_folder, file_id=_query_example("getFileDetail", "fileID"))
    move = _body_example("moveFiles")
    fake.add_folder("测试图床目录1", listed, folder_id=move["toParentFileID"])
    for file_id in move["fileIDs"]:
        fake.add_file(f"{file_id[:8]}.png", file_id.encode(), upload_folder, file_id=file_id)
    copy = _body_example("startDriveCopy")
    for drive_id in copy["fileIDs"]:
        fake.add_drive_file(drive_id, f"{drive_id}.png", drive_id.encode())
    fake.fail_copy(copy["fileIDs"][0], "broken.png: 图片格式不支持")
    fake.add_remote_file(_body_example("startOfflineDownload")["url"], b"remote image")
    task_id = _query_example("getDriveCopyProcess", "taskID")
    fake.imports.copies[task_id] = CopyTask(task_id, copy["fileIDs"], copy["toParentFileID"], 0.0)
    # An upload of no bytes whose one (empty) slice is stored, so that completing it succeeds.
    pid = _body_example("completeUpload")["preuploadID"]
    empty = hashlib.md5(b"", usedforsecurity=False).hexdigest()
    session = Session(pid, "", "seed.png", empty, 0, fake.oss.slice_size, {1: StoredPart(0, empty, io.BytesIO())})
    fake.oss.sessions[pid] = session


_seed_examples(FAKE)

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


FOLDER_BODY = validator_for({"$ref": "#/components/schemas/NewFolderBody"})


def _tolerated(case: schemathesis.Case[Any]) -> bool:
    """A request that breaks the spec in a way the docs show, which the fake accepts on purpose: mkdir's `name`
    as a plain string, as the docs' example sends it (the table, and so the spec, has an array)."""
    body = case.body
    if case.operation.definition.raw.get("operationId") != "createFolder" or not isinstance(body, dict):
        return False
    name = body.get("name")
    return isinstance(name, str) and FOLDER_BODY.is_valid({**body, "name": [name]})


def rejected_in_band(ctx: CheckContext, response: schemathesis.Response, case: schemathesis.Case[Any]) -> None:
    """`negative_data_rejection` and `missing_required_header` for an API that rejects with a non-zero `code`."""
    if case.meta is None or not case.meta.generation.mode.is_negative or not _succeeded(response):
        return
    if not _tolerated(case):
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


def test_every_operation_succeeded_at_least_once() -> None:
    """The session reached the success reply of every operation the fake implements, not only its refusals
    (this runs after the fuzzing). An operation new to the spec, which the fake answers "not implemented",
    is fuzzed all the same but cannot succeed yet."""
    routes = {(op["method"], op["path"]): name for name, op in OPERATIONS.items()}
    succeeded = {routes.get((r.method, r.path)) for r in FAKE.requests if r.code == 0}
    assert sorted(FAKE.implemented() - succeeded) == []
