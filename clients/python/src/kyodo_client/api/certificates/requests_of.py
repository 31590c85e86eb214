from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.damage_request_page import DamageRequestPage
from ...models.problem import Problem
from ...models.request_status import RequestStatus
from ...types import UNSET, Response, Unset


def _get_kwargs(
    code: str,
    disaster_id: UUID,
    *,
    status: None | RequestStatus | Unset = UNSET,
    application_id: None | Unset | UUID = UNSET,
    after: None | Unset | UUID = UNSET,
    limit: int | Unset = 200,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_kyodo_terminal, Unset):
        headers["X-Kyodo-Terminal"] = x_kyodo_terminal

    params: dict[str, Any] = {}

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, RequestStatus):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_application_id: None | str | Unset
    if isinstance(application_id, Unset):
        json_application_id = UNSET
    elif isinstance(application_id, UUID):
        json_application_id = str(application_id)
    else:
        json_application_id = application_id
    params["application_id"] = json_application_id

    json_after: None | str | Unset
    if isinstance(after, Unset):
        json_after = UNSET
    elif isinstance(after, UUID):
        json_after = str(after)
    else:
        json_after = after
    params["after"] = json_after

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/municipalities/{code}/certificates/damage/disasters/{disaster_id}/requests".format(
            code=quote(str(code), safe=""),
            disaster_id=quote(str(disaster_id), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DamageRequestPage | Problem | None:
    if response.status_code == 200:
        response_200 = DamageRequestPage.from_dict(response.json())

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
) -> Response[DamageRequestPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    code: str,
    disaster_id: UUID,
    *,
    client: AuthenticatedClient,
    status: None | RequestStatus | Unset = UNSET,
    application_id: None | Unset | UUID = UNSET,
    after: None | Unset | UUID = UNSET,
    limit: int | Unset = 200,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> Response[DamageRequestPage | Problem]:
    """Requests Of

     The disaster's requests (one application's with `application_id`) and their copies,
    a page of applications at a time.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        disaster_id (UUID):
        status (None | RequestStatus | Unset):
        application_id (None | Unset | UUID):
        after (None | Unset | UUID):
        limit (int | Unset):  Default: 200.
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DamageRequestPage | Problem]
    """

    kwargs = _get_kwargs(
        code=code,
        disaster_id=disaster_id,
        status=status,
        application_id=application_id,
        after=after,
        limit=limit,
        x_kyodo_terminal=x_kyodo_terminal,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    code: str,
    disaster_id: UUID,
    *,
    client: AuthenticatedClient,
    status: None | RequestStatus | Unset = UNSET,
    application_id: None | Unset | UUID = UNSET,
    after: None | Unset | UUID = UNSET,
    limit: int | Unset = 200,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> DamageRequestPage | Problem | None:
    """Requests Of

     The disaster's requests (one application's with `application_id`) and their copies,
    a page of applications at a time.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        disaster_id (UUID):
        status (None | RequestStatus | Unset):
        application_id (None | Unset | UUID):
        after (None | Unset | UUID):
        limit (int | Unset):  Default: 200.
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DamageRequestPage | Problem
    """

    return sync_detailed(
        code=code,
        disaster_id=disaster_id,
        client=client,
        status=status,
        application_id=application_id,
        after=after,
        limit=limit,
        x_kyodo_terminal=x_kyodo_terminal,
    ).parsed


async def asyncio_detailed(
    code: str,
    disaster_id: UUID,
    *,
    client: AuthenticatedClient,
    status: None | RequestStatus | Unset = UNSET,
    application_id: None | Unset | UUID = UNSET,
    after: None | Unset | UUID = UNSET,
    limit: int | Unset = 200,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> Response[DamageRequestPage | Problem]:
    """Requests Of

     The disaster's requests (one application's with `application_id`) and their copies,
    a page of applications at a time.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        disaster_id (UUID):
        status (None | RequestStatus | Unset):
        application_id (None | Unset | UUID):
        after (None | Unset | UUID):
        limit (int | Unset):  Default: 200.
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DamageRequestPage | Problem]
    """

    kwargs = _get_kwargs(
        code=code,
        disaster_id=disaster_id,
        status=status,
        application_id=application_id,
        after=after,
        limit=limit,
        x_kyodo_terminal=x_kyodo_terminal,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    code: str,
    disaster_id: UUID,
    *,
    client: AuthenticatedClient,
    status: None | RequestStatus | Unset = UNSET,
    application_id: None | Unset | UUID = UNSET,
    after: None | Unset | UUID = UNSET,
    limit: int | Unset = 200,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> DamageRequestPage | Problem | None:
    """Requests Of

     The disaster's requests (one application's with `application_id`) and their copies,
    a page of applications at a time.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        disaster_id (UUID):
        status (None | RequestStatus | Unset):
        application_id (None | Unset | UUID):
        after (None | Unset | UUID):
        limit (int | Unset):  Default: 200.
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DamageRequestPage | Problem
    """

    return (
        await asyncio_detailed(
            code=code,
            disaster_id=disaster_id,
            client=client,
            status=status,
            application_id=application_id,
            after=after,
            limit=limit,
            x_kyodo_terminal=x_kyodo_terminal,
        )
    ).parsed
