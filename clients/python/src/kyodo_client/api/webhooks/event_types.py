from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.page_event_type_public import PageEventTypePublic
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    code: str,
    *,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_kyodo_terminal, Unset):
        headers["X-Kyodo-Terminal"] = x_kyodo_terminal

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/municipalities/{code}/webhooks/event-types".format(
            code=quote(str(code), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PageEventTypePublic | Problem | None:
    if response.status_code == 200:
        response_200 = PageEventTypePublic.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[PageEventTypePublic | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    code: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> Response[PageEventTypePublic | Problem]:
    """Event Types

     What may be subscribed to, and the read scope each needs (a short list, by name).

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        limit (int | Unset): items per page (1–500, default 50) Default: 50.
        cursor (None | str | Unset): the `next` of the previous page; omit for the first page
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageEventTypePublic | Problem]
    """

    kwargs = _get_kwargs(
        code=code,
        limit=limit,
        cursor=cursor,
        x_kyodo_terminal=x_kyodo_terminal,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    code: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> PageEventTypePublic | Problem | None:
    """Event Types

     What may be subscribed to, and the read scope each needs (a short list, by name).

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        limit (int | Unset): items per page (1–500, default 50) Default: 50.
        cursor (None | str | Unset): the `next` of the previous page; omit for the first page
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageEventTypePublic | Problem
    """

    return sync_detailed(
        code=code,
        client=client,
        limit=limit,
        cursor=cursor,
        x_kyodo_terminal=x_kyodo_terminal,
    ).parsed


async def asyncio_detailed(
    code: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> Response[PageEventTypePublic | Problem]:
    """Event Types

     What may be subscribed to, and the read scope each needs (a short list, by name).

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        limit (int | Unset): items per page (1–500, default 50) Default: 50.
        cursor (None | str | Unset): the `next` of the previous page; omit for the first page
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageEventTypePublic | Problem]
    """

    kwargs = _get_kwargs(
        code=code,
        limit=limit,
        cursor=cursor,
        x_kyodo_terminal=x_kyodo_terminal,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    code: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> PageEventTypePublic | Problem | None:
    """Event Types

     What may be subscribed to, and the read scope each needs (a short list, by name).

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        limit (int | Unset): items per page (1–500, default 50) Default: 50.
        cursor (None | str | Unset): the `next` of the previous page; omit for the first page
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageEventTypePublic | Problem
    """

    return (
        await asyncio_detailed(
            code=code,
            client=client,
            limit=limit,
            cursor=cursor,
            x_kyodo_terminal=x_kyodo_terminal,
        )
    ).parsed
