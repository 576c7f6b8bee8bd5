"""pan123_oss: a client for the 123pan Open Platform image-hosting (OSS) upload API."""

__version__ = "0.1.0"

__all__ = ["__version__"]
