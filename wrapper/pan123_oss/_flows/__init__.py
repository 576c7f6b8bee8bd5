"""The protocol, free of I/O: every decision the clients make, as generators that yield effects.

Nothing in this folder sends, sleeps, reads a file or looks at the clock on its own; time comes in as a
number and effects go out as plain data (`_effects`), so the sync and async drivers run the very same code
and tests drive it with scripted replies and a fake clock. `_call` is one API call (reply meaning, token
refresh, retry, backoff, 429s) and the wait for an upload; `_upload` is the whole upload read top to bottom
as the API documents it (create, slices, parts check, complete, wait); `_files` the file and folder calls and
links; `_migration` offline migration (离线迁移) and drive copies. `_replies` and `_schema` say what a reply
means, checked against the spec's tables and read through the generated models; `_governor` decides when the
next request to each endpoint may go. Every number they use is named in `.._policy`.
"""
