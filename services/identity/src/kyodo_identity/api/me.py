"""Who the caller is and for which municipalities they may act now (the counter app's header
and its switch between home and the towns that lent them rights)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, Field

from kyodo_identity.adapters import views

from .deps import Db, StaffMember

router = APIRouter(prefix="/v1/auth", tags=["auth"])


class HeldGrant(BaseModel):
    """A support grant in force that lends the caller rights in the grantor's name."""

    grant_id: UUID = Field(description="The support grant's id (支援協定)")
    grantor_municipality: str = Field(
        description="The lending municipality's code (全国地方公共団体コード)")
    grantor_name: str = Field(description="The lending municipality's name, e.g. 三条市")
    scopes: list[str] = Field(description="The scopes the grant lends in the grantor's name")
    valid_from: datetime = Field(description="When the grant came into force")
    valid_until: datetime = Field(description="When the grant ends")


class Me(BaseModel):
    subject: str = Field(description="The staff member's subject (their login's id)")
    home_municipality: str = Field(
        description="The code of the municipality that employs them (全国地方公共団体コード)")
    home_name: str = Field(description="That municipality's name, e.g. 長岡市")
    roles: list[str] = Field(description="Their roles at home")
    scopes: list[str] = Field(description="The scopes their roles give at home")
    grants: list[HeldGrant] = Field(
        description="The support grants in force that lend them rights elsewhere, "
                    "soonest ending first")


@router.get("/me", response_model=Me)
async def me(caller: StaffMember, db: Db) -> Me:
    """The caller's own roles and scopes, and the grants they hold in force now, soonest
    ending first; a revoked or ended grant is not listed."""
    async with db.platform_transaction() as session:
        held = await views.grants_held(session, holder=UUID(caller.subject),
                                       home=caller.home_municipality)
        home_name = await views.municipality_name(session, caller.home_municipality)
    return Me(subject=caller.subject, home_municipality=caller.home_municipality,
              home_name=home_name, roles=sorted(caller.roles), scopes=sorted(caller.scopes),
              grants=[HeldGrant(grant_id=r.grant_id, grantor_municipality=r.grantor_municipality,
                                grantor_name=r.grantor_name or "", scopes=sorted(r.scopes),
                                valid_from=r.valid_from, valid_until=r.valid_until)
                      for r in held])
