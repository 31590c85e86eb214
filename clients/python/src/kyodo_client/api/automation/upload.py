from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    code: str,
    scenario: str,
    *,
    body: File,
    dry_run: bool | Unset = False,
    version: int | None | Unset = UNSET,
    idempotency_key: str,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Idempotency-Key"] = idempotency_key

    if not isinstance(x_kyodo_terminal, Unset):
        headers["X-Kyodo-Terminal"] = x_kyodo_terminal

    params: dict[str, Any] = {}

    params["dry_run"] = dry_run

    json_version: int | None | Unset
    if isinstance(version, Unset):
        json_version = UNSET
    else:
        json_version = version
    params["version"] = json_version

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/municipalities/{code}/automation/scenarios/{scenario}/files".format(
            code=quote(str(code), safe=""),
            scenario=quote(str(scenario), safe=""),
        ),
        "params": params,
    }

    _kwargs["content"] = body.payload
    headers["Content-Type"] = "text/csv"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | Problem | None:
    if response.status_code == 202:
        response_202 = response.json()
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
) -> Response[Any | Problem]:
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
    body: File,
    dry_run: bool | Unset = False,
    version: int | None | Unset = UNSET,
    idempotency_key: str,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> Response[Any | Problem]:
    """Upload

     A file for a scenario triggered by files: its rows become the rows input; the other
    inputs come from the query string (?fiscal_year=2025).

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        scenario (str):
        dry_run (bool | Unset): show the calls, make none Default: False.
        version (int | None | Unset):
        idempotency_key (str): one key per intended change (e.g. a UUID made when the form opens):
            a repeat with the same key and body gets the first answer and changes nothing
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        code=code,
        scenario=scenario,
        body=body,
        dry_run=dry_run,
        version=version,
        idempotency_key=idempotency_key,
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
    body: File,
    dry_run: bool | Unset = False,
    version: int | None | Unset = UNSET,
    idempotency_key: str,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> Any | Problem | None:
    """Upload

     A file for a scenario triggered by files: its rows become the rows input; the other
    inputs come from the query string (?fiscal_year=2025).

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        scenario (str):
        dry_run (bool | Unset): show the calls, make none Default: False.
        version (int | None | Unset):
        idempotency_key (str): one key per intended change (e.g. a UUID made when the form opens):
            a repeat with the same key and body gets the first answer and changes nothing
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return sync_detailed(
        code=code,
        scenario=scenario,
        client=client,
        body=body,
        dry_run=dry_run,
        version=version,
        idempotency_key=idempotency_key,
        x_kyodo_terminal=x_kyodo_terminal,
    ).parsed


async def asyncio_detailed(
    code: str,
    scenario: str,
    *,
    client: AuthenticatedClient,
    body: File,
    dry_run: bool | Unset = False,
    version: int | None | Unset = UNSET,
    idempotency_key: str,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> Response[Any | Problem]:
    """Upload

     A file for a scenario triggered by files: its rows become the rows input; the other
    inputs come from the query string (?fiscal_year=2025).

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        scenario (str):
        dry_run (bool | Unset): show the calls, make none Default: False.
        version (int | None | Unset):
        idempotency_key (str): one key per intended change (e.g. a UUID made when the form opens):
            a repeat with the same key and body gets the first answer and changes nothing
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        code=code,
        scenario=scenario,
        body=body,
        dry_run=dry_run,
        version=version,
        idempotency_key=idempotency_key,
        x_kyodo_terminal=x_kyodo_terminal,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    code: str,
    scenario: str,
    *,
    client: AuthenticatedClient,
    body: File,
    dry_run: bool | Unset = False,
    version: int | None | Unset = UNSET,
    idempotency_key: str,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> Any | Problem | None:
    """Upload

     A file for a scenario triggered by files: its rows become the rows input; the other
    inputs come from the query string (?fiscal_year=2025).

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        scenario (str):
        dry_run (bool | Unset): show the calls, make none Default: False.
        version (int | None | Unset):
        idempotency_key (str): one key per intended change (e.g. a UUID made when the form opens):
            a repeat with the same key and body gets the first answer and changes nothing
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return (
        await asyncio_detailed(
            code=code,
            scenario=scenario,
            client=client,
            body=body,
            dry_run=dry_run,
            version=version,
            idempotency_key=idempotency_key,
            x_kyodo_terminal=x_kyodo_terminal,
        )
    ).parsed
