"""Support grants: a stricken municipality lends named staff of another one scoped rights."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from kyodo_identity_events import SupportGrantCreated, SupportGrantRevoked

from kyodo_common.auth import Principal
from kyodo_common.errors import Conflict, InvalidInput, NotFound
from kyodo_identity.domain.platform import OPERATOR_KIND
from kyodo_identity.domain.support_grant import check_window, grantable


class Directory(Protocol):
    """Other municipalities' staff, read in their own scope (adapters.directory)."""

    async def municipality_known(self, code: str) -> bool: ...

    async def staff_member(self, municipality_code: str, *, login: str | None,
                           staff_id: uuid.UUID | None) -> Any: ...


@dataclass(frozen=True)
class GranteeRef:
    """The staff member a grant names: by login or by id, in their municipality."""

    municipality_code: str
    login: str | None
    staff_id: uuid.UUID | None


@dataclass(frozen=True)
class Grantee:
    staff_id: uuid.UUID
    municipality_code: str
    login: str


@dataclass(frozen=True)
class NewGrant:
    scopes: list[str]
    valid_from: datetime | None  # None: from now
    valid_until: datetime
    disaster_ref: str | None
    note: str | None


async def resolve_grantee(directory: Directory, *, grantor: str, ref: GranteeRef) -> Grantee:
    """The named staff member, read in their own municipality's scope (RLS still applies)."""
    if ref.municipality_code == grantor:
        raise InvalidInput("grantee.municipality_code",
                           "staff of the granting municipality need no grant")
    if not await directory.municipality_known(ref.municipality_code):
        raise InvalidInput("grantee.municipality_code", "no such municipality on the platform")
    row = await directory.staff_member(ref.municipality_code, login=ref.login,
                                       staff_id=ref.staff_id)
    if row is None or row.disabled_at is not None:
        field = "grantee.login" if ref.staff_id is None else "grantee.staff_id"
        raise InvalidInput(field, "no active staff member of that municipality")
    return Grantee(staff_id=row.id, municipality_code=ref.municipality_code, login=row.login)


async def _require_declared(store: Any, disaster_ref: str | None) -> None:
    if not disaster_ref:
        raise InvalidInput("disaster_ref", "an operator's grant names the declared disaster")
    try:
        disaster_id = uuid.UUID(disaster_ref)
    except ValueError:
        raise InvalidInput("disaster_ref", "the id of a disaster the municipality declared "
                                           "(disaster service)") from None
    if not await store.disaster_declared(disaster_id):  # this tenant's only (RLS)
        raise InvalidInput("disaster_ref", "the municipality has declared no such disaster")


async def create_grant(uow: Any, *, actor: Principal, ref: GranteeRef, new: NewGrant,
                       now: datetime) -> Any:
    grantee = await resolve_grantee(uow.directory, grantor=uow.municipality_code, ref=ref)
    scopes = grantable(new.scopes)
    valid_from = new.valid_from or now
    check_window(valid_from, new.valid_until, now=now)
    if actor.kind == OPERATOR_KIND:
        # An operator grants for a municipality only after a disaster it declared, named by id.
        await _require_declared(uow.store, new.disaster_ref)
    grant_id = uuid.uuid4()
    row = await uow.store.add_grant(
        id=grant_id, grantee_staff_id=grantee.staff_id,
        grantee_municipality=grantee.municipality_code, grantee_login=grantee.login,
        scopes=scopes, valid_from=valid_from, valid_until=new.valid_until,
        disaster_ref=new.disaster_ref, note=new.note, created_at=now,
        created_by=actor.subject)
    uow.record(SupportGrantCreated(
        grant_id=grant_id, grantor_municipality=uow.municipality_code,
        grantee_subject=str(grantee.staff_id), grantee_municipality=grantee.municipality_code,
        scopes=scopes, valid_from=valid_from, valid_until=new.valid_until,
        disaster_ref=new.disaster_ref))
    return row


async def revoke_grant(uow: Any, *, actor: Principal, grant_id: uuid.UUID,
                       now: datetime) -> Any:
    row = await uow.store.grant_locked(grant_id)
    if row is None:
        raise NotFound("the support grant")
    if row.revoked_at is not None:
        raise Conflict("the support grant is already revoked")
    updated = await uow.store.revoke_grant(grant_id, now=now, by=actor.subject)
    uow.record(SupportGrantRevoked(
        grant_id=grant_id, grantor_municipality=uow.municipality_code,
        grantee_subject=str(row.grantee_staff_id),
        grantee_municipality=row.grantee_municipality, revoked_at=now))
    return updated
