"""Scenarios of a municipality: the service account its admin grants, and versions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import Field

from kyodo_automation.adapters import stores as views
from kyodo_automation.adapters.stores import SqlScenarios
from kyodo_automation.api.deps import (
    Approver,
    Author,
    Context,
    Db,
    Pipeline,
    Reader,
    scenario_name,
)
from kyodo_automation.domain.scenario import Problem as ScenarioProblem
from kyodo_automation.domain.scenario import ScenarioInvalid
from kyodo_automation.service_layer import handlers
from kyodo_automation.service_layer import scenarios as use
from kyodo_automation.service_layer.commands import SaveScenarioVersion
from kyodo_common.errors import NotFound, Problem
from kyodo_common.paging import DEFAULT_LIMIT, Cursor, Keyset, Limit, Page
from kyodo_common.text import refuse_controls_in_file
from kyodo_common.web import ApiModel, IdempotencyKey, MunicipalityCode

router = APIRouter(prefix="/v1/municipalities/{code}/automation/scenarios",
                   tags=["automation"])
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain")


class AccountGrant(ApiModel):
    """An identity API client made for this scenario; its scopes are what the scenario may do."""

    client_id: str = Field(min_length=3, max_length=100,
                           description="the identity client made for the scenario")
    client_secret: str = Field(min_length=8, max_length=200,
                               description="its secret (stored encrypted, never shown again)")


@router.put("/{scenario}/account")
async def grant_account(code: MunicipalityCode, scenario: str, body: AccountGrant,
                        admin: Approver, db: Db, context: Context) -> dict[str, Any]:
    """The admin gives the scenario its account; its scopes are read from identity."""
    name = scenario_name(scenario)
    if not body.client_id.startswith(f"{code}-"):
        raise Problem(422, "Invalid input", kind="invalid-input",
                      detail="the account must be a client of this municipality",
                      invalid_params=[{"name": "client_id", "reason": "another municipality"}])
    scopes = await use.granted_scopes(context.tokens(body.client_id, body.client_secret))
    async with db.tenant_transaction(code) as session:
        await use.attach_account(SqlScenarios(session), context, code=code, scenario=name,
                                 client_id=body.client_id, client_secret=body.client_secret,
                                 scopes=scopes, granted_by=admin.principal.subject)
    return {"scenario": name, "client_id": body.client_id, "scopes": sorted(scopes)}


@router.get("/{scenario}/account")
async def account(code: MunicipalityCode, scenario: str, reader: Reader,
                  db: Db) -> dict[str, Any]:
    async with db.tenant_transaction(code) as session:
        row = await views.account_granted(session, scenario_name(scenario))
    if row is None:
        raise NotFound("the scenario's account")
    return {"scenario": scenario, "client_id": row.client_id, "scopes": list(row.scopes),
            "granted_by": row.granted_by, "granted_at": row.granted_at.isoformat()}


@router.post("/{scenario}/versions", status_code=201, openapi_extra={"requestBody": {
    "required": True,
    "content": {"application/yaml": {"schema": {"type": "string", "format": "binary"}}}}})
async def new_version(code: MunicipalityCode, scenario: str, request: Request, author: Author,
                      db: Db, context: Context, pipeline: Pipeline,
                      key: IdempotencyKey = None) -> JSONResponse:
    """A new version from YAML; every problem comes back with its line. Each call must be
    within the scopes identity grants the scenario's account now."""
    name = scenario_name(scenario)
    media = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if media not in YAML_TYPES:
        raise Problem(415, "Unsupported media type", kind="unsupported-media-type",
                      detail="send the scenario as application/yaml")
    try:
        source = (await request.body()).decode("utf-8")
    except UnicodeDecodeError:
        raise use.invalid(ScenarioInvalid([ScenarioProblem("", 1, "not UTF-8 text")])) from None
    refuse_controls_in_file(source)  # the source is stored as it came
    parsed = use.parse_for_save(source, name)
    async with db.tenant_transaction(code) as session:
        found = await use.load_account(SqlScenarios(session), context, code=code, scenario=name)
    if found is None:
        raise Problem(409, "No account", kind="no-account",
                      detail="the municipality's admin must give this scenario an account "
                             "(PUT …/account) before it is saved")
    use.refuse_out_of_scope(
        parsed, await use.granted_scopes(context.tokens(found.client_id, found.client_secret)))

    command = SaveScenarioVersion(name=name, scenario=parsed, source=source,
                                  created_by=author.principal.subject)
    return await pipeline.run(command, handlers.save_scenario_version, acting=author, key=key,
                              fingerprint=("automation.versions.create", [name, source]))


BY_NAME = Keyset("automation.scenarios", (str,))
BY_VERSION = Keyset("automation.scenario-versions", (int,))


@router.get("", response_model=Page[dict[str, Any]])
async def scenario_list(code: MunicipalityCode, reader: Reader, db: Db,
                        limit: Limit = DEFAULT_LIMIT,
                        cursor: Cursor = None) -> Page[dict[str, Any]]:
    """The latest version of each scenario, in name order."""
    after = BY_NAME.decode(cursor)
    async with db.tenant_transaction(code) as session:
        rows = await views.latest_versions(session, after=after[0] if after else None,
                                           limit=limit + 1)
    shown, next_cursor = BY_NAME.page(rows, limit, key=lambda r: (r.scenario,))
    return Page(items=[use.version_public(r) for r in shown], next=next_cursor)


@router.get("/{scenario}/versions", response_model=Page[dict[str, Any]])
async def versions(code: MunicipalityCode, scenario: str, reader: Reader, db: Db,
                   limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> Page[dict[str, Any]]:
    """The scenario's versions, oldest first."""
    after = BY_VERSION.decode(cursor)
    async with db.tenant_transaction(code) as session:
        rows = await views.versions_of(session, scenario_name(scenario),
                                       after=after[0] if after else None, limit=limit + 1)
    if not rows and after is None:
        raise NotFound("the scenario")
    shown, next_cursor = BY_VERSION.page(rows, limit, key=lambda r: (r.version,))
    return Page(items=[use.version_public(r) for r in shown], next=next_cursor)


@router.get("/{scenario}/versions/{version}")
async def version(code: MunicipalityCode, scenario: str, version: int, reader: Reader,
                  db: Db) -> dict[str, Any]:
    async with db.tenant_transaction(code) as session:
        row = await use.latest_version(SqlScenarios(session), scenario_name(scenario), version)
    return {**use.version_public(row), "source": row.source}


