"""Endpoints for the platform's own services (the gateway), behind a service token."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from kyodo_identity_events.tenant_config import TenantConfig

from kyodo_identity.adapters.access_feed import AccessFeed
from kyodo_identity.adapters.views import active_grants, municipality_list, revocations_in_force
from kyodo_identity.api.schemas.access import AccessSnapshot, AccessVersion, Revocation
from kyodo_identity.api.schemas.grants import ActiveGrant, ActiveGrants
from kyodo_identity.api.schemas.municipalities import (
    InternalMunicipalities,
    MunicipalityOrigins,
)

from .deps import Db, ServiceCaller

router = APIRouter(prefix="/v1/internal", tags=["internal"], include_in_schema=False)
# A long-poll is answered within this, so that a stopping identity waits for none for long.
MAX_WAIT_SECONDS = 10.0


def _active(rows: list[Any]) -> list[ActiveGrant]:
    return [ActiveGrant(grant_id=r.grant_id, grantor_municipality=r.grantor_municipality,
                        grantee_subject=r.grantee_subject,
                        grantee_municipality=r.grantee_municipality, scopes=sorted(r.scopes),
                        valid_from=r.valid_from, valid_until=r.valid_until) for r in rows]


@router.get("/access", response_model=AccessSnapshot)
async def access_snapshot(caller: ServiceCaller, db: Db) -> AccessSnapshot:
    """Grants in force and revocations whose tokens may still be alive, in one transaction."""
    generated_at = datetime.now(UTC)
    async with db.platform_transaction() as session:
        grants = await active_grants(session)
        revocations = await revocations_in_force(session)
    return AccessSnapshot(generated_at=generated_at, grants=_active(grants), revocations=[
        Revocation(municipality_code=r.municipality_code, subject=r.subject,
                   token_id=r.token_id, expires_at=r.expires_at) for r in revocations])


@router.get("/access-changes", response_model=AccessVersion)
async def access_changes(
    request: Request, caller: ServiceCaller,
    after: Annotated[str, Query(max_length=100)] = "",
    wait: Annotated[float, Query(ge=0, le=MAX_WAIT_SECONDS)] = 5.0,
) -> AccessVersion:
    """Long-poll: answers at once if the version differs from ``after``, else when a grant
    or revocation changes (NOTIFY on commit), else after ``wait`` seconds."""
    feed: AccessFeed = request.app.state.access_feed
    version = await feed.wait(after, wait)
    return AccessVersion(version=version, listening=feed.listening)


@router.get("/support-grants/active", response_model=ActiveGrants)
async def active_support_grants(caller: ServiceCaller, db: Db) -> ActiveGrants:
    """Every grant in force now (gateways before /access polled this)."""
    generated_at = datetime.now(UTC)
    async with db.platform_transaction() as session:
        rows = await active_grants(session)
    return ActiveGrants(generated_at=generated_at, grants=_active(rows))


@router.get("/municipalities", response_model=InternalMunicipalities)
async def municipality_origins(caller: ServiceCaller, db: Db) -> InternalMunicipalities:
    """Each municipality's CORS origins and own purpose codes, for the gateway's checks."""
    generated_at = datetime.now(UTC)
    async with db.platform_transaction() as session:
        rows = await municipality_list(session)
    configs = [(r.code, TenantConfig.model_validate(r.config)) for r in rows]
    return InternalMunicipalities(generated_at=generated_at, municipalities=[
        MunicipalityOrigins(code=code, cors_origins=config.cors_origins,
                            purposes=sorted(config.purposes))
        for code, config in configs])
