"""Endpoints for the platform's own services (the gateway), behind a service token."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter

from kyodo_identity.api.schemas.grants import ActiveGrant, ActiveGrants
from kyodo_identity.api.schemas.municipalities import (
    InternalMunicipalities,
    MunicipalityOrigins,
)
from kyodo_identity.domain.tenant_config import TenantConfig
from kyodo_identity.service_layer.municipalities import list_municipalities
from kyodo_identity.service_layer.support_grants import active_grants

from .deps import Db, ServiceCaller

router = APIRouter(prefix="/v1/internal", tags=["internal"], include_in_schema=False)


@router.get("/support-grants/active", response_model=ActiveGrants)
async def active_support_grants(caller: ServiceCaller, db: Db) -> ActiveGrants:
    """Every grant in force now, across municipalities (the gateway polls this)."""
    generated_at = datetime.now(UTC)
    async with db.platform_transaction() as session:
        rows = await active_grants(session)
    return ActiveGrants(generated_at=generated_at, grants=[
        ActiveGrant(grant_id=r.grant_id, grantor_municipality=r.grantor_municipality,
                    grantee_subject=r.grantee_subject,
                    grantee_municipality=r.grantee_municipality, scopes=sorted(r.scopes),
                    valid_from=r.valid_from, valid_until=r.valid_until) for r in rows])


@router.get("/municipalities", response_model=InternalMunicipalities)
async def municipality_origins(caller: ServiceCaller, db: Db) -> InternalMunicipalities:
    """Each municipality's CORS origins, for the gateway's allow-list."""
    generated_at = datetime.now(UTC)
    async with db.platform_transaction() as session:
        rows = await list_municipalities(session)
    return InternalMunicipalities(generated_at=generated_at, municipalities=[
        MunicipalityOrigins(code=r.code,
                            cors_origins=TenantConfig.model_validate(r.config).cors_origins)
        for r in rows])
