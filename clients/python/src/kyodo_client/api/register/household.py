import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.household_public import HouseholdPublic
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    code: str,
    household_id: UUID,
    *,
    as_of: datetime.date | None | Unset = UNSET,
    x_kyodo_terminal: None | str | Unset = UNSET,
    x_kyodo_purpose: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_kyodo_terminal, Unset):
        headers["X-Kyodo-Terminal"] = x_kyodo_terminal

    headers["X-Kyodo-Purpose"] = x_kyodo_purpose

    params: dict[str, Any] = {}

    json_as_of: None | str | Unset
    if isinstance(as_of, Unset):
        json_as_of = UNSET
    elif isinstance(as_of, datetime.date):
        json_as_of = as_of.isoformat()
    else:
        json_as_of = as_of
    params["as_of"] = json_as_of

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/municipalities/{code}/residents/households/{household_id}".format(
            code=quote(str(code), safe=""),
            household_id=quote(str(household_id), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> HouseholdPublic | Problem | None:
    if response.status_code == 200:
        response_200 = HouseholdPublic.from_dict(response.json())

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
) -> Response[HouseholdPublic | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    code: str,
    household_id: UUID,
    *,
    client: AuthenticatedClient,
    as_of: datetime.date | None | Unset = UNSET,
    x_kyodo_terminal: None | str | Unset = UNSET,
    x_kyodo_purpose: str,
) -> Response[HouseholdPublic | Problem]:
    """Household

     世帯: the household and its members in certificate order, now or as of a date.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        household_id (UUID):
        as_of (datetime.date | None | Unset): the register as it stood at the end of that day
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        x_kyodo_purpose (str): why personal data is read: a purpose code, e.g. residence-
            certificate (GET /v1/municipalities/{code}/identity/purposes lists them)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HouseholdPublic | Problem]
    """

    kwargs = _get_kwargs(
        code=code,
        household_id=household_id,
        as_of=as_of,
        x_kyodo_terminal=x_kyodo_terminal,
        x_kyodo_purpose=x_kyodo_purpose,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    code: str,
    household_id: UUID,
    *,
    client: AuthenticatedClient,
    as_of: datetime.date | None | Unset = UNSET,
    x_kyodo_terminal: None | str | Unset = UNSET,
    x_kyodo_purpose: str,
) -> HouseholdPublic | Problem | None:
    """Household

     世帯: the household and its members in certificate order, now or as of a date.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        household_id (UUID):
        as_of (datetime.date | None | Unset): the register as it stood at the end of that day
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        x_kyodo_purpose (str): why personal data is read: a purpose code, e.g. residence-
            certificate (GET /v1/municipalities/{code}/identity/purposes lists them)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HouseholdPublic | Problem
    """

    return sync_detailed(
        code=code,
        household_id=household_id,
        client=client,
        as_of=as_of,
        x_kyodo_terminal=x_kyodo_terminal,
        x_kyodo_purpose=x_kyodo_purpose,
    ).parsed


async def asyncio_detailed(
    code: str,
    household_id: UUID,
    *,
    client: AuthenticatedClient,
    as_of: datetime.date | None | Unset = UNSET,
    x_kyodo_terminal: None | str | Unset = UNSET,
    x_kyodo_purpose: str,
) -> Response[HouseholdPublic | Problem]:
    """Household

     世帯: the household and its members in certificate order, now or as of a date.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        household_id (UUID):
        as_of (datetime.date | None | Unset): the register as it stood at the end of that day
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        x_kyodo_purpose (str): why personal data is read: a purpose code, e.g. residence-
            certificate (GET /v1/municipalities/{code}/identity/purposes lists them)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HouseholdPublic | Problem]
    """

    kwargs = _get_kwargs(
        code=code,
        household_id=household_id,
        as_of=as_of,
        x_kyodo_terminal=x_kyodo_terminal,
        x_kyodo_purpose=x_kyodo_purpose,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    code: str,
    household_id: UUID,
    *,
    client: AuthenticatedClient,
    as_of: datetime.date | None | Unset = UNSET,
    x_kyodo_terminal: None | str | Unset = UNSET,
    x_kyodo_purpose: str,
) -> HouseholdPublic | Problem | None:
    """Household

     世帯: the household and its members in certificate order, now or as of a date.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        household_id (UUID):
        as_of (datetime.date | None | Unset): the register as it stood at the end of that day
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        x_kyodo_purpose (str): why personal data is read: a purpose code, e.g. residence-
            certificate (GET /v1/municipalities/{code}/identity/purposes lists them)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HouseholdPublic | Problem
    """

    return (
        await asyncio_detailed(
            code=code,
            household_id=household_id,
            client=client,
            as_of=as_of,
            x_kyodo_terminal=x_kyodo_terminal,
            x_kyodo_purpose=x_kyodo_purpose,
        )
    ).parsed
