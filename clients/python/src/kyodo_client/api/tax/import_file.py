from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.import_file_format_type_0 import ImportFileFormatType0
from ...models.import_public import ImportPublic
from ...models.problem import Problem
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    code: str,
    *,
    body: File,
    fiscal_year: int,
    format_: ImportFileFormatType0 | None | Unset = UNSET,
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

    params["fiscal_year"] = fiscal_year

    json_format_: None | str | Unset
    if isinstance(format_, Unset):
        json_format_ = UNSET
    elif isinstance(format_, ImportFileFormatType0):
        json_format_ = format_.value
    else:
        json_format_ = format_
    params["format"] = json_format_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/municipalities/{code}/tax/salary-reports/imports".format(
            code=quote(str(code), safe=""),
        ),
        "params": params,
    }

    _kwargs["content"] = body.payload
    headers["Content-Type"] = "text/csv"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ImportPublic | Problem | None:
    if response.status_code == 200:
        response_200 = ImportPublic.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = ImportPublic.from_dict(response.json())

        return response_201

    if response.status_code == 202:
        response_202 = ImportPublic.from_dict(response.json())

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
) -> Response[ImportPublic | Problem]:
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
    body: File,
    fiscal_year: int,
    format_: ImportFileFormatType0 | None | Unset = UNSET,
    content_type: None | str | Unset = UNSET,
    idempotency_key: str,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> Response[ImportPublic | Problem]:
    """Import File

     A CSV file (UTF-8 or Shift_JIS, a header row naming the columns) or JSON (a list of objects, or
    {"rows": [...]}) with the columns: employer_number, family_name_kana, given_name_kana, birth_date,
    salary_income, resident_number, platform_person_id, employer_name, social_insurance,
    other_deductions, spouse, disability, widowhood, working_student, collection, left_on,
    dependants_general, dependants_specified, dependants_elderly, dependants_elderly_cohabiting,
    dependants_under_16, disabled_general, disabled_special, disabled_special_cohabiting. Required:
    employer_number (特別徴収 指定番号, up to 8 digits, zero-padded), resident_number (宛名番号) or
    platform_person_id, family_name_kana, given_name_kana, birth_date (YYYY-MM-DD), salary_income
    (支払金額). Bad rows are reported with their line and reason; good rows are kept. The same file again
    changes nothing. A file of up to 2,000 rows (by default; KYODO_TAX_IMPORT_SYNC_ROWS) is imported
    within the request (201, the result); a larger one is queued (202): the tax worker imports it in
    chunks, and its Location shows the rows done of the total, the counts so far, and the state (queued,
    running, finished, failed). `kyodo jobs watch` follows it.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        fiscal_year (int): 年度 of the assessment
        format_ (ImportFileFormatType0 | None | Unset):
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
        Response[ImportPublic | Problem]
    """

    kwargs = _get_kwargs(
        code=code,
        body=body,
        fiscal_year=fiscal_year,
        format_=format_,
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
    *,
    client: AuthenticatedClient,
    body: File,
    fiscal_year: int,
    format_: ImportFileFormatType0 | None | Unset = UNSET,
    content_type: None | str | Unset = UNSET,
    idempotency_key: str,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> ImportPublic | Problem | None:
    """Import File

     A CSV file (UTF-8 or Shift_JIS, a header row naming the columns) or JSON (a list of objects, or
    {"rows": [...]}) with the columns: employer_number, family_name_kana, given_name_kana, birth_date,
    salary_income, resident_number, platform_person_id, employer_name, social_insurance,
    other_deductions, spouse, disability, widowhood, working_student, collection, left_on,
    dependants_general, dependants_specified, dependants_elderly, dependants_elderly_cohabiting,
    dependants_under_16, disabled_general, disabled_special, disabled_special_cohabiting. Required:
    employer_number (特別徴収 指定番号, up to 8 digits, zero-padded), resident_number (宛名番号) or
    platform_person_id, family_name_kana, given_name_kana, birth_date (YYYY-MM-DD), salary_income
    (支払金額). Bad rows are reported with their line and reason; good rows are kept. The same file again
    changes nothing. A file of up to 2,000 rows (by default; KYODO_TAX_IMPORT_SYNC_ROWS) is imported
    within the request (201, the result); a larger one is queued (202): the tax worker imports it in
    chunks, and its Location shows the rows done of the total, the counts so far, and the state (queued,
    running, finished, failed). `kyodo jobs watch` follows it.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        fiscal_year (int): 年度 of the assessment
        format_ (ImportFileFormatType0 | None | Unset):
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
        ImportPublic | Problem
    """

    return sync_detailed(
        code=code,
        client=client,
        body=body,
        fiscal_year=fiscal_year,
        format_=format_,
        content_type=content_type,
        idempotency_key=idempotency_key,
        x_kyodo_terminal=x_kyodo_terminal,
    ).parsed


async def asyncio_detailed(
    code: str,
    *,
    client: AuthenticatedClient,
    body: File,
    fiscal_year: int,
    format_: ImportFileFormatType0 | None | Unset = UNSET,
    content_type: None | str | Unset = UNSET,
    idempotency_key: str,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> Response[ImportPublic | Problem]:
    """Import File

     A CSV file (UTF-8 or Shift_JIS, a header row naming the columns) or JSON (a list of objects, or
    {"rows": [...]}) with the columns: employer_number, family_name_kana, given_name_kana, birth_date,
    salary_income, resident_number, platform_person_id, employer_name, social_insurance,
    other_deductions, spouse, disability, widowhood, working_student, collection, left_on,
    dependants_general, dependants_specified, dependants_elderly, dependants_elderly_cohabiting,
    dependants_under_16, disabled_general, disabled_special, disabled_special_cohabiting. Required:
    employer_number (特別徴収 指定番号, up to 8 digits, zero-padded), resident_number (宛名番号) or
    platform_person_id, family_name_kana, given_name_kana, birth_date (YYYY-MM-DD), salary_income
    (支払金額). Bad rows are reported with their line and reason; good rows are kept. The same file again
    changes nothing. A file of up to 2,000 rows (by default; KYODO_TAX_IMPORT_SYNC_ROWS) is imported
    within the request (201, the result); a larger one is queued (202): the tax worker imports it in
    chunks, and its Location shows the rows done of the total, the counts so far, and the state (queued,
    running, finished, failed). `kyodo jobs watch` follows it.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        fiscal_year (int): 年度 of the assessment
        format_ (ImportFileFormatType0 | None | Unset):
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
        Response[ImportPublic | Problem]
    """

    kwargs = _get_kwargs(
        code=code,
        body=body,
        fiscal_year=fiscal_year,
        format_=format_,
        content_type=content_type,
        idempotency_key=idempotency_key,
        x_kyodo_terminal=x_kyodo_terminal,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    code: str,
    *,
    client: AuthenticatedClient,
    body: File,
    fiscal_year: int,
    format_: ImportFileFormatType0 | None | Unset = UNSET,
    content_type: None | str | Unset = UNSET,
    idempotency_key: str,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> ImportPublic | Problem | None:
    """Import File

     A CSV file (UTF-8 or Shift_JIS, a header row naming the columns) or JSON (a list of objects, or
    {"rows": [...]}) with the columns: employer_number, family_name_kana, given_name_kana, birth_date,
    salary_income, resident_number, platform_person_id, employer_name, social_insurance,
    other_deductions, spouse, disability, widowhood, working_student, collection, left_on,
    dependants_general, dependants_specified, dependants_elderly, dependants_elderly_cohabiting,
    dependants_under_16, disabled_general, disabled_special, disabled_special_cohabiting. Required:
    employer_number (特別徴収 指定番号, up to 8 digits, zero-padded), resident_number (宛名番号) or
    platform_person_id, family_name_kana, given_name_kana, birth_date (YYYY-MM-DD), salary_income
    (支払金額). Bad rows are reported with their line and reason; good rows are kept. The same file again
    changes nothing. A file of up to 2,000 rows (by default; KYODO_TAX_IMPORT_SYNC_ROWS) is imported
    within the request (201, the result); a larger one is queued (202): the tax worker imports it in
    chunks, and its Location shows the rows done of the total, the counts so far, and the state (queued,
    running, finished, failed). `kyodo jobs watch` follows it.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        fiscal_year (int): 年度 of the assessment
        format_ (ImportFileFormatType0 | None | Unset):
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
        ImportPublic | Problem
    """

    return (
        await asyncio_detailed(
            code=code,
            client=client,
            body=body,
            fiscal_year=fiscal_year,
            format_=format_,
            content_type=content_type,
            idempotency_key=idempotency_key,
            x_kyodo_terminal=x_kyodo_terminal,
        )
    ).parsed
