"""The blocking driver, `Client`, generated from `_async/` by `tools/unasync.py`: do not edit."""
