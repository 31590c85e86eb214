"""Runs: started by hand or by a file upload, tried as a dry run, and read back step by step."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import Field

from kyodo_automation.adapters import stores as views
from kyodo_automation.adapters.stores import SqlRuns, SqlScenarios
from kyodo_automation.api.deps import Author, Context, Db, Pipeline, Reader, scenario_name
from kyodo_automation.domain.scenario import Scenario
from kyodo_automation.service_layer import handlers
from kyodo_automation.service_layer import runs as use
from kyodo_automation.service_layer.commands import StartRun
from kyodo_automation.service_layer.scenarios import latest_version
from kyodo_common.assertion import Acting
from kyodo_common.audit import record_access
from kyodo_common.errors import NotFound, Problem
from kyodo_common.paging import DEFAULT_LIMIT, Cursor, Keyset, Limit, Page
from kyodo_common.text import MULTILINE, refuse_controls_in_file
from kyodo_common.web import ApiModel, IdempotencyKey, MunicipalityCode, Purpose
from kyodo_common.write_pipeline import WritePipeline

router = APIRouter(prefix="/v1/municipalities/{code}/automation", tags=["automation"])
RUNS_NEWEST_FIRST = Keyset("automation.runs", (datetime, UUID))
STEPS_BY_KEY = Keyset("automation.run-steps", (str,))
FILE_TYPES = {"text/csv": "csv", "application/csv": "csv", "application/json": "json"}
RUN_FIELDS = ("id", "scenario", "version", "state", "trigger", "items_done", "items_failed",
              "error", "failed_step", "attempts", "trace_id", "started_by")


class RunStart(ApiModel):
    inputs: Annotated[dict[str, Any], MULTILINE] = Field(default_factory=dict,
                                                         description="the scenario's inputs, by "
                                                                     "name")
    version: int | None = Field(default=None, ge=1, description="the latest when absent")


def run_public(row: Any) -> dict[str, Any]:
    body = {k: getattr(row, k) for k in RUN_FIELDS}
    body["id"] = str(row.id)
    body["outputs"] = row.outputs
    body["minutes_per_item"] = float(row.minutes_per_item)
    for k in ("created_at", "started_at", "finished_at"):
        value = getattr(row, k)
        body[k] = value.isoformat() if value else None
    return body


async def _scenario(db: Any, code: str, name: str, version: int | None) -> tuple[Scenario, Any]:
    async with db.tenant_transaction(code) as session:
        row = await latest_version(SqlScenarios(session), name, version)
    return Scenario.from_source(row.definition), row


async def _start(pipeline: WritePipeline, name: str, version: Any, scenario: Scenario,
                 inputs: dict[str, Any], trigger: str, author: Acting, key: str | None,
                 fingerprint: Any) -> JSONResponse:
    command = StartRun(name=name, version=version, scenario=scenario, inputs=inputs,
                       trigger=trigger, started_by=author.principal.subject)
    return await pipeline.run(command, handlers.start_run, acting=author, key=key,
                              fingerprint=("automation.runs.start", fingerprint))


@router.post("/scenarios/{scenario}/runs", status_code=202)
async def start(code: MunicipalityCode, scenario: str, body: RunStart, author: Author, db: Db,
                pipeline: Pipeline, key: IdempotencyKey = None) -> JSONResponse:
    """Start a run by hand (手動); the worker runs it."""
    parsed, version = await _scenario(db, code, scenario_name(scenario), body.version)
    inputs = use.typed_inputs(parsed, body.inputs)
    return await _start(pipeline, scenario, version, parsed, inputs, "manual", author, key,
                        [scenario, version.version, body.model_dump(mode="json")])


@router.post("/scenarios/{scenario}/files", status_code=202, openapi_extra={"requestBody": {
    "required": True,
    # One media type documented: generated clients cannot yet send a union of a file and
    # JSON (openapi-python-client 0.29 emits isinstance(body, list[...]), which fails).
    "description": "the rows: a CSV file with a header line (application/json, an array of "
                   "row objects, is accepted too)",
    "content": {"text/csv": {"schema": {"type": "string", "format": "binary"}}}}})
async def upload(code: MunicipalityCode, scenario: str, request: Request, author: Author,
                 db: Db, context: Context, pipeline: Pipeline, key: IdempotencyKey = None,
                 dry_run: Annotated[bool, Query(description="show the calls, make none")] = False,
                 version: Annotated[int | None, Query(ge=1)] = None) -> JSONResponse:
    """A file for a scenario triggered by files: its rows become the rows input; the other
    inputs come from the query string (?fiscal_year=2025)."""
    parsed, row = await _scenario(db, code, scenario_name(scenario), version)
    rows_input = next((n for n, s in parsed.inputs.items() if s["type"] == "rows"), None)
    if parsed.trigger_kind != "file" or rows_input is None:
        raise Problem(409, "Not a file scenario", kind="not-a-file-scenario",
                      detail="this scenario is not started by a file")
    media = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if media not in FILE_TYPES:
        raise Problem(415, "Unsupported media type", kind="unsupported-media-type",
                      detail="send text/csv or application/json")
    content = await request.body()
    refuse_controls_in_file(content)
    rows = use.rows_of_file(content, FILE_TYPES[media])
    values: dict[str, Any] = {k: v for k, v in request.query_params.items()
                              if k not in ("dry_run", "version")}
    inputs = use.typed_inputs(parsed, {**values, rows_input: rows})
    if dry_run:
        async with db.tenant_transaction(code) as session:
            return JSONResponse(await use.dry_run(context, SqlScenarios(session), code=code,
                                                  scenario=parsed,
                                                  inputs=inputs))
    return await _start(pipeline, scenario, row, parsed, inputs, "file", author, key,
                        [scenario, row.version, values, hashlib.sha256(content).hexdigest()])


@router.post("/scenarios/{scenario}/dry-run")
async def try_run(code: MunicipalityCode, scenario: str, body: RunStart, author: Author,
                  db: Db, context: Context) -> dict[str, Any]:
    """試行: every call the run would make, none of the mutating ones made; nothing stored."""
    parsed, _ = await _scenario(db, code, scenario_name(scenario), body.version)
    inputs = use.typed_inputs(parsed, body.inputs)
    async with db.tenant_transaction(code) as session:
        return await use.dry_run(context, SqlScenarios(session), code=code, scenario=parsed,
                                 inputs=inputs)


@router.get("/scenarios/{scenario}/runs", response_model=Page[dict[str, Any]])
async def runs_of(code: MunicipalityCode, scenario: str, reader: Reader, db: Db,
                  limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> Page[dict[str, Any]]:
    """The scenario's runs, newest first."""
    after = RUNS_NEWEST_FIRST.decode(cursor)
    async with db.tenant_transaction(code) as session:
        rows = await views.runs_of(session, scenario_name(scenario), after=after,
                                   limit=limit + 1)
    shown, next_cursor = RUNS_NEWEST_FIRST.page(rows, limit, key=lambda r: (r.created_at, r.id))
    return Page(items=[run_public(r) for r in shown], next=next_cursor)


@router.get("/runs/{run_id}")
async def run(code: MunicipalityCode, run_id: UUID, reader: Reader, db: Db) -> dict[str, Any]:
    async with db.tenant_transaction(code) as session:
        row = await SqlRuns(session).get(run_id)
    if row is None:
        raise NotFound("the run")
    return run_public(row)


@router.get("/runs/{run_id}/steps", response_model=Page[dict[str, Any]])
async def steps(code: MunicipalityCode, run_id: UUID, reader: Reader, purpose: Purpose, db: Db,
                limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> Page[dict[str, Any]]:
    """What each step did (inputs, outputs, errors, trace id), in the order recorded; the
    inputs and outputs hold personal data, so the read is logged with its purpose."""
    after = STEPS_BY_KEY.decode(cursor)
    async with db.tenant_transaction(code) as session:
        rows, next_cursor = STEPS_BY_KEY.page(
            await views.steps_of(session, run_id, after=after[0] if after else None,
                                 limit=limit + 1), limit, key=lambda r: (r.key,))
        if rows:
            await record_access(session, principal=reader.principal, acting_municipality=code,
                                action="automation.run_steps.read", subject_type="automation_run",
                                subject_id=str(run_id), fields=["input", "output"],
                                purpose=purpose, grant_id=reader.grant_id)
    items = [{"key": r.key, "kind": r.kind, "status": r.status, "step": r.step, "item": r.item,
              "input": r.input, "output": r.output, "error": r.error, "trace_id": r.trace_id,
              "recorded_at": r.recorded_at.isoformat()} for r in rows]
    return Page(items=items, next=next_cursor)
