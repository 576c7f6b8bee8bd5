"""A fake 123pan Open Platform for tests, demos and your own test suite; no network, no credentials.

    fake = FakePan123()
    pid = fake.add_upload(pending_polls=2)
    with fake.serve() as url, pan123_oss.Client(client_id=fake.client_id,
                                                client_secret=fake.client_secret, base_url=url) as c:
        file_id = c.wait_for_upload(pid)

Or in process, without sockets: `pan123_oss.Client(..., transport=fake.transport())`.
"""

from ._clock import FakeClock
from ._fake import FakePan123, FakeReply, FakeUpload, Fault, RecordedRequest

__all__ = ["FakeClock", "FakePan123", "FakeReply", "FakeUpload", "Fault", "RecordedRequest"]
