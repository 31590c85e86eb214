"""Identity's handlers through the write pipeline, on identity in memory
(kyodo_identity.testing): no PostgreSQL, milliseconds each. A refused command raises its domain
error and leaves the tables, the events and the access log as they were."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from kyodo_identity_events import MunicipalityConfigured, SupportGrantCreated, SupportGrantRevoked
from kyodo_identity_events.tenant_config import TenantConfig

from kyodo_common.assertion import Acting
from kyodo_common.auth import Principal
from kyodo_common.crypto import Sealer, new_secret_key
from kyodo_common.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    RuleBroken,
)
from kyodo_common.idempotency import StoredResponse
from kyodo_common.testing import FakeUnitOfWork, MemoryKeys
from kyodo_common.write_pipeline import Command, Handler, WritePipeline
from kyodo_identity.api.deps import SecretlessKeys
from kyodo_identity.domain.opaque import digest
from kyodo_identity.domain.platform import PLATFORM_CODE
from kyodo_identity.service_layer import commands as c
from kyodo_identity.service_layer import handlers
from kyodo_identity.service_layer.keys import PURPOSE
from kyodo_identity.service_layer.municipalities import MunicipalityDetails
from kyodo_identity.service_layer.staff import PasswordRefused
from kyodo_identity.service_layer.support_grants import GranteeRef, NewGrant
from kyodo_identity.testing import CONFIG, NAGAOKA, SANJO, FakeIdentity, FakeIdentityUnitOfWork

PASSWORD = "long-enough-password-1"


def _principal(subject: str, home: str, kind: str = "staff") -> Principal:
    return Principal(subject=subject, home_municipality=home, kind=kind, roles=frozenset(),
                     scopes=frozenset(), expires_at=datetime.now(UTC).timestamp() + 600,
                     token_id=uuid.uuid4().hex)


class Desk:
    """The pipeline on identity in memory, as Sanjo's tenant admin (or an operator) calls it."""

    def __init__(self) -> None:
        self.identity = FakeIdentity()
        self.identity.add_municipality(SANJO, "三条市")
        self.identity.add_municipality(NAGAOKA, "長岡市")
        self.admin_row = self.identity.add_staff(SANJO, "kanri", roles=("tenant_admin",))
        self.admin = _principal(str(self.admin_row.id), SANJO)
        self.uows: list[FakeIdentityUnitOfWork] = []
        self.pipeline = WritePipeline(None, source="kyodo/identity", keys=MemoryKeys(),
                                      unit_of_work=self._uow)

    def _uow(self, code: str) -> FakeIdentityUnitOfWork:
        uow = self.identity.unit_of_work(code)
        self.uows.append(uow)
        return uow

    async def run(self, command: Command, handler: Handler[Any], *,
                  principal: Principal | None = None, code: str = SANJO) -> StoredResponse:
        principal = principal or self.admin
        acting = Acting(principal=principal, municipality=code, scopes=frozenset(),
                        grant_id=None, expires_at=principal.expires_at)
        return await self.pipeline.answer(command, handler, acting=acting,
                                          key=str(uuid.uuid4()),
                                          fingerprint=(type(command).__name__, repr(command)))

    @property
    def events(self) -> list[Any]:
        return [e for uow in self.uows for e in uow.committed_events]

    @property
    def accesses(self) -> list[Any]:
        return [row for uow in self.uows for row in uow.committed_rows("access_log")]

    async def refused(self, error: type[DomainError], command: Command,
                      handler: Handler[Any], **how: Any) -> DomainError:
        """Runs a command that must be refused; nothing may change."""
        before = repr(self.identity.tables)
        events, accesses = len(self.events), len(self.accesses)
        with pytest.raises(error) as refusal:
            await self.run(command, handler, **how)
        assert repr(self.identity.tables) == before
        assert (len(self.events), len(self.accesses)) == (events, accesses)
        return refusal.value


def _field(error: DomainError) -> str:
    return error.invalid_params[0]["name"]


async def test_a_new_staff_member_is_created_with_location_etag_and_an_audit_entry() -> None:
    desk = Desk()
    answer = await desk.run(c.CreateStaff(login="tanaka", password=PASSWORD,
                                          roles=["counter_clerk"]), handlers.create_staff)
    assert answer.status == 201
    staff_id = answer.body["id"]
    assert answer.headers == {"Location": f"/v1/municipalities/{SANJO}/identity/staff/{staff_id}",
                              "ETag": 'W/"1"'}
    row = desk.identity.tables.staff[uuid.UUID(staff_id)]
    assert row.login == "tanaka" and row.password_hash != PASSWORD
    assert [(a["action"], a["subject_id"], a["actor"]) for a in desk.accesses] == [
        ("staff.created", staff_id, str(desk.admin_row.id))]


@pytest.mark.parametrize(("login", "password", "roles", "error", "field"), [
    ("kanri", PASSWORD, ["counter_clerk"], Conflict, None),
    ("tanaka", "short", ["counter_clerk"], InvalidInput, "initial_password"),
    ("tanaka", PASSWORD, ["mayor"], InvalidInput, "roles"),
])
async def test_a_staff_member_is_refused_for_a_taken_login_a_weak_password_or_a_role(
        login: str, password: str, roles: list[str], error: type[DomainError],
        field: str | None) -> None:
    desk = Desk()
    refusal = await desk.refused(error, c.CreateStaff(login=login, password=password,
                                                      roles=roles), handlers.create_staff)
    if field is not None:
        assert _field(refusal) == field


async def test_roles_change_with_the_version_read_and_not_when_stale() -> None:
    desk = Desk()
    member = desk.identity.add_staff(SANJO, "suzuki")
    await desk.refused(PreconditionFailed, c.ChangeRoles(
        actor=desk.admin, staff_id=member.id, roles=["auditor"], expected_version=7),
        handlers.change_roles)
    answer = await desk.run(c.ChangeRoles(actor=desk.admin, staff_id=member.id,
                                          roles=["auditor"], expected_version=1),
                            handlers.change_roles)
    assert answer.body["roles"] == ["auditor"] and answer.headers == {"ETag": 'W/"2"'}
    same = await desk.run(c.ChangeRoles(actor=desk.admin, staff_id=member.id,
                                        roles=["auditor"], expected_version=None),
                          handlers.change_roles)
    assert same.body["version"] == 2  # the same roles again change nothing, and log nothing
    assert [a["action"] for a in desk.accesses] == ["staff.roles_changed"]


async def test_an_admin_cannot_take_away_their_own_admin_role_nor_disable_themselves() -> None:
    desk = Desk()
    await desk.refused(Conflict, c.ChangeRoles(actor=desk.admin, staff_id=desk.admin_row.id,
                                               roles=["counter_clerk"], expected_version=None),
                       handlers.change_roles)
    await desk.refused(Conflict, c.DisableStaff(actor=desk.admin, staff_id=desk.admin_row.id,
                                                token_lifetime_seconds=600),
                       handlers.disable_staff)


async def test_disabling_ends_the_sessions_and_revokes_the_access_tokens() -> None:
    desk = Desk()
    member = desk.identity.add_staff(SANJO, "suzuki")
    family = uuid.uuid4()
    desk.identity.tables.refresh_tokens["h"] = SimpleNamespace(
        token_hash="h", municipality_code=SANJO, staff_id=member.id, family_id=family,
        revoked_at=None)
    answer = await desk.run(c.DisableStaff(actor=desk.admin, staff_id=member.id,
                                           token_lifetime_seconds=600), handlers.disable_staff)
    assert answer.body["disabled"] is True
    tables = desk.identity.tables
    assert tables.refresh_tokens["h"].revoked_at is not None
    assert [(r.subject, r.token_id) for r in tables.revocations] == [(str(member.id), None)]
    await desk.refused(Conflict, c.DisableStaff(actor=desk.admin, staff_id=member.id,
                                                token_lifetime_seconds=600),
                       handlers.disable_staff)
    await desk.refused(NotFound, c.DisableStaff(actor=desk.admin, staff_id=uuid.uuid4(),
                                                token_lifetime_seconds=600),
                       handlers.disable_staff)


def _grant(*, days: int = 30, disaster_ref: str | None = None) -> NewGrant:
    return NewGrant(scopes=["residents:read"], valid_from=None,
                    valid_until=datetime.now(UTC) + timedelta(days=days),
                    disaster_ref=disaster_ref, note=None)


async def test_a_support_grant_is_created_and_revoked_with_its_events() -> None:
    desk = Desk()
    helper = desk.identity.add_staff(NAGAOKA, "ouen")
    ref = GranteeRef(municipality_code=NAGAOKA, login="ouen", staff_id=None)
    created = await desk.run(c.GrantSupport(actor=desk.admin, grantee=ref, grant=_grant()),
                             handlers.grant_support)
    assert created.status == 201 and created.body["status"] == "active"
    grant_id = uuid.UUID(created.body["id"])
    assert created.headers == {
        "Location": f"/v1/municipalities/{SANJO}/identity/support-grants/{grant_id}"}
    [event] = desk.events
    assert isinstance(event, SupportGrantCreated)
    assert (event.grantee_subject, event.grantee_municipality) == (str(helper.id), NAGAOKA)

    revoked = await desk.run(c.RevokeSupportGrant(actor=desk.admin, grant_id=grant_id),
                             handlers.revoke_support_grant)
    assert revoked.body["status"] == "revoked"
    assert isinstance(desk.events[-1], SupportGrantRevoked)
    assert [a["action"] for a in desk.accesses] == ["grant.created", "grant.revoked"]
    await desk.refused(Conflict, c.RevokeSupportGrant(actor=desk.admin, grant_id=grant_id),
                       handlers.revoke_support_grant)
    await desk.refused(NotFound, c.RevokeSupportGrant(actor=desk.admin, grant_id=uuid.uuid4()),
                       handlers.revoke_support_grant)


@pytest.mark.parametrize(("ref", "grant", "field"), [
    (GranteeRef(SANJO, "kanri", None), _grant(), "grantee.municipality_code"),
    (GranteeRef("011002", "ouen", None), _grant(), "grantee.municipality_code"),
    (GranteeRef(NAGAOKA, "nobody", None), _grant(), "grantee.login"),
    (GranteeRef(NAGAOKA, "retired", None), _grant(), "grantee.login"),
    (GranteeRef(NAGAOKA, "ouen", None), _grant(days=91), "valid_until"),
])
async def test_a_grant_is_refused_naming_the_field_at_fault(ref: GranteeRef, grant: NewGrant,
                                                            field: str) -> None:
    desk = Desk()
    desk.identity.add_staff(NAGAOKA, "ouen")
    desk.identity.add_staff(NAGAOKA, "retired", disabled=True)
    refusal = await desk.refused(InvalidInput, c.GrantSupport(actor=desk.admin, grantee=ref,
                                                              grant=grant),
                                 handlers.grant_support)
    assert _field(refusal) == field


async def test_an_operator_grants_only_naming_a_disaster_the_town_declared() -> None:
    desk = Desk()
    desk.identity.add_staff(NAGAOKA, "ouen")
    operator = _principal(str(uuid.uuid4()), PLATFORM_CODE, kind="operator")
    ref = GranteeRef(NAGAOKA, "ouen", None)
    declared = uuid.uuid4()
    desk.identity.tables.declared_disasters.add((SANJO, declared))
    for disaster_ref in (None, "not-an-id", str(uuid.uuid4())):
        refusal = await desk.refused(InvalidInput, c.GrantSupport(
            actor=operator, grantee=ref, grant=_grant(disaster_ref=disaster_ref)),
            handlers.grant_support, principal=operator)
        assert _field(refusal) == "disaster_ref"
    created = await desk.run(c.GrantSupport(actor=operator, grantee=ref,
                                            grant=_grant(disaster_ref=str(declared))),
                             handlers.grant_support, principal=operator)
    assert created.body["disaster_ref"] == str(declared)


def _details(name: str = "見附市") -> MunicipalityDetails:
    return MunicipalityDetails(name=name, name_en="Mitsuke", prefecture="新潟県",
                               config=TenantConfig.model_validate(CONFIG))


async def test_a_municipality_joins_with_its_first_admin_and_is_announced() -> None:
    desk = Desk()
    operator = _principal(str(uuid.uuid4()), PLATFORM_CODE, kind="operator")
    mitsuke = "152111"
    answer = await desk.run(c.AddMunicipality(details=_details(), admin=("kanri", PASSWORD)),
                            handlers.add_municipality, principal=operator, code=mitsuke)
    assert answer.status == 201
    assert answer.headers == {"Location": f"/v1/platform/municipalities/{mitsuke}",
                              "ETag": 'W/"1"'}
    [event] = desk.events
    assert isinstance(event, MunicipalityConfigured) and event.code == mitsuke
    assert [a["action"] for a in desk.accesses] == ["municipality.created", "staff.created"]
    assert [s.login for s in desk.identity.tables.staff.values()
            if s.municipality_code == mitsuke] == ["kanri"]
    await desk.refused(Conflict, c.AddMunicipality(details=_details(), admin=None),
                       handlers.add_municipality, principal=operator, code=mitsuke)


async def test_a_municipality_with_a_weak_admin_password_is_not_added() -> None:
    desk = Desk()
    operator = _principal(str(uuid.uuid4()), PLATFORM_CODE, kind="operator")
    refusal = await desk.refused(InvalidInput, c.AddMunicipality(
        details=_details(), admin=("kanri", "short")), handlers.add_municipality,
        principal=operator, code="152111")
    assert _field(refusal) == "admin.initial_password"


async def test_configuring_announces_a_change_and_only_a_change() -> None:
    desk = Desk()
    operator = _principal(str(uuid.uuid4()), PLATFORM_CODE, kind="operator")
    await desk.refused(PreconditionFailed, c.ConfigureMunicipality(
        details=_details("三条"), expected_version=5), handlers.configure_municipality,
        principal=operator)
    changed = await desk.run(c.ConfigureMunicipality(details=_details("三条"),
                                                     expected_version=1),
                             handlers.configure_municipality, principal=operator)
    assert changed.body["version"] == 2 and changed.headers == {"ETag": 'W/"2"'}
    again = await desk.run(c.ConfigureMunicipality(details=_details("三条"),
                                                   expected_version=None),
                           handlers.configure_municipality, principal=operator)
    assert again.body["version"] == 2
    assert len(desk.events) == 1
    [entry] = desk.accesses
    assert entry["action"] == "municipality.changed"
    assert entry["fields"] == ["name", "name_en"]


async def test_a_client_is_registered_rotated_and_revoked() -> None:
    desk = Desk()
    created = await desk.run(c.RegisterClient(actor=desk.admin, name="連携", scopes=["tax:read"]),
                             handlers.register_client)
    client_id, secret = created.body["client_id"], created.body["client_secret"]
    assert created.status == 201 and secret
    assert created.headers == {
        "Location": f"/v1/municipalities/{SANJO}/identity/clients/{client_id}"}
    [stored] = desk.identity.tables.client_secrets
    assert stored.secret_hash != secret  # only its hash is kept

    rotated = await desk.run(c.RotateClientSecret(client_id=client_id, overlap_seconds=3600),
                             handlers.rotate_client_secret)
    old, new = desk.identity.tables.client_secrets
    assert old.expires_at is not None and new.expires_at is None
    assert rotated.body["client_secret"] not in (None, secret)

    await desk.run(c.RevokeClient(client_id=client_id), handlers.revoke_client)
    assert all(s.expires_at is not None for s in desk.identity.tables.client_secrets)
    await desk.refused(Conflict, c.RotateClientSecret(client_id=client_id, overlap_seconds=60),
                       handlers.rotate_client_secret)
    await desk.refused(NotFound, c.RevokeClient(client_id="152048-nobody"),
                       handlers.revoke_client)
    assert [a["action"] for a in desk.accesses] == [
        "client.created", "client.secret_rotated", "client.revoked"]


async def test_a_client_with_a_scope_partners_may_not_have_is_refused() -> None:
    desk = Desk()
    refusal = await desk.refused(InvalidInput, c.RegisterClient(
        actor=desk.admin, name="連携", scopes=["staff:manage"]), handlers.register_client)
    assert _field(refusal) == "scopes"


def test_the_stored_answer_of_a_new_client_keeps_no_secret() -> None:
    uow = FakeUnitOfWork(SANJO)
    SecretlessKeys().remember(uow, caller="c", key="k", answer=StoredResponse(
        201, {"client_id": "x", "client_secret": "s3cret"}, {}))
    [row] = uow.staged.rows("idempotency_keys")
    assert row["body"] == {"client_id": "x", "client_secret": None}


class Hashes:
    """A password check with one right password."""

    async def verify(self, password_hash: str | None, password: str) -> bool:
        return password == PASSWORD


async def test_a_wrong_current_password_changes_nothing() -> None:
    desk = Desk()
    me = desk.admin
    await desk.refused(PasswordRefused, c.ChangeOwnPassword(
        actor=me, current="wrong-password-0", new="another-password-2"),
        handlers.ChangeOwnPassword(Hashes()), principal=me)
    refusal = await desk.refused(RuleBroken, c.ChangeOwnPassword(
        actor=me, current=PASSWORD, new=PASSWORD), handlers.ChangeOwnPassword(Hashes()),
        principal=me)
    assert _field(refusal) == "new_password"
    await desk.run(c.ChangeOwnPassword(actor=me, current=PASSWORD, new="another-password-2"),
                   handlers.ChangeOwnPassword(Hashes()), principal=me)
    assert desk.identity.tables.staff[desk.admin_row.id].password_changed_at is not None
    assert [a["action"] for a in desk.accesses] == ["staff.password_changed"]


async def test_logging_out_revokes_the_token_and_only_the_callers_own_session() -> None:
    desk = Desk()
    me = desk.admin
    other = desk.identity.add_staff(SANJO, "suzuki")
    desk.identity.tables.refresh_tokens[digest("theirs")] = SimpleNamespace(
        token_hash=digest("theirs"), municipality_code=SANJO, staff_id=other.id,
        family_id=uuid.uuid4(), revoked_at=None)
    refusal = await desk.refused(InvalidInput, c.LogOut(actor=me, refresh_token="theirs"),
                                 handlers.log_out, principal=me)
    assert _field(refusal) == "refresh_token"
    await desk.run(c.LogOut(actor=me, refresh_token=None), handlers.log_out, principal=me)
    assert [r.token_id for r in desk.identity.tables.revocations] == [me.token_id]
    assert [a["action"] for a in desk.accesses] == ["session.logged_out"]


async def test_rotating_the_signing_keys_retires_the_old_one() -> None:
    desk = Desk()
    operator = _principal(str(uuid.uuid4()), PLATFORM_CODE, kind="operator")
    handler = handlers.RotateSigningKeys(Sealer(new_secret_key(), PURPOSE))
    first = await desk.run(c.RotateSigningKeys(retire_after_seconds=900), handler,
                           principal=operator, code=PLATFORM_CODE)
    second = await desk.run(c.RotateSigningKeys(retire_after_seconds=900), handler,
                            principal=operator, code=PLATFORM_CODE)
    assert [r["kid"] for r in second.body["retiring"]] == [first.body["kid"]]
    keys = desk.identity.tables.signing_keys
    assert keys[second.body["kid"]].retired_at is None
    assert b"PRIVATE KEY" not in keys[second.body["kid"]].private_key  # sealed at rest
