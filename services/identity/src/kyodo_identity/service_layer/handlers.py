"""One handler per identity command: the use case, and what the caller is answered.

A handler gets its command and the unit of work (``uow.store``, ``uow.directory``), changes
things, records the events, and returns the answer with the audit entries it owes;
kyodo_common.write_pipeline claims the key, writes the entries and the answer, and commits.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from kyodo_common.crypto import Sealer
from kyodo_common.write_pipeline import Access, Outcome
from kyodo_identity.api.schemas.clients import ClientCreated, ClientPublic, SecretRotated
from kyodo_identity.api.schemas.grants import GrantPublic
from kyodo_identity.api.schemas.municipalities import MunicipalityPublic
from kyodo_identity.api.schemas.staff import StaffPublic
from kyodo_identity.service_layer import clients, keys, municipalities, staff, support_grants
from kyodo_identity.service_layer import commands as c
from kyodo_identity.service_layer.passwords import Verifier
from kyodo_identity.service_layer.refresh import end_own_session
from kyodo_identity.service_layer.revocations import revoke_token


def _now() -> datetime:
    return datetime.now(UTC)


def _staff(row: Any, uow: Any, *, result: Any = "done",
           accesses: list[Access] | None = None) -> Outcome:
    body = StaffPublic.from_row(row).model_dump(mode="json")
    location = f"/v1/municipalities/{uow.municipality_code}/identity/staff/{row.id}" \
        if result == "created" else None
    return Outcome(body, result=result, accesses=accesses or (), location=location,
                   version=row.version)


async def create_staff(command: c.CreateStaff, uow: Any) -> Outcome:
    row = await staff.create_staff(uow.store, login=command.login, password=command.password,
                                   roles=command.roles, now=_now())
    return _staff(row, uow, result="created", accesses=[
        Access("staff.created", "staff", [str(row.id)], ["login", "roles"])])


async def change_roles(command: c.ChangeRoles, uow: Any) -> Outcome:
    row, changed = await staff.change_roles(uow.store, actor=command.actor,
                                            staff_id=command.staff_id, roles=command.roles,
                                            expected_version=command.expected_version)
    return _staff(row, uow, accesses=[
        Access("staff.roles_changed", "staff", [str(row.id)], ["roles"])] if changed else [])


async def disable_staff(command: c.DisableStaff, uow: Any) -> Outcome:
    row = await staff.disable_staff(
        uow.store, actor=command.actor, staff_id=command.staff_id, now=_now(),
        token_lifetime=timedelta(seconds=command.token_lifetime_seconds))
    return _staff(row, uow, accesses=[
        Access("staff.disabled", "staff", [str(row.id)], ["disabled_at"])])


class ChangeOwnPassword:
    """The staff member's own password, checked on the login's hashing pool."""

    def __init__(self, hashing: Verifier) -> None:
        self.hashing = hashing

    async def __call__(self, command: c.ChangeOwnPassword, uow: Any) -> Outcome:
        row = await staff.change_own_password(uow.store, principal=command.actor,
                                              current=command.current, new=command.new,
                                              hashing=self.hashing, now=_now())
        return Outcome(None, accesses=[
            Access("staff.password_changed", "staff", [str(row.id)], ["password"])])


async def record_refused_password(command: c.RecordRefusedPassword, uow: Any) -> Outcome:
    """Run as the anonymous caller of a failed login (the entry a wrong password leaves)."""
    return Outcome(None, accesses=[Access("login.failed", "staff", [command.staff_id], [])])


async def log_out(command: c.LogOut, uow: Any) -> Outcome:
    now = _now()
    me = command.actor
    if command.refresh_token is not None:
        await end_own_session(uow.store, staff_id=me.subject, token=command.refresh_token,
                              now=now)
    await revoke_token(uow.store, principal=me, now=now)
    return Outcome(None, accesses=[Access("session.logged_out", me.kind, [me.subject], [])])


async def _client_public(uow: Any, client_id: str) -> ClientPublic:
    found = await uow.store.client(client_id)
    assert found is not None
    return ClientPublic.from_rows(*found)


async def register_client(command: c.RegisterClient, uow: Any) -> Outcome:
    issued = await clients.create_client(uow.store, created_by=command.actor.subject,
                                         name=command.name, scopes=command.scopes, now=_now())
    body = ClientCreated(client_id=issued.client_id, client_secret=issued.secret,
                         client=await _client_public(uow, issued.client_id))
    return Outcome(body.model_dump(mode="json"), result="created", accesses=[
        Access("client.created", "client", [issued.client_id], ["name", "scopes"])],
        location=f"/v1/municipalities/{uow.municipality_code}/identity/clients/"
                 f"{issued.client_id}")


async def rotate_client_secret(command: c.RotateClientSecret, uow: Any) -> Outcome:
    issued = await clients.rotate_secret(uow.store, client_id=command.client_id,
                                         overlap=timedelta(seconds=command.overlap_seconds),
                                         now=_now())
    body = SecretRotated(client_id=command.client_id, client_secret=issued.secret,
                         previous_secrets_valid_until=issued.previous_valid_until)
    return Outcome(body.model_dump(mode="json"), result="created", accesses=[
        Access("client.secret_rotated", "client", [command.client_id], ["secret"])])


async def revoke_client(command: c.RevokeClient, uow: Any) -> Outcome:
    await clients.revoke_client(uow.store, client_id=command.client_id, now=_now())
    body = (await _client_public(uow, command.client_id)).model_dump(mode="json")
    return Outcome(body, accesses=[
        Access("client.revoked", "client", [command.client_id], ["revoked_at"])])


async def grant_support(command: c.GrantSupport, uow: Any) -> Outcome:
    now = _now()
    row = await support_grants.create_grant(uow, actor=command.actor, ref=command.grantee,
                                            new=command.grant, now=now)
    return Outcome(GrantPublic.from_row(row, now=now).model_dump(mode="json"),
                   result="created", accesses=[
        Access("grant.created", "support_grant", [str(row.id)],
               ["grantee", "scopes", "valid_from", "valid_until"])],
        location=f"/v1/municipalities/{uow.municipality_code}/identity/support-grants/{row.id}")


async def revoke_support_grant(command: c.RevokeSupportGrant, uow: Any) -> Outcome:
    now = _now()
    row = await support_grants.revoke_grant(uow, actor=command.actor, grant_id=command.grant_id,
                                            now=now)
    return Outcome(GrantPublic.from_row(row, now=now).model_dump(mode="json"), accesses=[
        Access("grant.revoked", "support_grant", [str(row.id)], ["revoked_at"])])


def _municipality(row: Any, **outcome: Any) -> Outcome:
    return Outcome(MunicipalityPublic.from_row(row).model_dump(mode="json"),
                   version=row.version, **outcome)


async def add_municipality(command: c.AddMunicipality, uow: Any) -> Outcome:
    row, admin_id = await municipalities.create_municipality(
        uow, details=command.details, admin=command.admin, now=_now())
    code = uow.municipality_code
    accesses = [Access("municipality.created", "municipality", [code],
                       ["name", "name_en", "prefecture", "config"])]
    if admin_id is not None:
        accesses.append(Access("staff.created", "staff", [str(admin_id)], ["login", "roles"]))
    return _municipality(row, result="created", accesses=accesses,
                         location=f"/v1/platform/municipalities/{code}")


async def configure_municipality(command: c.ConfigureMunicipality, uow: Any) -> Outcome:
    row, changed = await municipalities.update_municipality(
        uow, details=command.details, expected_version=command.expected_version, now=_now())
    return _municipality(row, accesses=[
        Access("municipality.changed", "municipality", [uow.municipality_code], changed)]
        if changed else [])


class RotateSigningKeys:
    """A new signing key, sealed with identity's key-encryption key."""

    def __init__(self, sealer: Sealer) -> None:
        self.sealer = sealer

    async def __call__(self, command: c.RotateSigningKeys, uow: Any) -> Outcome:
        rotation = await keys.rotate_keys(uow.store, self.sealer, now=_now(), retire_after=
                                          timedelta(seconds=command.retire_after_seconds))
        body = {"kid": rotation.kid,
                "retiring": [{"kid": kid, "retired_at": at.isoformat()}
                             for kid, at in rotation.retiring]}
        return Outcome(body, result="created", accesses=[
            Access("key.rotated", "signing_key", [rotation.kid], [])])
