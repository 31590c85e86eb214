from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.household_move_out_create import HouseholdMoveOutCreate
from ...models.problem import Problem
from ...models.procedure_result import ProcedureResult
from ...types import UNSET, Response, Unset


def _get_kwargs(
    code: str,
    household_id: UUID,
    *,
    body: HouseholdMoveOutCreate,
    idempotency_key: str,
    x_kyodo_terminal: None | str | Unset = UNSET,
    if_match: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Idempotency-Key"] = idempotency_key

    if not isinstance(x_kyodo_terminal, Unset):
        headers["X-Kyodo-Terminal"] = x_kyodo_terminal

    headers["If-Match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/municipalities/{code}/residents/households/{household_id}/move-out".format(
            code=quote(str(code), safe=""),
            household_id=quote(str(household_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | ProcedureResult | None:
    if response.status_code == 200:
        response_200 = ProcedureResult.from_dict(response.json())

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

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())

        return response_412

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

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
) -> Response[Problem | ProcedureResult]:
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
    body: HouseholdMoveOutCreate,
    idempotency_key: str,
    x_kyodo_terminal: None | str | Unset = UNSET,
    if_match: str,
) -> Response[Problem | ProcedureResult]:
    """Move Out Household

     世帯全員の転出 (or of the members named): all or none, one event and, to a platform
    municipality, one transfer notice per person.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        household_id (UUID):
        idempotency_key (str): one key per intended change (e.g. a UUID made when the form opens):
            a repeat with the same key and body gets the first answer and changes nothing
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        if_match (str): the ETag of the record as the clerk read it
        body (HouseholdMoveOutCreate): 世帯全員の転出, or of the members named (the others stay, with a
            new head if needed).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProcedureResult]
    """

    kwargs = _get_kwargs(
        code=code,
        household_id=household_id,
        body=body,
        idempotency_key=idempotency_key,
        x_kyodo_terminal=x_kyodo_terminal,
        if_match=if_match,
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
    body: HouseholdMoveOutCreate,
    idempotency_key: str,
    x_kyodo_terminal: None | str | Unset = UNSET,
    if_match: str,
) -> Problem | ProcedureResult | None:
    """Move Out Household

     世帯全員の転出 (or of the members named): all or none, one event and, to a platform
    municipality, one transfer notice per person.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        household_id (UUID):
        idempotency_key (str): one key per intended change (e.g. a UUID made when the form opens):
            a repeat with the same key and body gets the first answer and changes nothing
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        if_match (str): the ETag of the record as the clerk read it
        body (HouseholdMoveOutCreate): 世帯全員の転出, or of the members named (the others stay, with a
            new head if needed).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ProcedureResult
    """

    return sync_detailed(
        code=code,
        household_id=household_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
        x_kyodo_terminal=x_kyodo_terminal,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    code: str,
    household_id: UUID,
    *,
    client: AuthenticatedClient,
    body: HouseholdMoveOutCreate,
    idempotency_key: str,
    x_kyodo_terminal: None | str | Unset = UNSET,
    if_match: str,
) -> Response[Problem | ProcedureResult]:
    """Move Out Household

     世帯全員の転出 (or of the members named): all or none, one event and, to a platform
    municipality, one transfer notice per person.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        household_id (UUID):
        idempotency_key (str): one key per intended change (e.g. a UUID made when the form opens):
            a repeat with the same key and body gets the first answer and changes nothing
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        if_match (str): the ETag of the record as the clerk read it
        body (HouseholdMoveOutCreate): 世帯全員の転出, or of the members named (the others stay, with a
            new head if needed).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProcedureResult]
    """

    kwargs = _get_kwargs(
        code=code,
        household_id=household_id,
        body=body,
        idempotency_key=idempotency_key,
        x_kyodo_terminal=x_kyodo_terminal,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    code: str,
    household_id: UUID,
    *,
    client: AuthenticatedClient,
    body: HouseholdMoveOutCreate,
    idempotency_key: str,
    x_kyodo_terminal: None | str | Unset = UNSET,
    if_match: str,
) -> Problem | ProcedureResult | None:
    """Move Out Household

     世帯全員の転出 (or of the members named): all or none, one event and, to a platform
    municipality, one transfer notice per person.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        household_id (UUID):
        idempotency_key (str): one key per intended change (e.g. a UUID made when the form opens):
            a repeat with the same key and body gets the first answer and changes nothing
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        if_match (str): the ETag of the record as the clerk read it
        body (HouseholdMoveOutCreate): 世帯全員の転出, or of the members named (the others stay, with a
            new head if needed).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ProcedureResult
    """

    return (
        await asyncio_detailed(
            code=code,
            household_id=household_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
            x_kyodo_terminal=x_kyodo_terminal,
            if_match=if_match,
        )
    ).parsed
