"""Identity's store: every statement its writes make, in one unit of work's transaction.

Handlers and use cases see only these methods (``uow.store``), so a fake store
(kyodo_identity.testing) runs them without PostgreSQL. The statements are those the use cases
made themselves before (the token and refresh paths keep theirs, one for one).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.audit import record_access
from kyodo_common.auth import Principal
from kyodo_identity.adapters.tables import (
    access_revocations,
    api_clients,
    client_secrets,
    declared_disasters,
    municipalities,
    operators,
    refresh_tokens,
    signing_keys,
    staff,
    support_grants,
)
from kyodo_identity.domain.platform import PLATFORM_CODE

# Which table holds an account of each kind (credentials.authenticate).
_ACCOUNTS = {"staff": staff, "operator": operators}


class Work(Protocol):
    @property
    def municipality_code(self) -> str: ...

    @property
    def session(self) -> AsyncSession: ...


@dataclass(frozen=True)
class SessionWork:
    """A route's plain transaction as a store's work (the token path's signing key)."""

    session: AsyncSession
    municipality_code: str = PLATFORM_CODE


def on_session(session: AsyncSession) -> IdentityStore:
    """The store of a platform transaction that is not a unit of work."""
    return IdentityStore(SessionWork(session))


def _secret_still_valid(now: datetime) -> sa.ColumnElement[bool]:
    return sa.or_(client_secrets.c.expires_at.is_(None), client_secrets.c.expires_at > now)


class IdentityStore:
    """Accounts, sessions, clients, grants, municipalities and keys of one transaction."""

    def __init__(self, work: Work) -> None:
        self.work = work

    @property
    def _session(self) -> AsyncSession:
        return self.work.session

    async def _one(self, statement: Any) -> Any:
        return (await self._session.execute(statement)).one()

    async def _first(self, statement: Any) -> Any:
        return (await self._session.execute(statement)).first()

    # The audit trail of what no pipeline writes (logins, refusals, the token paths).
    async def record_change(self, *, actor: Principal, action: str, subject_type: str,
                            subject_id: str, fields: Sequence[str] = ()) -> None:
        await record_access(self._session, principal=actor,
                            acting_municipality=self.work.municipality_code, action=action,
                            subject_type=subject_type, subject_id=subject_id, fields=fields,
                            purpose=None)

    # Accounts (staff and operators) as a login checks them.
    async def account_by_login(self, kind: str, login: str) -> Any:
        table = _ACCOUNTS[kind]
        return await self._first(sa.select(table).where(table.c.login == login))

    async def account_locked(self, kind: str, account_id: uuid.UUID) -> Any:
        table = _ACCOUNTS[kind]
        return await self._first(sa.select(table).where(table.c.id == account_id)
                                 .with_for_update())

    # Staff.
    async def add_staff(self, *, staff_id: uuid.UUID, login: str, password_hash: str,
                        roles: list[str], now: datetime) -> Any:
        """The new row, or None when the login is taken (ON CONFLICT, not a prior SELECT:
        two admins creating one login at once get one conflict)."""
        return await self._first(insert(staff).values(
            id=staff_id, municipality_code=self.work.municipality_code, login=login,
            password_hash=password_hash, roles=roles, failed_logins=0, created_at=now,
            version=1).on_conflict_do_nothing(index_elements=["municipality_code", "login"])
            .returning(*staff.c))

    async def staff_member(self, staff_id: uuid.UUID) -> Any:
        return await self._first(sa.select(staff).where(staff.c.id == staff_id))

    async def staff_locked(self, staff_id: uuid.UUID) -> Any:
        return await self._first(sa.select(staff).where(staff.c.id == staff_id)
                                 .with_for_update())

    async def change_staff(self, staff_id: uuid.UUID, **values: Any) -> Any:
        """The row with ``values`` set and its version one higher."""
        return await self._one(sa.update(staff).where(staff.c.id == staff_id).values(
            **values, version=staff.c.version + 1).returning(*staff.c))

    # Refresh tokens (staff sessions).
    async def sweep_expired_sessions(self, staff_id: uuid.UUID, now: datetime) -> None:
        await self._session.execute(sa.delete(refresh_tokens).where(
            refresh_tokens.c.staff_id == staff_id, refresh_tokens.c.expires_at < now))

    async def add_refresh(self, *, token_hash: str, staff_id: uuid.UUID, family_id: uuid.UUID,
                          now: datetime, expires_at: datetime) -> None:
        await self._session.execute(sa.insert(refresh_tokens).values(
            token_hash=token_hash, municipality_code=self.work.municipality_code,
            staff_id=staff_id, family_id=family_id, issued_at=now, expires_at=expires_at))

    async def refresh_locked(self, token_hash: str) -> Any:
        return await self._first(sa.select(refresh_tokens).where(
            refresh_tokens.c.token_hash == token_hash).with_for_update())

    async def refresh_owner(self, token_hash: str) -> Any:
        """The token's family and staff member, unlocked (logout)."""
        return await self._first(sa.select(refresh_tokens.c.family_id,
                                           refresh_tokens.c.staff_id)
                                 .where(refresh_tokens.c.token_hash == token_hash))

    async def use_refresh(self, token_hash: str, now: datetime) -> None:
        await self._session.execute(sa.update(refresh_tokens).where(
            refresh_tokens.c.token_hash == token_hash).values(used_at=now))

    async def revoke_family(self, family_id: uuid.UUID, now: datetime) -> None:
        await self._session.execute(sa.update(refresh_tokens).where(
            refresh_tokens.c.family_id == family_id, refresh_tokens.c.revoked_at.is_(None),
        ).values(revoked_at=now))

    async def revoke_staff_sessions(self, staff_id: uuid.UUID, now: datetime) -> None:
        await self._session.execute(sa.update(refresh_tokens).where(
            refresh_tokens.c.staff_id == staff_id, refresh_tokens.c.revoked_at.is_(None),
        ).values(revoked_at=now))

    # Access-token revocations (logout, a disabled staff member).
    async def sweep_revocations(self, before: datetime) -> None:
        await self._session.execute(sa.delete(access_revocations).where(
            access_revocations.c.expires_at < before))

    async def add_revocation(self, *, municipality_code: str, subject: str,
                             token_id: str | None, now: datetime,
                             expires_at: datetime) -> None:
        """One revocation; a token's twice is once."""
        statement = insert(access_revocations).values(
            id=uuid.uuid4(), municipality_code=municipality_code, subject=subject,
            token_id=token_id, revoked_at=now, expires_at=expires_at)
        if token_id is not None:
            statement = statement.on_conflict_do_nothing(
                index_elements=["token_id"],
                index_where=access_revocations.c.token_id.isnot(None))
        await self._session.execute(statement)

    # Partner API clients.
    async def add_client(self, *, client_id: str, name: str, scopes: list[str], now: datetime,
                         created_by: str) -> None:
        await self._session.execute(sa.insert(api_clients).values(
            client_id=client_id, municipality_code=self.work.municipality_code, name=name,
            scopes=scopes, created_at=now, created_by=created_by))

    async def add_client_secret(self, *, client_id: str, secret_hash: str,
                                now: datetime) -> None:
        await self._session.execute(sa.insert(client_secrets).values(
            id=uuid.uuid4(), municipality_code=self.work.municipality_code,
            client_id=client_id, secret_hash=secret_hash, created_at=now))

    async def client_row(self, client_id: str, *, lock: bool = False) -> Any:
        statement = sa.select(api_clients).where(api_clients.c.client_id == client_id)
        return await self._first(statement.with_for_update() if lock else statement)

    async def client(self, client_id: str) -> tuple[Any, list[Any]] | None:
        """The client and its secrets' ids and validity (never their hashes)."""
        row = await self.client_row(client_id)
        if row is None:
            return None
        secrets = (await self._session.execute(
            sa.select(client_secrets.c.id, client_secrets.c.created_at,
                      client_secrets.c.expires_at)
            .where(client_secrets.c.client_id == client_id)
            .order_by(client_secrets.c.created_at))).all()
        return row, list(secrets)

    async def valid_secret_hashes(self, client_id: str, now: datetime) -> list[str]:
        return list((await self._session.execute(
            sa.select(client_secrets.c.secret_hash).where(
                client_secrets.c.client_id == client_id, _secret_still_valid(now))
            .order_by(client_secrets.c.created_at.desc()))).scalars())

    async def end_secrets(self, client_id: str, *, until: datetime, now: datetime) -> None:
        """The client's valid secrets end at ``until``, or sooner if they already did."""
        await self._session.execute(sa.update(client_secrets).where(
            client_secrets.c.client_id == client_id, _secret_still_valid(now),
        ).values(expires_at=sa.func.least(
            sa.func.coalesce(client_secrets.c.expires_at, until), until)))

    async def revoke_client(self, client_id: str, now: datetime) -> None:
        await self._session.execute(sa.update(api_clients).where(
            api_clients.c.client_id == client_id).values(revoked_at=now))

    # Support grants.
    async def disaster_declared(self, disaster_id: uuid.UUID) -> bool:
        """Declared by this tenant (RLS)."""
        return await self._first(sa.select(declared_disasters.c.disaster_id).where(
            declared_disasters.c.disaster_id == disaster_id)) is not None

    async def add_grant(self, **values: Any) -> Any:
        return await self._one(sa.insert(support_grants).values(
            municipality_code=self.work.municipality_code, **values,
        ).returning(*support_grants.c))

    async def grant_locked(self, grant_id: uuid.UUID) -> Any:
        return await self._first(sa.select(support_grants).where(
            support_grants.c.id == grant_id).with_for_update())

    async def revoke_grant(self, grant_id: uuid.UUID, *, now: datetime, by: str) -> Any:
        return await self._one(sa.update(support_grants).where(
            support_grants.c.id == grant_id).values(revoked_at=now, revoked_by=by)
            .returning(*support_grants.c))

    # Municipalities (the platform's tenants).
    async def add_municipality(self, values: dict[str, Any], now: datetime) -> Any:
        """The new row, or None when the code exists already."""
        return await self._first(insert(municipalities).values(
            code=self.work.municipality_code, **values, version=1, created_at=now,
            updated_at=now,
        ).on_conflict_do_nothing(index_elements=["code"]).returning(*municipalities.c))

    async def municipality_locked(self) -> Any:
        return await self._first(sa.select(municipalities).where(
            municipalities.c.code == self.work.municipality_code).with_for_update())

    async def change_municipality(self, values: dict[str, Any], now: datetime) -> Any:
        return await self._one(sa.update(municipalities).where(
            municipalities.c.code == self.work.municipality_code).values(
            **values, version=municipalities.c.version + 1, updated_at=now,
        ).returning(*municipalities.c))

    # Signing keys (a platform table).
    async def signing_key_rows(self) -> list[Any]:
        """Every key's kid and stored private key, locked (sealing at start)."""
        return list((await self._session.execute(
            sa.select(signing_keys.c.kid, signing_keys.c.private_key).with_for_update())).all())

    async def store_private_key(self, kid: str, private_key: bytes) -> None:
        await self._session.execute(sa.update(signing_keys).where(signing_keys.c.kid == kid)
                                    .values(private_key=private_key))

    async def newest_signing_key(self) -> Any:
        return await self._first(
            sa.select(signing_keys.c.kid, signing_keys.c.private_key)
            .where(signing_keys.c.retired_at.is_(None))
            .order_by(signing_keys.c.created_at.desc()).limit(1))

    async def add_signing_key(self, *, kid: str, private_key: bytes, public_jwk: dict[str, Any],
                              created_at: datetime | None) -> None:
        """``created_at`` None: the database's now()."""
        await self._session.execute(sa.insert(signing_keys).values(
            kid=kid, private_key=private_key, public_jwk=public_jwk,
            created_at=created_at if created_at is not None else sa.func.now()))

    async def retire_signing_keys(self, retired_at: datetime) -> list[str]:
        """The keys that signed until now leave the JWKS at ``retired_at``; their kids."""
        return list((await self._session.execute(
            sa.update(signing_keys).where(signing_keys.c.retired_at.is_(None))
            .values(retired_at=retired_at).returning(signing_keys.c.kid))).scalars().all())


def store_of(work: Any) -> IdentityStore:
    """The unit of work's store; a plain unit of work (a script's, a fixture's) gets the real
    one."""
    store = getattr(work, "store", None)
    return store if store is not None else IdentityStore(work)
