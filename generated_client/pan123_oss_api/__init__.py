"""A client library for accessing 123pan Open Platform OSS (image hosting) API"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
