from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.import_report_public import ImportReportPublic
from ...models.problem import Problem
from ...models.survey_import_public import SurveyImportPublic
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    code: str,
    disaster_id: UUID,
    *,
    body: File,
    dry_run: bool | Unset = False,
    content_type: None | str | Unset = UNSET,
    idempotency_key: str,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(content_type, Unset):
        headers["content-type"] = content_type

    headers["Idempotency-Key"] = idempotency_key

    if not isinstance(x_kyodo_terminal, Unset):
        headers["X-Kyodo-Terminal"] = x_kyodo_terminal

    params: dict[str, Any] = {}

    params["dry_run"] = dry_run

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/municipalities/{code}/disaster/disasters/{disaster_id}/surveys/import".format(
            code=quote(str(code), safe=""),
            disaster_id=quote(str(disaster_id), safe=""),
        ),
        "params": params,
    }

    _kwargs["content"] = body.payload
    headers["Content-Type"] = "text/csv"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ImportReportPublic | Problem | SurveyImportPublic | None:
    if response.status_code == 200:
        response_200 = ImportReportPublic.from_dict(response.json())

        return response_200

    if response.status_code == 202:
        response_202 = SurveyImportPublic.from_dict(response.json())

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
) -> Response[ImportReportPublic | Problem | SurveyImportPublic]:
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
    body: File,
    dry_run: bool | Unset = False,
    content_type: None | str | Unset = UNSET,
    idempotency_key: str,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> Response[ImportReportPublic | Problem | SurveyImportPublic]:
    """Import Field Surveys

     Rows that pass are recorded, the others reported with their line number; importing
    the same file again changes nothing (each row's ``survey_ref`` names its survey).
    ``dry_run=true`` checks the file and writes nothing. A larger file becomes a job: checked
    row by row first (a file no row of which passes is refused, 422, each bad row named by
    line and field), then queued (202) and imported by the worker chunk by chunk, each chunk
    all or nothing; its Location shows the rows done of the total and the rows refused.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        disaster_id (UUID):
        dry_run (bool | Unset):  Default: False.
        content_type (None | str | Unset):
        idempotency_key (str): one key per intended change (e.g. a UUID made when the form opens):
            a repeat with the same key and body gets the first answer and changes nothing
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImportReportPublic | Problem | SurveyImportPublic]
    """

    kwargs = _get_kwargs(
        code=code,
        disaster_id=disaster_id,
        body=body,
        dry_run=dry_run,
        content_type=content_type,
        idempotency_key=idempotency_key,
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
    body: File,
    dry_run: bool | Unset = False,
    content_type: None | str | Unset = UNSET,
    idempotency_key: str,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> ImportReportPublic | Problem | SurveyImportPublic | None:
    """Import Field Surveys

     Rows that pass are recorded, the others reported with their line number; importing
    the same file again changes nothing (each row's ``survey_ref`` names its survey).
    ``dry_run=true`` checks the file and writes nothing. A larger file becomes a job: checked
    row by row first (a file no row of which passes is refused, 422, each bad row named by
    line and field), then queued (202) and imported by the worker chunk by chunk, each chunk
    all or nothing; its Location shows the rows done of the total and the rows refused.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        disaster_id (UUID):
        dry_run (bool | Unset):  Default: False.
        content_type (None | str | Unset):
        idempotency_key (str): one key per intended change (e.g. a UUID made when the form opens):
            a repeat with the same key and body gets the first answer and changes nothing
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImportReportPublic | Problem | SurveyImportPublic
    """

    return sync_detailed(
        code=code,
        disaster_id=disaster_id,
        client=client,
        body=body,
        dry_run=dry_run,
        content_type=content_type,
        idempotency_key=idempotency_key,
        x_kyodo_terminal=x_kyodo_terminal,
    ).parsed


async def asyncio_detailed(
    code: str,
    disaster_id: UUID,
    *,
    client: AuthenticatedClient,
    body: File,
    dry_run: bool | Unset = False,
    content_type: None | str | Unset = UNSET,
    idempotency_key: str,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> Response[ImportReportPublic | Problem | SurveyImportPublic]:
    """Import Field Surveys

     Rows that pass are recorded, the others reported with their line number; importing
    the same file again changes nothing (each row's ``survey_ref`` names its survey).
    ``dry_run=true`` checks the file and writes nothing. A larger file becomes a job: checked
    row by row first (a file no row of which passes is refused, 422, each bad row named by
    line and field), then queued (202) and imported by the worker chunk by chunk, each chunk
    all or nothing; its Location shows the rows done of the total and the rows refused.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        disaster_id (UUID):
        dry_run (bool | Unset):  Default: False.
        content_type (None | str | Unset):
        idempotency_key (str): one key per intended change (e.g. a UUID made when the form opens):
            a repeat with the same key and body gets the first answer and changes nothing
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImportReportPublic | Problem | SurveyImportPublic]
    """

    kwargs = _get_kwargs(
        code=code,
        disaster_id=disaster_id,
        body=body,
        dry_run=dry_run,
        content_type=content_type,
        idempotency_key=idempotency_key,
        x_kyodo_terminal=x_kyodo_terminal,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    code: str,
    disaster_id: UUID,
    *,
    client: AuthenticatedClient,
    body: File,
    dry_run: bool | Unset = False,
    content_type: None | str | Unset = UNSET,
    idempotency_key: str,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> ImportReportPublic | Problem | SurveyImportPublic | None:
    """Import Field Surveys

     Rows that pass are recorded, the others reported with their line number; importing
    the same file again changes nothing (each row's ``survey_ref`` names its survey).
    ``dry_run=true`` checks the file and writes nothing. A larger file becomes a job: checked
    row by row first (a file no row of which passes is refused, 422, each bad row named by
    line and field), then queued (202) and imported by the worker chunk by chunk, each chunk
    all or nothing; its Location shows the rows done of the total and the rows refused.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        disaster_id (UUID):
        dry_run (bool | Unset):  Default: False.
        content_type (None | str | Unset):
        idempotency_key (str): one key per intended change (e.g. a UUID made when the form opens):
            a repeat with the same key and body gets the first answer and changes nothing
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImportReportPublic | Problem | SurveyImportPublic
    """

    return (
        await asyncio_detailed(
            code=code,
            disaster_id=disaster_id,
            client=client,
            body=body,
            dry_run=dry_run,
            content_type=content_type,
            idempotency_key=idempotency_key,
            x_kyodo_terminal=x_kyodo_terminal,
        )
    ).parsed
