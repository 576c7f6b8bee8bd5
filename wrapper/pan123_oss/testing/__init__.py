"""A fake 123pan Open Platform for tests, demos and your own test suite; no network, no credentials.

    fake = FakePan123()
    pid = fake.add_upload(pending_polls=2)
    with fake.serve() as url, pan123_oss.Client(client_id=fake.client_id,
                                                client_secret=fake.client_secret, base_url=url) as c:
        file_id = c.wait_for_upload(pid)

Or in process, without sockets: `pan123_oss.Client(..., transport=fake.transport())`.

It answers every operation of openapi.yaml: uploads, the image host's folders and files (`add_folder`,
`add_file`, `set_review_status`, `set_link_delay`), copies from a cloud drive (`add_drive_file`, `fail_copy`)
and offline downloads (`add_remote_file`). `FakePan123(replies="minimal", extra_fields=True)` answers only
what the spec requires, plus fields no spec knows yet, as a newer service may.
"""

from ._clock import FakeClock
from ._fake import FakePan123, FakeReply, FakeUpload, Fault, RecordedRequest

__all__ = ["FakeClock", "FakePan123", "FakeReply", "FakeUpload", "Fault", "RecordedRequest"]
