from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.access_token_request import AccessTokenRequest
from ...models.access_token_response import AccessTokenResponse
from ...models.error_response import ErrorResponse
from ...models.get_access_token_platform import (
    GetAccessTokenPlatform,
)
from ...types import Response


def _get_kwargs(
    *,
    body: AccessTokenRequest,
    platform: GetAccessTokenPlatform = "open_platform",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Platform"] = str(platform)

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/access_token",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AccessTokenResponse | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = AccessTokenResponse.from_dict(response.json())

        return response_200

    if 400 <= response.status_code <= 499:
        response_4xx = ErrorResponse.from_dict(response.json())

        return response_4xx

    if 500 <= response.status_code <= 599:
        response_5xx = ErrorResponse.from_dict(response.json())

        return response_5xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AccessTokenResponse | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: AccessTokenRequest,
    platform: GetAccessTokenPlatform = "open_platform",
) -> Response[AccessTokenResponse | ErrorResponse]:
    """Get an access token from a client ID and secret

     Exchanges the application's `clientID` and `clientSecret` for an access token that lives 30 days
    and expires at `expiredAt` [doc].

    **At most 3 tokens per clientID are live at once; fetching more can kick others offline** [doc].
    Fetch rarely: cache and share one token (per process, ideally across processes), refresh it a
    few minutes before `expiredAt`, never fetch one per upload and never fetch two at once.
    The call is rate limited to between 1 and 10 QPS depending on the doc revision [doc].

    This call takes no `Authorization` header, but still needs `Platform: open_platform` [doc].

    Errors: `401` bad credentials (not retryable without new credentials); `429` too many
    requests (retry later with backoff); HTTP 5xx and non-JSON bodies are transport trouble
    (retry with bounded backoff).

    Args:
        platform (GetAccessTokenPlatform):  Default: 'open_platform'.
        body (AccessTokenRequest): Application credentials from the 123pan developer console.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccessTokenResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        platform=platform,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: AccessTokenRequest,
    platform: GetAccessTokenPlatform = "open_platform",
) -> AccessTokenResponse | ErrorResponse | None:
    """Get an access token from a client ID and secret

     Exchanges the application's `clientID` and `clientSecret` for an access token that lives 30 days
    and expires at `expiredAt` [doc].

    **At most 3 tokens per clientID are live at once; fetching more can kick others offline** [doc].
    Fetch rarely: cache and share one token (per process, ideally across processes), refresh it a
    few minutes before `expiredAt`, never fetch one per upload and never fetch two at once.
    The call is rate limited to between 1 and 10 QPS depending on the doc revision [doc].

    This call takes no `Authorization` header, but still needs `Platform: open_platform` [doc].

    Errors: `401` bad credentials (not retryable without new credentials); `429` too many
    requests (retry later with backoff); HTTP 5xx and non-JSON bodies are transport trouble
    (retry with bounded backoff).

    Args:
        platform (GetAccessTokenPlatform):  Default: 'open_platform'.
        body (AccessTokenRequest): Application credentials from the 123pan developer console.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccessTokenResponse | ErrorResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        platform=platform,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: AccessTokenRequest,
    platform: GetAccessTokenPlatform = "open_platform",
) -> Response[AccessTokenResponse | ErrorResponse]:
    """Get an access token from a client ID and secret

     Exchanges the application's `clientID` and `clientSecret` for an access token that lives 30 days
    and expires at `expiredAt` [doc].

    **At most 3 tokens per clientID are live at once; fetching more can kick others offline** [doc].
    Fetch rarely: cache and share one token (per process, ideally across processes), refresh it a
    few minutes before `expiredAt`, never fetch one per upload and never fetch two at once.
    The call is rate limited to between 1 and 10 QPS depending on the doc revision [doc].

    This call takes no `Authorization` header, but still needs `Platform: open_platform` [doc].

    Errors: `401` bad credentials (not retryable without new credentials); `429` too many
    requests (retry later with backoff); HTTP 5xx and non-JSON bodies are transport trouble
    (retry with bounded backoff).

    Args:
        platform (GetAccessTokenPlatform):  Default: 'open_platform'.
        body (AccessTokenRequest): Application credentials from the 123pan developer console.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccessTokenResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        platform=platform,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: AccessTokenRequest,
    platform: GetAccessTokenPlatform = "open_platform",
) -> AccessTokenResponse | ErrorResponse | None:
    """Get an access token from a client ID and secret

     Exchanges the application's `clientID` and `clientSecret` for an access token that lives 30 days
    and expires at `expiredAt` [doc].

    **At most 3 tokens per clientID are live at once; fetching more can kick others offline** [doc].
    Fetch rarely: cache and share one token (per process, ideally across processes), refresh it a
    few minutes before `expiredAt`, never fetch one per upload and never fetch two at once.
    The call is rate limited to between 1 and 10 QPS depending on the doc revision [doc].

    This call takes no `Authorization` header, but still needs `Platform: open_platform` [doc].

    Errors: `401` bad credentials (not retryable without new credentials); `429` too many
    requests (retry later with backoff); HTTP 5xx and non-JSON bodies are transport trouble
    (retry with bounded backoff).

    Args:
        platform (GetAccessTokenPlatform):  Default: 'open_platform'.
        body (AccessTokenRequest): Application credentials from the 123pan developer console.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccessTokenResponse | ErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            platform=platform,
        )
    ).parsed
