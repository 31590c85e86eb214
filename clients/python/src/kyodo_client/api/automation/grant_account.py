from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.account_grant import AccountGrant
from ...models.grant_account_response_grant_account import (
    GrantAccountResponseGrantAccount,
)
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    code: str,
    scenario: str,
    *,
    body: AccountGrant,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_kyodo_terminal, Unset):
        headers["X-Kyodo-Terminal"] = x_kyodo_terminal

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/municipalities/{code}/automation/scenarios/{scenario}/account".format(
            code=quote(str(code), safe=""),
            scenario=quote(str(scenario), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> GrantAccountResponseGrantAccount | Problem | None:
    if response.status_code == 200:
        response_200 = GrantAccountResponseGrantAccount.from_dict(response.json())

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
) -> Response[GrantAccountResponseGrantAccount | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    code: str,
    scenario: str,
    *,
    client: AuthenticatedClient,
    body: AccountGrant,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> Response[GrantAccountResponseGrantAccount | Problem]:
    """Grant Account

     The admin gives the scenario its account; its scopes are read from identity.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        scenario (str):
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        body (AccountGrant): An identity API client made for this scenario; its scopes are what
            the scenario may do.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GrantAccountResponseGrantAccount | Problem]
    """

    kwargs = _get_kwargs(
        code=code,
        scenario=scenario,
        body=body,
        x_kyodo_terminal=x_kyodo_terminal,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    code: str,
    scenario: str,
    *,
    client: AuthenticatedClient,
    body: AccountGrant,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> GrantAccountResponseGrantAccount | Problem | None:
    """Grant Account

     The admin gives the scenario its account; its scopes are read from identity.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        scenario (str):
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        body (AccountGrant): An identity API client made for this scenario; its scopes are what
            the scenario may do.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GrantAccountResponseGrantAccount | Problem
    """

    return sync_detailed(
        code=code,
        scenario=scenario,
        client=client,
        body=body,
        x_kyodo_terminal=x_kyodo_terminal,
    ).parsed


async def asyncio_detailed(
    code: str,
    scenario: str,
    *,
    client: AuthenticatedClient,
    body: AccountGrant,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> Response[GrantAccountResponseGrantAccount | Problem]:
    """Grant Account

     The admin gives the scenario its account; its scopes are read from identity.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        scenario (str):
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        body (AccountGrant): An identity API client made for this scenario; its scopes are what
            the scenario may do.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GrantAccountResponseGrantAccount | Problem]
    """

    kwargs = _get_kwargs(
        code=code,
        scenario=scenario,
        body=body,
        x_kyodo_terminal=x_kyodo_terminal,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    code: str,
    scenario: str,
    *,
    client: AuthenticatedClient,
    body: AccountGrant,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> GrantAccountResponseGrantAccount | Problem | None:
    """Grant Account

     The admin gives the scenario its account; its scopes are read from identity.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        scenario (str):
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        body (AccountGrant): An identity API client made for this scenario; its scopes are what
            the scenario may do.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GrantAccountResponseGrantAccount | Problem
    """

    return (
        await asyncio_detailed(
            code=code,
            scenario=scenario,
            client=client,
            body=body,
            x_kyodo_terminal=x_kyodo_terminal,
        )
    ).parsed
