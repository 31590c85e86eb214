"""Staff accounts, managed by their municipality's tenant admin; own password by oneself."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from kyodo_common.auth import Principal
from kyodo_common.errors import Conflict, Forbidden, NotFound, PreconditionFailed, RuleBroken
from kyodo_identity.adapters.store import IdentityStore
from kyodo_identity.domain.passwords import check_password as check_password_rules
from kyodo_identity.domain.roles import known_roles
from kyodo_identity.service_layer.credentials import UNKNOWN_OR_WRONG
from kyodo_identity.service_layer.passwords import Verifier, hasher
from kyodo_identity.service_layer.revocations import revoke_subject


class PasswordRefused(Forbidden):
    """The current password a staff member gave to change it is wrong."""

    title, kind = "Password refused", "password-refused"

    def __init__(self, reason: str) -> None:
        super().__init__(reason, invalid_params=[{"name": "current_password",
                                                  "reason": reason}])


def precondition_failed() -> PreconditionFailed:
    return PreconditionFailed("the resource changed since it was read; read it again",
                              invalid_params=[{"name": "If-Match", "reason": "stale version"}])


async def create_staff(store: IdentityStore, *, login: str, password: str, roles: list[str],
                       now: datetime) -> Any:
    roles = known_roles(roles)
    check_password_rules(password, login=login, field="initial_password")
    row = await store.add_staff(staff_id=uuid.uuid4(), login=login,
                                password_hash=hasher.hash(password), roles=roles, now=now)
    if row is None:
        raise Conflict(f"the login {login!r} is taken in this municipality")
    return row


async def _locked_row(store: IdentityStore, staff_id: uuid.UUID,
                      expected_version: int | None) -> Any:
    row = await store.staff_locked(staff_id)
    if row is None:
        raise NotFound("the staff member")
    if expected_version is not None and row.version != expected_version:
        raise precondition_failed()
    return row


async def change_roles(store: IdentityStore, *, actor: Principal, staff_id: uuid.UUID,
                       roles: list[str], expected_version: int | None) -> tuple[Any, bool]:
    """The row, and whether it changed (the same roles again change nothing)."""
    roles = known_roles(roles)
    row = await _locked_row(store, staff_id, expected_version)
    if row.disabled_at is not None:
        raise Conflict("the staff member is disabled")
    if sorted(row.roles) == roles:
        return row, False
    if str(staff_id) == actor.subject and "tenant_admin" not in roles:
        raise Conflict("you cannot take away your own tenant_admin role")
    return await store.change_staff(staff_id, roles=roles), True


async def disable_staff(store: IdentityStore, *, actor: Principal, staff_id: uuid.UUID,
                        now: datetime, token_lifetime: timedelta) -> Any:
    """The account can no longer log in, and its sessions end: its refresh tokens at once,
    its access tokens at the gateway within two seconds (ADR 0003)."""
    row = await _locked_row(store, staff_id, None)
    if row.disabled_at is not None:
        raise Conflict("the staff member is already disabled")
    if str(staff_id) == actor.subject:
        raise Conflict("you cannot disable your own account")
    updated = await store.change_staff(staff_id, disabled_at=now)
    await store.revoke_staff_sessions(staff_id, now)
    await revoke_subject(store, municipality_code=store.work.municipality_code,
                         subject=str(staff_id), now=now, token_lifetime=token_lifetime)
    return updated


async def change_own_password(store: IdentityStore, *, principal: Principal, current: str,
                              new: str, hashing: Verifier, now: datetime) -> Any:
    """The staff member proves the current password (PasswordRefused if wrong: the caller
    audits the failed attempt), and their other sessions end."""
    row = await store.staff_locked(uuid.UUID(principal.subject))
    if row is None or row.disabled_at is not None:
        raise Forbidden("the account is not active")
    if not await hashing.verify(row.password_hash, current):
        raise PasswordRefused(UNKNOWN_OR_WRONG)
    check_password_rules(new, login=row.login, field="new_password")
    if new == current:
        raise RuleBroken("the new password equals the current one",
                         invalid_params=[{"name": "new_password", "reason": "unchanged"}])
    await store.change_staff(row.id, password_hash=hasher.hash(new), password_changed_at=now)
    # Other sessions end: whoever else held a refresh token must now know the new password.
    await store.revoke_staff_sessions(row.id, now)
    return row

