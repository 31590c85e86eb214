"""給与支払報告書 files: import (CSV or JSON) and the result of an import."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse

from kyodo_common.errors import NotFound, Problem
from kyodo_common.text import refuse_controls_in_file
from kyodo_common.web import IdempotencyKey, MunicipalityCode
from kyodo_tax.adapters.salary_imports import SqlSalaryImports
from kyodo_tax.api.deps import Db, Handlers, Pipeline, Reader, Writer
from kyodo_tax.api.schemas import ImportPublic
from kyodo_tax.domain.salary_report import COLUMNS, file_hash
from kyodo_tax.service_layer.commands import ImportSalaryReports
from kyodo_tax.service_layer.handlers import import_public
from kyodo_tax.service_layer.imports import SYNC_ROWS, ImportSummary

router = APIRouter(prefix="/v1/municipalities/{code}/tax/salary-reports", tags=["tax"])
_DESCRIPTION = (
    "A CSV file (UTF-8 or Shift_JIS, a header row naming the columns) or JSON (a list of "
    "objects, or {\"rows\": [...]}) with the columns: " + ", ".join(COLUMNS) + ". "
    "Required: employer_number (特別徴収 指定番号, up to 8 digits, zero-padded), "
    "resident_number (宛名番号) or platform_person_id, family_name_kana, given_name_kana, "
    "birth_date (YYYY-MM-DD), salary_income (支払金額). Bad rows are reported with their line "
    "and reason; good rows are kept. The same file again changes nothing. A file of up to "
    f"{SYNC_ROWS:,} rows (by default; KYODO_TAX_IMPORT_SYNC_ROWS) is imported within the "
    "request (201, the result); a larger one is queued (202): the tax worker imports it in "
    "chunks, and its Location shows the rows done of the total, the counts so far, and the "
    "state (queued, running, finished, failed). "
    "`kyodo jobs watch` follows it."
)


def _format(content_type: str | None, explicit: str | None) -> str:
    if explicit:
        return explicit
    media = (content_type or "").split(";")[0].strip().lower()
    if media in ("text/csv", "application/csv"):
        return "csv"
    if media == "application/json":
        return "json"
    raise Problem(415, "Unsupported media type", kind="unsupported-media-type",
                  detail="send text/csv or application/json (or name the format)")


@router.post("/imports", status_code=201, response_model=ImportPublic,
             description=_DESCRIPTION, openapi_extra={"requestBody": {
                 "required": True,
                 # One media type documented: see automation's file upload (a generated
                 # client cannot send a union of a file and JSON yet).
                 "description": "the 給与支払報告書 rows as CSV (application/json, an array of "
                                "row objects, is accepted too)",
                 "content": {"text/csv": {"schema": {"type": "string", "format": "binary"}}}}},
             responses={200: {"model": ImportPublic, "description": "imported before"},
                        202: {"model": ImportPublic,
                              "description": "a large file, queued: follow the Location"}})
async def import_file(
    code: MunicipalityCode, request: Request, acting: Writer, pipeline: Pipeline,
    handlers: Handlers,
    fiscal_year: Annotated[int, Query(ge=2000, le=2100, description="年度 of the assessment")],
    file_format: Annotated[Literal["csv", "json"] | None, Query(alias="format")] = None,
    content_type: Annotated[str | None, Header()] = None, key: IdempotencyKey = None,
) -> JSONResponse:
    kind = _format(content_type, file_format)
    content = await request.body()
    if not content:
        raise Problem(422, "Invalid input", kind="invalid-input", detail="the file is empty",
                      invalid_params=[{"name": "file", "reason": "empty"}])
    refuse_controls_in_file(content)

    command = ImportSalaryReports(fiscal_year=fiscal_year, content=content, file_format=kind,
                                  actor=acting.principal.subject)
    return await pipeline.run(command, handlers.import_salary_reports, acting=acting, key=key,
                              fingerprint=("tax.salary_reports.import",
                                           [fiscal_year, kind, file_hash(content)]))


def _public(summary: ImportSummary) -> ImportPublic:
    return import_public(summary)


@router.get("/imports/{import_id}", response_model=ImportPublic)
async def import_result(code: MunicipalityCode, import_id: UUID, acting: Reader,
                        db: Db) -> ImportPublic:
    """What an import kept and refused (line numbers and reasons: no personal data); while
    it runs as a job, how far it is."""
    async with db.tenant_transaction(code) as session:
        row = await SqlSalaryImports(session).get(import_id)
    if row is None:
        raise NotFound("the import")
    return _public(ImportSummary.from_row(row, already_imported=False))
