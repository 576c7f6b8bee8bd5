"""The server side of `pan123-oss serve`: a PicGo-Server-compatible HTTP endpoint that uploads the files it is
given and answers their links. `_picgo.py` is the app (routes, who may ask, the JSON replies), `_listener.py` the
bounded HTTP/1.1 server under it (connections, threads, timeouts), and `_form.py` the multipart body streamed to
temporary files. It knows nothing of the command line or of the client: it is handed an `Upload` to call, and
`pan123_oss._cli._serve` builds that from a `Client` and starts the server.
"""

from ._picgo import DEFAULT_ORIGINS, DEFAULT_PORT, PicGoServer, Upload, check_host

__all__ = ["DEFAULT_ORIGINS", "DEFAULT_PORT", "PicGoServer", "Upload", "check_host"]
