"""The hand-written driver, `AsyncClient`: it carries out with asyncio what `_flows` decides.

`_sync/` beside it is generated from this folder by `tools/unasync.py` (`nox -s generate`; `nox -s generated`
fails on drift), so write code here that means the same once `await`, `async` and the `Async` prefixes are
gone. What the two drivers share that is not I/O lives in `.._client_base`; what they do differently
(sleeping, locking, threads or tasks) in `.._backend`.
"""
