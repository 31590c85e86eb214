from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.queued import Queued
from ...types import UNSET, Response, Unset


def _get_kwargs(
    code: str,
    subscription_id: UUID,
    delivery_id: UUID,
    *,
    idempotency_key: str,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Idempotency-Key"] = idempotency_key

    if not isinstance(x_kyodo_terminal, Unset):
        headers["X-Kyodo-Terminal"] = x_kyodo_terminal

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/municipalities/{code}/webhooks/subscriptions/{subscription_id}/deliveries/{delivery_id}/redeliver".format(
            code=quote(str(code), safe=""),
            subscription_id=quote(str(subscription_id), safe=""),
            delivery_id=quote(str(delivery_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | Queued | None:
    if response.status_code == 202:
        response_202 = Queued.from_dict(response.json())

        return response_202

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
) -> Response[Problem | Queued]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    code: str,
    subscription_id: UUID,
    delivery_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: str,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> Response[Problem | Queued]:
    """Redeliver

     Queues a delivered or dead-lettered message again, with the same webhook-id.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        subscription_id (UUID):
        delivery_id (UUID):
        idempotency_key (str): one key per intended change (e.g. a UUID made when the form opens):
            a repeat with the same key and body gets the first answer and changes nothing
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Queued]
    """

    kwargs = _get_kwargs(
        code=code,
        subscription_id=subscription_id,
        delivery_id=delivery_id,
        idempotency_key=idempotency_key,
        x_kyodo_terminal=x_kyodo_terminal,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    code: str,
    subscription_id: UUID,
    delivery_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: str,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> Problem | Queued | None:
    """Redeliver

     Queues a delivered or dead-lettered message again, with the same webhook-id.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        subscription_id (UUID):
        delivery_id (UUID):
        idempotency_key (str): one key per intended change (e.g. a UUID made when the form opens):
            a repeat with the same key and body gets the first answer and changes nothing
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Queued
    """

    return sync_detailed(
        code=code,
        subscription_id=subscription_id,
        delivery_id=delivery_id,
        client=client,
        idempotency_key=idempotency_key,
        x_kyodo_terminal=x_kyodo_terminal,
    ).parsed


async def asyncio_detailed(
    code: str,
    subscription_id: UUID,
    delivery_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: str,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> Response[Problem | Queued]:
    """Redeliver

     Queues a delivered or dead-lettered message again, with the same webhook-id.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        subscription_id (UUID):
        delivery_id (UUID):
        idempotency_key (str): one key per intended change (e.g. a UUID made when the form opens):
            a repeat with the same key and body gets the first answer and changes nothing
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Queued]
    """

    kwargs = _get_kwargs(
        code=code,
        subscription_id=subscription_id,
        delivery_id=delivery_id,
        idempotency_key=idempotency_key,
        x_kyodo_terminal=x_kyodo_terminal,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    code: str,
    subscription_id: UUID,
    delivery_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: str,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> Problem | Queued | None:
    """Redeliver

     Queues a delivered or dead-lettered message again, with the same webhook-id.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        subscription_id (UUID):
        delivery_id (UUID):
        idempotency_key (str): one key per intended change (e.g. a UUID made when the form opens):
            a repeat with the same key and body gets the first answer and changes nothing
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Queued
    """

    return (
        await asyncio_detailed(
            code=code,
            subscription_id=subscription_id,
            delivery_id=delivery_id,
            client=client,
            idempotency_key=idempotency_key,
            x_kyodo_terminal=x_kyodo_terminal,
        )
    ).parsed
