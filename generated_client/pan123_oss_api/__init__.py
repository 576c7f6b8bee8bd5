"""A client library for accessing 123pan Open Platform OSS upload API"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
