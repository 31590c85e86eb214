from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.subscription_public import SubscriptionPublic
from ...types import UNSET, Response, Unset


def _get_kwargs(
    code: str,
    subscription_id: UUID,
    *,
    x_kyodo_terminal: None | str | Unset = UNSET,
    if_match: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_kyodo_terminal, Unset):
        headers["X-Kyodo-Terminal"] = x_kyodo_terminal

    headers["If-Match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/v1/municipalities/{code}/webhooks/subscriptions/{subscription_id}".format(
            code=quote(str(code), safe=""),
            subscription_id=quote(str(subscription_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SubscriptionPublic | None:
    if response.status_code == 200:
        response_200 = SubscriptionPublic.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())

        return response_412

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 428:
        response_428 = Problem.from_dict(response.json())

        return response_428

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | SubscriptionPublic]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    code: str,
    subscription_id: UUID,
    *,
    client: AuthenticatedClient,
    x_kyodo_terminal: None | str | Unset = UNSET,
    if_match: str,
) -> Response[Problem | SubscriptionPublic]:
    """End Subscription

     Ends it (its client, or the town's admin): nothing more is sent.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        subscription_id (UUID):
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        if_match (str): the ETag of the record as the clerk read it

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SubscriptionPublic]
    """

    kwargs = _get_kwargs(
        code=code,
        subscription_id=subscription_id,
        x_kyodo_terminal=x_kyodo_terminal,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    code: str,
    subscription_id: UUID,
    *,
    client: AuthenticatedClient,
    x_kyodo_terminal: None | str | Unset = UNSET,
    if_match: str,
) -> Problem | SubscriptionPublic | None:
    """End Subscription

     Ends it (its client, or the town's admin): nothing more is sent.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        subscription_id (UUID):
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        if_match (str): the ETag of the record as the clerk read it

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SubscriptionPublic
    """

    return sync_detailed(
        code=code,
        subscription_id=subscription_id,
        client=client,
        x_kyodo_terminal=x_kyodo_terminal,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    code: str,
    subscription_id: UUID,
    *,
    client: AuthenticatedClient,
    x_kyodo_terminal: None | str | Unset = UNSET,
    if_match: str,
) -> Response[Problem | SubscriptionPublic]:
    """End Subscription

     Ends it (its client, or the town's admin): nothing more is sent.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        subscription_id (UUID):
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        if_match (str): the ETag of the record as the clerk read it

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SubscriptionPublic]
    """

    kwargs = _get_kwargs(
        code=code,
        subscription_id=subscription_id,
        x_kyodo_terminal=x_kyodo_terminal,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    code: str,
    subscription_id: UUID,
    *,
    client: AuthenticatedClient,
    x_kyodo_terminal: None | str | Unset = UNSET,
    if_match: str,
) -> Problem | SubscriptionPublic | None:
    """End Subscription

     Ends it (its client, or the town's admin): nothing more is sent.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        subscription_id (UUID):
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        if_match (str): the ETag of the record as the clerk read it

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SubscriptionPublic
    """

    return (
        await asyncio_detailed(
            code=code,
            subscription_id=subscription_id,
            client=client,
            x_kyodo_terminal=x_kyodo_terminal,
            if_match=if_match,
        )
    ).parsed
