"""現地調査票の取込 over HTTP: POST the field-survey CSV, get a report line by line (a large
file: a job whose progress GET …/survey-imports/{id} shows)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse

from kyodo_common.errors import NotFound, Problem
from kyodo_common.text import refuse_controls_in_file
from kyodo_common.web import IdempotencyKey, MunicipalityCode
from kyodo_disaster.adapters.survey_imports import SqlSurveyImports
from kyodo_disaster.api.deps import Db, Handlers, Pipeline, Reader, Writer
from kyodo_disaster.api.schemas.applications import ImportReportPublic, SurveyImportPublic
from kyodo_disaster.domain.actor import Actor
from kyodo_disaster.domain.field_csv import decode
from kyodo_disaster.service_layer.commands import ImportSurveys

router = APIRouter(prefix="/v1/municipalities/{code}/disaster", tags=["imports"])
CSV_TYPES = ("text/csv", "text/plain", "application/csv")


@router.post("/disasters/{disaster_id}/surveys/import", response_model=ImportReportPublic,
             responses={202: {"model": SurveyImportPublic, "description":
                              "a file of more rows than KYODO_DISASTER_IMPORT_SYNC_ROWS "
                              "(2,000 by default), queued for the disaster worker: follow "
                              "the Location (`kyodo jobs watch`)"}},
             openapi_extra={"requestBody": {"required": True, "content": {
                 "text/csv": {"schema": {"type": "string", "format": "binary"}}}}})
async def import_field_surveys(
    code: MunicipalityCode, disaster_id: UUID, request: Request, acting: Writer,
    pipeline: Pipeline, handlers: Handlers, content_type: Annotated[str | None, Header()] = None,
    key: IdempotencyKey = None, dry_run: bool = False,
) -> JSONResponse:
    """Rows that pass are recorded, the others reported with their line number; importing
    the same file again changes nothing (each row's ``survey_ref`` names its survey).
    ``dry_run=true`` checks the file and writes nothing. A larger file becomes a job: checked
    row by row first (a file no row of which passes is refused, 422, each bad row named by
    line and field), then queued (202) and imported by the worker chunk by chunk, each chunk
    all or nothing; its Location shows the rows done of the total and the rows refused."""
    media = (content_type or "").split(";")[0].strip().lower()
    if media not in CSV_TYPES:
        raise Problem(415, "Unsupported media type", kind="unsupported-media-type",
                      detail="send the field-survey file as text/csv")
    raw = await request.body()
    refuse_controls_in_file(raw)
    try:
        text = decode(raw)
    except UnicodeDecodeError:
        raise Problem(422, "Unreadable file", kind="unreadable-file",
                      detail="the file is neither UTF-8 nor Shift_JIS") from None
    command = ImportSurveys(actor=Actor.of(acting), disaster_id=disaster_id, text=text,
                            dry_run=dry_run)
    if dry_run:  # nothing is written, so nothing to remember under the key
        return await pipeline.dry_run(command, handlers.import_surveys, acting=acting, key=key)
    return await pipeline.run(command, handlers.import_surveys, acting=acting, key=key,
                              fingerprint=("disaster.import", [str(disaster_id), text]))


@router.get("/survey-imports/{import_id}", response_model=SurveyImportPublic)
async def survey_import(code: MunicipalityCode, import_id: UUID, acting: Reader,
                        db: Db) -> SurveyImportPublic:
    """A large field-survey file's import: its state, rows done of the total, the counts so
    far and the rows refused (line, field, reason: no personal data). `kyodo jobs watch`
    follows it."""
    async with db.tenant_transaction(code) as session:
        row = await SqlSurveyImports(session).status(import_id)
    if row is None:
        raise NotFound("the import")
    return SurveyImportPublic.of(row)
