from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.survey_import_public import SurveyImportPublic
from ...types import UNSET, Response, Unset


def _get_kwargs(
    code: str,
    import_id: UUID,
    *,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_kyodo_terminal, Unset):
        headers["X-Kyodo-Terminal"] = x_kyodo_terminal

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/municipalities/{code}/disaster/survey-imports/{import_id}".format(
            code=quote(str(code), safe=""),
            import_id=quote(str(import_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SurveyImportPublic | None:
    if response.status_code == 200:
        response_200 = SurveyImportPublic.from_dict(response.json())

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
) -> Response[Problem | SurveyImportPublic]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    code: str,
    import_id: UUID,
    *,
    client: AuthenticatedClient,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> Response[Problem | SurveyImportPublic]:
    """Survey Import

     A large field-survey file's import: its state, rows done of the total, the counts so
    far and the rows refused (line, field, reason: no personal data). `kyodo jobs watch`
    follows it.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        import_id (UUID):
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SurveyImportPublic]
    """

    kwargs = _get_kwargs(
        code=code,
        import_id=import_id,
        x_kyodo_terminal=x_kyodo_terminal,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    code: str,
    import_id: UUID,
    *,
    client: AuthenticatedClient,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> Problem | SurveyImportPublic | None:
    """Survey Import

     A large field-survey file's import: its state, rows done of the total, the counts so
    far and the rows refused (line, field, reason: no personal data). `kyodo jobs watch`
    follows it.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        import_id (UUID):
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SurveyImportPublic
    """

    return sync_detailed(
        code=code,
        import_id=import_id,
        client=client,
        x_kyodo_terminal=x_kyodo_terminal,
    ).parsed


async def asyncio_detailed(
    code: str,
    import_id: UUID,
    *,
    client: AuthenticatedClient,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> Response[Problem | SurveyImportPublic]:
    """Survey Import

     A large field-survey file's import: its state, rows done of the total, the counts so
    far and the rows refused (line, field, reason: no personal data). `kyodo jobs watch`
    follows it.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        import_id (UUID):
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SurveyImportPublic]
    """

    kwargs = _get_kwargs(
        code=code,
        import_id=import_id,
        x_kyodo_terminal=x_kyodo_terminal,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    code: str,
    import_id: UUID,
    *,
    client: AuthenticatedClient,
    x_kyodo_terminal: None | str | Unset = UNSET,
) -> Problem | SurveyImportPublic | None:
    """Survey Import

     A large field-survey file's import: its state, rows done of the total, the counts so
    far and the rows refused (line, field, reason: no personal data). `kyodo jobs watch`
    follows it.

    Args:
        code (str): 全国地方公共団体コード, 6 digits with check digit
        import_id (UUID):
        x_kyodo_terminal (None | str | Unset): the counter terminal the clerk works at (recorded
            in the access log)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SurveyImportPublic
    """

    return (
        await asyncio_detailed(
            code=code,
            import_id=import_id,
            client=client,
            x_kyodo_terminal=x_kyodo_terminal,
        )
    ).parsed
