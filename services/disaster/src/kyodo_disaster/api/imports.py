"""現地調査票の取込 over HTTP: POST the field-survey CSV, get a report line by line."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse

from kyodo_common import idempotency
from kyodo_common.clock import today_in_japan
from kyodo_common.db import UnitOfWork
from kyodo_common.errors import Problem
from kyodo_common.text import refuse_controls_in_file
from kyodo_common.web import IdempotencyKey, MunicipalityCode
from kyodo_disaster.adapters.audit import Actor
from kyodo_disaster.adapters.stores import SqlStores
from kyodo_disaster.api.deps import Context, Db, Reply, Writer, idempotent
from kyodo_disaster.api.schemas.applications import ImportReportPublic, RowErrorOut
from kyodo_disaster.domain.field_csv import decode
from kyodo_disaster.service_layer.common import disaster_or_404
from kyodo_disaster.service_layer.context import SOURCE
from kyodo_disaster.service_layer.import_checks import ImportReport
from kyodo_disaster.service_layer.imports import import_surveys

router = APIRouter(prefix="/v1/municipalities/{code}/disaster", tags=["imports"])
CSV_TYPES = ("text/csv", "text/plain", "application/csv")


@router.post("/disasters/{disaster_id}/surveys/import", response_model=ImportReportPublic,
             openapi_extra={"requestBody": {"required": True, "content": {
                 "text/csv": {"schema": {"type": "string", "format": "binary"}}}}})
async def import_field_surveys(
    code: MunicipalityCode, disaster_id: UUID, request: Request, acting: Writer, db: Db,
    context: Context, content_type: Annotated[str | None, Header()] = None,
    key: IdempotencyKey = None, dry_run: bool = False,
) -> JSONResponse:
    """Rows that pass are recorded, the others reported with their line number; importing
    the same file again changes nothing (each row's ``survey_ref`` names its survey).
    ``dry_run=true`` checks the file and writes nothing."""
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
    actor = Actor.of(acting)

    async def action(uow: UnitOfWork) -> Reply:
        stores = SqlStores(uow)
        disaster = await disaster_or_404(stores.disasters, disaster_id, for_update=True)
        report = await import_surveys(stores, actor=actor, disaster=disaster, text=text,
                                      context=context, today=today_in_japan(),
                                      dry_run=dry_run)
        _refuse_unreadable(report)
        return 200, _body(report), {}

    if dry_run:  # nothing is written, so nothing to remember under the key
        idempotency.validate_key(key)
        async with UnitOfWork(db, source=SOURCE, municipality_code=code) as uow:
            _, body, _ = await action(uow)
        return JSONResponse(body)
    return await idempotent(db=db, code=code, caller=acting.principal, key=key,
                            route="disaster.import",
                            payload=[str(disaster_id), text], action=action)


def _refuse_unreadable(report: ImportReport) -> None:
    """A file whose header is wrong has no row to report on: the whole file is refused."""
    if report.errors and report.errors[0].line == 1 and report.errors[0].field == "header":
        raise Problem(422, "Invalid file", kind="invalid-input", detail=report.errors[0].reason,
                      invalid_params=[{"name": "line 1", "reason": report.errors[0].reason}])


def _body(report: ImportReport) -> dict[str, object]:
    return ImportReportPublic(
        rows=report.rows, houses_created=report.houses_created,
        surveys_recorded=report.surveys_recorded, unchanged=report.unchanged,
        applications_created=report.applications_created,
        errors=[RowErrorOut(line=e.line, field=e.field, reason=e.reason) for e in report.errors],
        dry_run=report.dry_run).model_dump(mode="json")
