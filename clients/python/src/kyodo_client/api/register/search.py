from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.page_search_hit import PageSearchHit
from ...models.problem import Problem
from ...models.search_query import SearchQuery
from ...types import UNSET, Response, Unset


def _get_kwargs(
    code: str,
    *,
    body: SearchQuery,
    x_kyodo_terminal: None | str | Unset = UNSET,
    x_kyodo_purpose: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_kyodo_terminal, Unset):
        headers["X-Kyodo-Terminal"] = x_kyodo_terminal

    headers["X-Kyodo-Purpose"] = x_kyodo_purpose

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/municipalities/{code}/residents/search".format(
            code=quote(str(code), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PageSearchHit | Problem | None:
    if response.status_code == 200:
        response_200 = PageSearchHit.from_dict(response.json())

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

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

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
) -> Response[PageSearchHit | Problem]:
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
    body: SearchQuery,
    x_kyodo_terminal: None | str | Unset = UNSET,
    x_kyodo_purpose: str,
) -> Response[PageSearchHit | Problem]:
    """Search

     Search by フリガナ prefix, 氏名 prefix (kanji as registered), birth date, address or
    宛名番号 (all given must match); keyset pages in フリガナ order.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        x_kyodo_purpose (str): why personal data is read: a purpose code, e.g. residence-
            certificate (GET /v1/municipalities/{code}/identity/purposes lists them)
        body (SearchQuery): Searches by POST, so names and numbers stay out of URLs and logs.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageSearchHit | Problem]
    """

    kwargs = _get_kwargs(
        code=code,
        body=body,
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
    body: SearchQuery,
    x_kyodo_terminal: None | str | Unset = UNSET,
    x_kyodo_purpose: str,
) -> PageSearchHit | Problem | None:
    """Search

     Search by フリガナ prefix, 氏名 prefix (kanji as registered), birth date, address or
    宛名番号 (all given must match); keyset pages in フリガナ order.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        x_kyodo_purpose (str): why personal data is read: a purpose code, e.g. residence-
            certificate (GET /v1/municipalities/{code}/identity/purposes lists them)
        body (SearchQuery): Searches by POST, so names and numbers stay out of URLs and logs.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageSearchHit | Problem
    """

    return sync_detailed(
        code=code,
        client=client,
        body=body,
        x_kyodo_terminal=x_kyodo_terminal,
        x_kyodo_purpose=x_kyodo_purpose,
    ).parsed


async def asyncio_detailed(
    code: str,
    *,
    client: AuthenticatedClient,
    body: SearchQuery,
    x_kyodo_terminal: None | str | Unset = UNSET,
    x_kyodo_purpose: str,
) -> Response[PageSearchHit | Problem]:
    """Search

     Search by フリガナ prefix, 氏名 prefix (kanji as registered), birth date, address or
    宛名番号 (all given must match); keyset pages in フリガナ order.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        x_kyodo_purpose (str): why personal data is read: a purpose code, e.g. residence-
            certificate (GET /v1/municipalities/{code}/identity/purposes lists them)
        body (SearchQuery): Searches by POST, so names and numbers stay out of URLs and logs.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageSearchHit | Problem]
    """

    kwargs = _get_kwargs(
        code=code,
        body=body,
        x_kyodo_terminal=x_kyodo_terminal,
        x_kyodo_purpose=x_kyodo_purpose,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    code: str,
    *,
    client: AuthenticatedClient,
    body: SearchQuery,
    x_kyodo_terminal: None | str | Unset = UNSET,
    x_kyodo_purpose: str,
) -> PageSearchHit | Problem | None:
    """Search

     Search by フリガナ prefix, 氏名 prefix (kanji as registered), birth date, address or
    宛名番号 (all given must match); keyset pages in フリガナ order.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        x_kyodo_purpose (str): why personal data is read: a purpose code, e.g. residence-
            certificate (GET /v1/municipalities/{code}/identity/purposes lists them)
        body (SearchQuery): Searches by POST, so names and numbers stay out of URLs and logs.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageSearchHit | Problem
    """

    return (
        await asyncio_detailed(
            code=code,
            client=client,
            body=body,
            x_kyodo_terminal=x_kyodo_terminal,
            x_kyodo_purpose=x_kyodo_purpose,
        )
    ).parsed
