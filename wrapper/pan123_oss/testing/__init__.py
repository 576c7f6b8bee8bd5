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

How it is built: `FakePan123` (`_fake`) holds the settings, the records and the one lock, and passes each
request through the parts in turn. `_server` serves it, as an in-process httpx transport or a loopback HTTP
server, and carries out a reply's timing (delays, latency, a bandwidth cap, trickled bytes). `_faults` plays what
a test scripted (`Fault`) and the per-endpoint rate limit. `_routes` finds the operation from the spec's tables,
makes the checks every request passes (headers, token, the spec's types and ranges), and calls the rules of the
area the operation belongs to: `_state` (tokens, and uploads being merged), `_oss` (upload sessions, slices, the
folder tree) or `_migration` (drive copies and offline downloads). `_shape` trims or pads what they answer, and
`_messages` holds what passes between the parts (`FakeReply`, `RecordedRequest`, the envelope). `_clock` is the
fake clock, `_contract` the optional check of all traffic against openapi.yaml, and `_standalone` the
`pan123-oss fake` command's server with its admin API.
"""

from ._clock import FakeClock
from ._fake import FakePan123
from ._faults import Fault
from ._messages import FakeReply, RecordedRequest
from ._state import FakeUpload

__all__ = ["FakeClock", "FakePan123", "FakeReply", "FakeUpload", "Fault", "RecordedRequest"]
