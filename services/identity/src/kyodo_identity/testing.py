"""Identity in memory for handler tests without PostgreSQL (dev-only: nothing in the service
imports it). ``FakeIdentity`` is the database, ``FakeIdentityUnitOfWork`` a transaction on it:
its store works on a copy of the tables that replaces them at ``commit`` (so a handler reads
its own writes, and a refused command leaves nothing), and sees only its municipality's rows,
as row-level security does. The integration tests keep the real store (adapters.store) honest.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from kyodo_identity_events.tenant_config import TenantConfig

from kyodo_common.testing import FakeUnitOfWork
from kyodo_identity.adapters.store import IdentityStore
from kyodo_identity.domain.demo import DEMO_MUNICIPALITIES

SANJO = "152048"
NAGAOKA = "152021"
NOW = datetime(2026, 4, 1, tzinfo=UTC)
# A municipality's tenant configuration as the demo towns have it.
CONFIG = TenantConfig.model_validate(DEMO_MUNICIPALITIES[1].config).model_dump(mode="json")


@dataclass
class Tables:
    municipalities: dict[str, SimpleNamespace] = field(default_factory=dict)
    staff: dict[uuid.UUID, SimpleNamespace] = field(default_factory=dict)
    clients: dict[str, SimpleNamespace] = field(default_factory=dict)
    client_secrets: list[SimpleNamespace] = field(default_factory=list)
    grants: dict[uuid.UUID, SimpleNamespace] = field(default_factory=dict)
    refresh_tokens: dict[str, SimpleNamespace] = field(default_factory=dict)
    revocations: list[SimpleNamespace] = field(default_factory=list)
    signing_keys: dict[str, SimpleNamespace] = field(default_factory=dict)
    declared_disasters: set[tuple[str, uuid.UUID]] = field(default_factory=set)


@dataclass
class FakeIdentity:
    """What identity's tables hold, committed."""

    tables: Tables = field(default_factory=Tables)

    def unit_of_work(self, municipality_code: str = SANJO) -> FakeIdentityUnitOfWork:
        return FakeIdentityUnitOfWork(self, municipality_code)

    def add_municipality(self, code: str, name: str) -> None:
        self.tables.municipalities[code] = SimpleNamespace(
            code=code, name=name, name_en=name, prefecture="新潟県", config=CONFIG, version=1,
            created_at=NOW, updated_at=NOW)

    def add_staff(self, code: str, login: str, *, roles: tuple[str, ...] = ("counter_clerk",),
                  disabled: bool = False) -> SimpleNamespace:
        row = _staff_row(uuid.uuid4(), code, login, "hash", list(roles), NOW)
        row.disabled_at = datetime(2026, 1, 1) if disabled else None
        self.tables.staff[row.id] = row
        return row


def _staff_row(staff_id: uuid.UUID, code: str, login: str, password_hash: str,
               roles: list[str], now: datetime) -> SimpleNamespace:
    return SimpleNamespace(id=staff_id, municipality_code=code, login=login,
                           password_hash=password_hash, roles=roles, failed_logins=0,
                           locked_until=None, created_at=now, disabled_at=None,
                           password_changed_at=None, version=1)


class FakeIdentityStore(IdentityStore):
    """IdentityStore's contract on a copy of the tables; a method the handlers use and this
    lacks fails (the real one has no session here) instead of passing by accident."""

    def __init__(self, tables: Tables, uow: FakeIdentityUnitOfWork) -> None:
        self.t = tables
        self.work = uow  # type: ignore[assignment]  # no session: nothing reaches SQL

    @property
    def _code(self) -> str:
        return self.work.municipality_code

    def _own_staff(self, staff_id: uuid.UUID) -> SimpleNamespace | None:
        row = self.t.staff.get(staff_id)
        return row if row is not None and row.municipality_code == self._code else None

    async def add_staff(self, *, staff_id: uuid.UUID, login: str, password_hash: str,
                        roles: list[str], now: datetime) -> Any:
        if any(s.municipality_code == self._code and s.login == login
               for s in self.t.staff.values()):
            return None
        row = _staff_row(staff_id, self._code, login, password_hash, roles, now)
        self.t.staff[staff_id] = row
        return copy.copy(row)

    async def staff_member(self, staff_id: uuid.UUID) -> Any:
        return copy.copy(self._own_staff(staff_id))

    async def staff_locked(self, staff_id: uuid.UUID) -> Any:
        return copy.copy(self._own_staff(staff_id))

    async def change_staff(self, staff_id: uuid.UUID, **values: Any) -> Any:
        row = self._own_staff(staff_id)
        assert row is not None
        vars(row).update(values, version=row.version + 1)
        return copy.copy(row)

    async def revoke_staff_sessions(self, staff_id: uuid.UUID, now: datetime) -> None:
        for token in self.t.refresh_tokens.values():
            if token.staff_id == staff_id and token.revoked_at is None:
                token.revoked_at = now

    async def refresh_owner(self, token_hash: str) -> Any:
        found = self.t.refresh_tokens.get(token_hash)
        return copy.copy(found) if found and found.municipality_code == self._code else None

    async def revoke_family(self, family_id: uuid.UUID, now: datetime) -> None:
        for token in self.t.refresh_tokens.values():
            if token.family_id == family_id and token.revoked_at is None:
                token.revoked_at = now

    async def sweep_revocations(self, before: datetime) -> None:
        self.t.revocations = [r for r in self.t.revocations
                              if r.municipality_code != self._code or r.expires_at >= before]

    async def add_revocation(self, *, municipality_code: str, subject: str,
                             token_id: str | None, now: datetime,
                             expires_at: datetime) -> None:
        if token_id is not None and any(r.token_id == token_id for r in self.t.revocations):
            return
        self.t.revocations.append(SimpleNamespace(
            municipality_code=municipality_code, subject=subject, token_id=token_id,
            revoked_at=now, expires_at=expires_at))

    async def add_client(self, *, client_id: str, name: str, scopes: list[str], now: datetime,
                         created_by: str) -> None:
        self.t.clients[client_id] = SimpleNamespace(
            client_id=client_id, municipality_code=self._code, name=name, scopes=scopes,
            created_at=now, created_by=created_by, revoked_at=None)

    async def add_client_secret(self, *, client_id: str, secret_hash: str,
                                now: datetime) -> None:
        self.t.client_secrets.append(SimpleNamespace(
            id=uuid.uuid4(), municipality_code=self._code, client_id=client_id,
            secret_hash=secret_hash, created_at=now, expires_at=None))

    async def client_row(self, client_id: str, *, lock: bool = False) -> Any:
        row = self.t.clients.get(client_id)
        return copy.copy(row) if row is not None and row.municipality_code == self._code \
            else None

    async def client(self, client_id: str) -> tuple[Any, list[Any]] | None:
        row = await self.client_row(client_id)
        if row is None:
            return None
        return row, [copy.copy(s) for s in self.t.client_secrets if s.client_id == client_id]

    async def end_secrets(self, client_id: str, *, until: datetime, now: datetime) -> None:
        for secret in self.t.client_secrets:
            if secret.client_id == client_id and (secret.expires_at is None
                                                  or secret.expires_at > now):
                secret.expires_at = min(secret.expires_at or until, until)

    async def revoke_client(self, client_id: str, now: datetime) -> None:
        self.t.clients[client_id].revoked_at = now

    async def disaster_declared(self, disaster_id: uuid.UUID) -> bool:
        return (self._code, disaster_id) in self.t.declared_disasters

    async def add_grant(self, **values: Any) -> Any:
        row = SimpleNamespace(municipality_code=self._code, revoked_at=None, revoked_by=None,
                              **values)
        self.t.grants[row.id] = row
        return copy.copy(row)

    async def grant_locked(self, grant_id: uuid.UUID) -> Any:
        row = self.t.grants.get(grant_id)
        return copy.copy(row) if row is not None and row.municipality_code == self._code \
            else None

    async def revoke_grant(self, grant_id: uuid.UUID, *, now: datetime, by: str) -> Any:
        row = self.t.grants[grant_id]
        row.revoked_at, row.revoked_by = now, by
        return copy.copy(row)

    async def add_municipality(self, values: dict[str, Any], now: datetime) -> Any:
        if self._code in self.t.municipalities:
            return None
        row = SimpleNamespace(code=self._code, **values, version=1, created_at=now,
                              updated_at=now)
        self.t.municipalities[self._code] = row
        return copy.copy(row)

    async def municipality_locked(self) -> Any:
        return copy.copy(self.t.municipalities.get(self._code))

    async def change_municipality(self, values: dict[str, Any], now: datetime) -> Any:
        row = self.t.municipalities[self._code]
        vars(row).update(values, version=row.version + 1, updated_at=now)
        return copy.copy(row)

    async def retire_signing_keys(self, retired_at: datetime) -> list[str]:
        retired = [k for k in self.t.signing_keys.values() if k.retired_at is None]
        for key in retired:
            key.retired_at = retired_at
        return [k.kid for k in retired]

    async def add_signing_key(self, *, kid: str, private_key: bytes, public_jwk: dict[str, Any],
                              created_at: datetime | None) -> None:
        self.t.signing_keys[kid] = SimpleNamespace(kid=kid, private_key=private_key,
                                                   public_jwk=public_jwk,
                                                   created_at=created_at, retired_at=None)


class FakeDirectory:
    """Other municipalities' staff, as committed (adapters.directory)."""

    def __init__(self, identity: FakeIdentity) -> None:
        self.identity = identity

    async def municipality_known(self, code: str) -> bool:
        return code in self.identity.tables.municipalities

    async def staff_member(self, municipality_code: str, *, login: str | None,
                           staff_id: uuid.UUID | None) -> Any:
        return next((copy.copy(s) for s in self.identity.tables.staff.values()
                     if s.municipality_code == municipality_code
                     and (s.id == staff_id if staff_id is not None else s.login == login)),
                    None)


class FakeIdentityUnitOfWork(FakeUnitOfWork):
    """A transaction on the fake identity: ``uow.store`` and ``uow.directory`` as the
    handlers use them."""

    def __init__(self, identity: FakeIdentity, municipality_code: str = SANJO) -> None:
        super().__init__(municipality_code, source="kyodo/identity")
        self.identity = identity
        self.store = FakeIdentityStore(copy.deepcopy(identity.tables), self)
        self.directory = FakeDirectory(identity)

    async def commit(self) -> None:
        self.identity.tables = self.store.t
        self.store.t = copy.deepcopy(self.store.t)
        await super().commit()
