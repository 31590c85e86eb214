from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.items_state import ItemsState
from ...models.pagedictstr_any import PagedictstrAny
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    code: str,
    *,
    state: ItemsState | Unset = ItemsState.OPEN,
    run_id: None | Unset | UUID = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    x_kyodo_terminal: None | str | Unset = UNSET,
    x_kyodo_purpose: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_kyodo_terminal, Unset):
        headers["X-Kyodo-Terminal"] = x_kyodo_terminal

    headers["X-Kyodo-Purpose"] = x_kyodo_purpose

    params: dict[str, Any] = {}

    json_state: str | Unset = UNSET
    if not isinstance(state, Unset):
        json_state = state.value

    params["state"] = json_state

    json_run_id: None | str | Unset
    if isinstance(run_id, Unset):
        json_run_id = UNSET
    elif isinstance(run_id, UUID):
        json_run_id = str(run_id)
    else:
        json_run_id = run_id
    params["run_id"] = json_run_id

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
        "url": "/v1/municipalities/{code}/automation/human-queue".format(
            code=quote(str(code), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PagedictstrAny | Problem | None:
    if response.status_code == 200:
        response_200 = PagedictstrAny.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

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
) -> Response[PagedictstrAny | Problem]:
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
    state: ItemsState | Unset = ItemsState.OPEN,
    run_id: None | Unset | UUID = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    x_kyodo_terminal: None | str | Unset = UNSET,
    x_kyodo_purpose: str,
) -> Response[PagedictstrAny | Problem]:
    """Items

     The items with their data (a row of a file holds personal data: the read is logged).

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        state (ItemsState | Unset):  Default: ItemsState.OPEN.
        run_id (None | Unset | UUID):
        limit (int | Unset): items per page (1–500, default 50) Default: 50.
        cursor (None | str | Unset): the `next` of the previous page; omit for the first page
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        x_kyodo_purpose (str): why personal data is read: a purpose code, e.g. residence-
            certificate (GET /v1/municipalities/{code}/identity/purposes lists them)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PagedictstrAny | Problem]
    """

    kwargs = _get_kwargs(
        code=code,
        state=state,
        run_id=run_id,
        limit=limit,
        cursor=cursor,
        x_kyodo_terminal=x_kyodo_terminal,
        x_kyodo_purpose=x_kyodo_purpose,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    code: str,
    *,
    client: AuthenticatedClient,
    state: ItemsState | Unset = ItemsState.OPEN,
    run_id: None | Unset | UUID = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    x_kyodo_terminal: None | str | Unset = UNSET,
    x_kyodo_purpose: str,
) -> PagedictstrAny | Problem | None:
    """Items

     The items with their data (a row of a file holds personal data: the read is logged).

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        state (ItemsState | Unset):  Default: ItemsState.OPEN.
        run_id (None | Unset | UUID):
        limit (int | Unset): items per page (1–500, default 50) Default: 50.
        cursor (None | str | Unset): the `next` of the previous page; omit for the first page
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        x_kyodo_purpose (str): why personal data is read: a purpose code, e.g. residence-
            certificate (GET /v1/municipalities/{code}/identity/purposes lists them)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PagedictstrAny | Problem
    """

    return sync_detailed(
        code=code,
        client=client,
        state=state,
        run_id=run_id,
        limit=limit,
        cursor=cursor,
        x_kyodo_terminal=x_kyodo_terminal,
        x_kyodo_purpose=x_kyodo_purpose,
    ).parsed


async def asyncio_detailed(
    code: str,
    *,
    client: AuthenticatedClient,
    state: ItemsState | Unset = ItemsState.OPEN,
    run_id: None | Unset | UUID = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    x_kyodo_terminal: None | str | Unset = UNSET,
    x_kyodo_purpose: str,
) -> Response[PagedictstrAny | Problem]:
    """Items

     The items with their data (a row of a file holds personal data: the read is logged).

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        state (ItemsState | Unset):  Default: ItemsState.OPEN.
        run_id (None | Unset | UUID):
        limit (int | Unset): items per page (1–500, default 50) Default: 50.
        cursor (None | str | Unset): the `next` of the previous page; omit for the first page
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        x_kyodo_purpose (str): why personal data is read: a purpose code, e.g. residence-
            certificate (GET /v1/municipalities/{code}/identity/purposes lists them)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PagedictstrAny | Problem]
    """

    kwargs = _get_kwargs(
        code=code,
        state=state,
        run_id=run_id,
        limit=limit,
        cursor=cursor,
        x_kyodo_terminal=x_kyodo_terminal,
        x_kyodo_purpose=x_kyodo_purpose,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    code: str,
    *,
    client: AuthenticatedClient,
    state: ItemsState | Unset = ItemsState.OPEN,
    run_id: None | Unset | UUID = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    x_kyodo_terminal: None | str | Unset = UNSET,
    x_kyodo_purpose: str,
) -> PagedictstrAny | Problem | None:
    """Items

     The items with their data (a row of a file holds personal data: the read is logged).

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        state (ItemsState | Unset):  Default: ItemsState.OPEN.
        run_id (None | Unset | UUID):
        limit (int | Unset): items per page (1–500, default 50) Default: 50.
        cursor (None | str | Unset): the `next` of the previous page; omit for the first page
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        x_kyodo_purpose (str): why personal data is read: a purpose code, e.g. residence-
            certificate (GET /v1/municipalities/{code}/identity/purposes lists them)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PagedictstrAny | Problem
    """

    return (
        await asyncio_detailed(
            code=code,
            client=client,
            state=state,
            run_id=run_id,
            limit=limit,
            cursor=cursor,
            x_kyodo_terminal=x_kyodo_terminal,
            x_kyodo_purpose=x_kyodo_purpose,
        )
    ).parsed
