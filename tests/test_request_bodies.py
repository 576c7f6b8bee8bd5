"""What each upload and file call sends, field by field, and the upload each one names in its errors.

The request builders are pure (an `Operation` holding the request as data), so the body the service would get
is read straight off them; a missing `type: 1` or preupload ID is what a user would see refused or unnamed.
"""

from __future__ import annotations

import pytest
from flow_service import CREATE, PID, URL, Service, created, drive, job

import pan123_oss
from pan123_oss._flows import _effects, _files, _upload


def test_create_sends_the_file_and_type_1() -> None:
    op = _upload.UploadCalls.create("folder-1", "a.png", "0" * 32, 123)
    assert (op.request.method, op.request.path) == ("POST", CREATE)
    assert op.request.json == {"parentFileID": "folder-1", "filename": "a.png", "etag": "0" * 32, "size": 123,
                               "type": 1}  # fmt: skip


def test_the_calls_after_create_name_the_upload() -> None:
    assert _upload.UploadCalls.upload_url("pid-1", 3).request.json == {"preuploadID": "pid-1", "sliceNo": 3}
    assert _upload.UploadCalls.parts("pid-1").request.json == {"preuploadID": "pid-1"}
    complete = _upload.UploadCalls.complete("pid-1")
    assert complete.request.json == {"preuploadID": "pid-1"}
    assert _upload.UploadCalls.upload_url("pid-1", 3).preupload_id == "pid-1"
    assert _upload.UploadCalls.parts("pid-1").preupload_id == "pid-1"
    assert complete.preupload_id == "pid-1"
    assert complete.accepted_codes == frozenset({20103})


def test_mkdir_sends_one_name_under_its_parent_and_type_1() -> None:
    op = _files.FileCalls.mkdir("parent-9", "2026")
    assert op.request.json == {"name": ["2026"], "parentID": "parent-9", "type": 1}


def test_a_listing_page_sends_its_cursor_and_time_bounds_only_when_set() -> None:
    first = _files.FileCalls.page("folder-1", "", None, None)
    assert first.request.json == {"limit": 100, "type": 1, "parentFileId": "folder-1"}
    later = _files.FileCalls.page("folder-1", "f-77", 1700000000, 1800000000)
    assert later.request.json == {"limit": 100, "type": 1, "parentFileId": "folder-1", "lastFileId": "f-77",
                                  "startTime": 1700000000, "endTime": 1800000000}  # fmt: skip


def test_move_and_delete_send_the_ids() -> None:
    assert _files.FileCalls.move(["a", "b"], "dest").request.json == {"fileIDs": ["a", "b"], "toParentFileID": "dest"}
    assert _files.FileCalls.delete(["a"]).request.json == {"fileIDs": ["a"]}


def test_a_slice_url_that_never_comes_before_the_deadline_names_the_upload_to_resume() -> None:
    service = Service({CREATE: [created(1024)], URL: [_effects.Failed("connection reset")]})
    flow = _upload.upload(job(service, b"x" * 1000, timeout=6.0), "")
    with pytest.raises(pan123_oss.UploadTimeoutError) as caught:
        drive(flow, service.answer)
    assert (caught.value.preupload_id, caught.value.endpoint) == (PID, URL)
    assert service.put_log == []
