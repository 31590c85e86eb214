"""The identity audit trail: every change appended in its transaction, sealed into a hash
chain per municipality, readable by the auditor, and a tampered entry is found."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from kyodo_common.audit import seal
from kyodo_common.db import asyncpg_dsn
from kyodo_identity.adapters.operators import SqlOperators
from kyodo_identity.service_layer.operators import ensure_operator
from kyodo_testing import Infrastructure

from .identity_harness import Identity, bearer, post_headers, running_identity

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]


@pytest.fixture(scope="module")
async def identity(infrastructure: Infrastructure,
                   tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Identity]:
    async with running_identity(infrastructure, tmp_path_factory.mktemp("var")) as app:
        yield app


async def _seal(infrastructure: Infrastructure) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(infrastructure.urls("identity")
                                             ["RELAY_DATABASE_URL"]))
    try:
        await seal(conn)
    finally:
        await conn.close()


@pytest.fixture(scope="module")
async def town(identity: Identity) -> str:
    """A municipality in which every kind of identity change has happened once."""
    operator = await identity.operator()
    code = await identity.municipality(operator)
    helping = await identity.municipality(operator)
    admin = await identity.admin(code)
    http, base = identity.http, f"/v1/municipalities/{code}/identity"
    member = await identity.staff(code, admin, "kiroku", "audit-trail-pass", ["counter_clerk"])
    await http.put(f"{base}/staff/{member['id']}/roles", json={"roles": ["auditor"]},
                   headers=bearer(admin))
    token = (await identity.token(code, "kiroku", "audit-trail-pass"))["access_token"]
    await http.post("/v1/auth/password", json={"current_password": "audit-trail-pass",
                                               "new_password": "audit-trail-next"},
                    headers=post_headers(token))
    for _ in range(3):  # each wrong password is audited (no lockout: a delay, unaudited)
        await http.post("/v1/auth/token", data={"grant_type": "password",
                                                "municipality_code": code,
                                                "username": "kiroku", "password": "nope"})
    await http.post(f"{base}/staff/{member['id']}/disable", headers=post_headers(admin))
    client = (await http.post(f"{base}/clients", json={"name": "連携", "scopes": ["tax:read"]},
                              headers=post_headers(admin))).json()
    await http.post(f"{base}/clients/{client['client_id']}/rotate-secret",
                    headers=post_headers(admin))
    await http.post(f"{base}/clients/{client['client_id']}/revoke", headers=post_headers(admin))
    grant = (await http.post(f"{base}/support-grants", json={
        "grantee": {"municipality_code": helping, "login": "admin"},
        "scopes": ["residents:read"],
        "valid_until": (datetime.now(UTC) + timedelta(days=1)).isoformat()},
        headers=post_headers(admin))).json()
    await http.post(f"{base}/support-grants/{grant['id']}/revoke", headers=post_headers(admin))
    return code


async def test_every_identity_change_is_on_the_trail(identity: Identity, town: str) -> None:
    admin = await identity.admin(town)
    entries = (await identity.http.get(f"/v1/municipalities/{town}/identity/audit",
                                       params={"limit": 500}, headers=bearer(admin))).json()
    actions = [e["action"] for e in entries["items"]]
    assert set(actions) >= {
        "municipality.created", "staff.created", "staff.roles_changed",
        "staff.password_changed", "login.failed", "staff.disabled",
        "client.created", "client.secret_rotated", "client.revoked", "grant.created",
        "grant.revoked"}
    assert all(e["acting_municipality"] == town for e in entries["items"])
    changed = next(e for e in entries["items"] if e["action"] == "staff.roles_changed")
    assert changed["fields"] == ["roles"]
    assert changed["actor_home"] == town
    created = next(e for e in entries["items"] if e["action"] == "municipality.created")
    assert created["actor_home"] == "000000"  # the operator, from the platform
    ids = [e["id"] for e in entries["items"]]
    assert ids == sorted(ids, reverse=True)


async def test_the_sealed_chain_verifies_and_a_tampered_entry_breaks_it(
    identity: Identity, town: str, infrastructure: Infrastructure,
) -> None:
    admin = await identity.admin(town)
    verify_url = f"/v1/municipalities/{town}/identity/audit/verify"
    await _seal(infrastructure)
    verdict = (await identity.http.get(verify_url, headers=bearer(admin))).json()
    assert verdict["valid"] is True, verdict
    assert verdict["entries"] >= 12

    owner = await asyncpg.connect(asyncpg_dsn(infrastructure.owner_url("identity")))
    try:
        async with owner.transaction():  # the owner too sees only the tenant's rows
            await owner.execute("SELECT set_config('kyodo.municipality', $1, true)", town)
            await owner.execute("ALTER TABLE access_log DISABLE TRIGGER access_log_append_only")
            await owner.execute("UPDATE access_log SET actor = 'someone-else' "
                                "WHERE municipality_code = $1 AND seq = 3", town)
            await owner.execute("ALTER TABLE access_log ENABLE TRIGGER access_log_append_only")
    finally:
        await owner.close()
    verdict = (await identity.http.get(verify_url, headers=bearer(admin))).json()
    assert verdict == {"entries": 3, "valid": False, "first_broken_seq": 3}


async def test_the_app_role_cannot_rewrite_the_trail(identity: Identity, town: str,
                                                     infrastructure: Infrastructure) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(infrastructure.urls("identity")["DATABASE_URL"]))
    try:
        async with conn.transaction():
            await conn.execute("SELECT set_config('kyodo.municipality', $1, true)", town)
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.execute("UPDATE access_log SET actor = 'x'")
    finally:
        await conn.close()


async def test_platform_changes_go_to_the_platform_chain(
    identity: Identity, infrastructure: Infrastructure,
) -> None:
    async with identity.db.platform_transaction() as session:
        await ensure_operator(SqlOperators(session), login="careless-operator",
                              password="careful-pass-1")
    refused = await identity.http.post("/v1/auth/token", data={
        "grant_type": "password", "municipality_code": "000000",
        "username": "careless-operator", "password": "wrong"})
    assert refused.status_code == 401
    operator = await identity.operator()
    trail = (await identity.http.get("/v1/platform/audit", params={"limit": 500},
                                     headers=bearer(operator))).json()
    failures = [e for e in trail["items"] if e["action"] == "login.failed"
                and e["subject_type"] == "operator"]
    assert failures and all(e["acting_municipality"] == "000000" for e in failures)
    await _seal(infrastructure)
    verdict = (await identity.http.get("/v1/platform/audit/verify",
                                       headers=bearer(operator))).json()
    assert verdict["valid"] is True and verdict["entries"] >= 1
