from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.municipality_create import MunicipalityCreate
from ...models.municipality_public import MunicipalityPublic
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: MunicipalityCreate,
    idempotency_key: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/platform/municipalities",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> MunicipalityPublic | Problem | None:
    if response.status_code == 201:
        response_201 = MunicipalityPublic.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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
) -> Response[MunicipalityPublic | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: MunicipalityCreate,
    idempotency_key: str,
) -> Response[MunicipalityPublic | Problem]:
    """Add Municipality

     A municipality joins the platform, optionally with its first tenant admin.

    Args:
        idempotency_key (str): one key per intended change (e.g. a UUID made when the form opens):
            a repeat with the same key and body gets the first answer and changes nothing
        body (MunicipalityCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MunicipalityPublic | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: MunicipalityCreate,
    idempotency_key: str,
) -> MunicipalityPublic | Problem | None:
    """Add Municipality

     A municipality joins the platform, optionally with its first tenant admin.

    Args:
        idempotency_key (str): one key per intended change (e.g. a UUID made when the form opens):
            a repeat with the same key and body gets the first answer and changes nothing
        body (MunicipalityCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MunicipalityPublic | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: MunicipalityCreate,
    idempotency_key: str,
) -> Response[MunicipalityPublic | Problem]:
    """Add Municipality

     A municipality joins the platform, optionally with its first tenant admin.

    Args:
        idempotency_key (str): one key per intended change (e.g. a UUID made when the form opens):
            a repeat with the same key and body gets the first answer and changes nothing
        body (MunicipalityCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MunicipalityPublic | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: MunicipalityCreate,
    idempotency_key: str,
) -> MunicipalityPublic | Problem | None:
    """Add Municipality

     A municipality joins the platform, optionally with its first tenant admin.

    Args:
        idempotency_key (str): one key per intended change (e.g. a UUID made when the form opens):
            a repeat with the same key and body gets the first answer and changes nothing
        body (MunicipalityCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MunicipalityPublic | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
