"""Support grants: created, listed and revoked by the stricken municipality (or an operator),
with their events in the outbox, and the gateway's internal view of the active ones."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import pytest

from kyodo_common.assertion import sign_service_token
from kyodo_common.db import asyncpg_dsn
from kyodo_common.events import Envelope
from kyodo_identity.adapters import views
from kyodo_identity.service_layer.unit_of_work import IdentityInboxUnitOfWork
from kyodo_identity.service_layer.when_disaster_declared_remember_it import (
    when_disaster_declared_remember_it,
)
from kyodo_identity.upstream.disaster import DisasterDeclared
from kyodo_testing import Infrastructure, PlatformKeys

from .identity_harness import PROBLEM, Identity, bearer, post_headers, running_identity

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]


@pytest.fixture(scope="module")
async def identity(infrastructure: Infrastructure,
                   tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Identity]:
    async with running_identity(infrastructure, tmp_path_factory.mktemp("var")) as app:
        yield app


class Towns:
    """A stricken town (grantor), a helping town with one helper, and an operator."""

    def __init__(self, stricken: str, helping: str, helper_id: str, operator: str) -> None:
        self.stricken, self.helping = stricken, helping
        self.helper_id, self.operator = helper_id, operator


@pytest.fixture(scope="module")
async def towns(identity: Identity) -> Towns:
    operator = await identity.operator()
    stricken = await identity.municipality(operator)
    helping = await identity.municipality(operator)
    helper = await identity.staff(helping, await identity.admin(helping), "helper",
                                  "ouen-shokuin-01", ["counter_clerk"])
    return Towns(stricken, helping, helper["id"], operator)


def _url(code: str, suffix: str = "") -> str:
    return f"/v1/municipalities/{code}/identity/support-grants{suffix}"


def _body(towns: Towns, **overrides: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    body: dict[str, Any] = {
        "grantee": {"municipality_code": towns.helping, "login": "helper"},
        "scopes": ["residents:read", "certificates:issue"],
        "valid_until": (now + timedelta(days=14)).isoformat(),
        "disaster_ref": "2026-niigata-earthquake", "note": "罹災証明の交付応援"}
    body.update(overrides)
    return body


async def _grant(identity: Identity, token: str, code: str, body: dict[str, Any]) -> Any:
    response = await identity.http.post(_url(code), json=body, headers=post_headers(token))
    assert response.status_code == 201, response.text
    return response.json()


async def _internal(identity: Identity, path: str, token: str | None) -> Any:
    headers = bearer(token) if token else {}
    return await identity.http.get(f"/v1/internal/{path}", headers=headers)


def _service_token(identity: Identity) -> str:
    return sign_service_token(PlatformKeys.shared().signer, "gateway")


async def _outbox(infrastructure: Infrastructure, key: str) -> list[Any]:
    conn = await asyncpg.connect(asyncpg_dsn(infrastructure.urls("identity")
                                             ["RELAY_DATABASE_URL"]))
    try:
        return list(await conn.fetch(
            "SELECT type, topic, municipality_code, data::text AS data FROM outbox "
            "WHERE key = $1 ORDER BY id", key))
    finally:
        await conn.close()


async def test_a_grant_is_created_listed_and_revoked_with_its_events(
    identity: Identity, towns: Towns, infrastructure: Infrastructure,
) -> None:
    admin = await identity.admin(towns.stricken)
    grant = await _grant(identity, admin, towns.stricken, _body(towns))
    assert grant["status"] == "active"
    assert grant["grantee"] == {"municipality_code": towns.helping,
                                "staff_id": towns.helper_id, "login": "helper"}

    listing = (await identity.http.get(_url(towns.stricken), params={"status": "active"},
                                       headers=bearer(admin))).json()
    assert grant["id"] in [g["id"] for g in listing["items"]]

    active = (await _internal(identity, "support-grants/active",
                              _service_token(identity))).json()
    mine = [g for g in active["grants"] if g["grant_id"] == grant["id"]]
    assert mine == [{
        "grant_id": grant["id"], "grantor_municipality": towns.stricken,
        "grantee_subject": towns.helper_id, "grantee_municipality": towns.helping,
        "scopes": ["certificates:issue", "residents:read"],
        "valid_from": mine[0]["valid_from"], "valid_until": mine[0]["valid_until"]}]
    assert active["generated_at"]
    # The grantee's own token names the same subject the gateway will match.
    helper = await identity.token(towns.helping, "helper", "ouen-shokuin-01")
    principal = await identity.app.state.verifier.verify(helper["access_token"])
    assert principal.subject == towns.helper_id

    revoked = await identity.http.post(_url(towns.stricken, f"/{grant['id']}/revoke"),
                                       headers=post_headers(admin))
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["status"] == "revoked"
    again = await identity.http.post(_url(towns.stricken, f"/{grant['id']}/revoke"),
                                     headers=post_headers(admin))
    assert again.status_code == 409
    active = (await _internal(identity, "support-grants/active",
                              _service_token(identity))).json()
    assert grant["id"] not in [g["grant_id"] for g in active["grants"]]

    events = await _outbox(infrastructure, grant["id"])
    assert [e["type"] for e in events] == ["jp.kyodo.identity.support_grant_created.v1",
                                           "jp.kyodo.identity.support_grant_revoked.v1"]
    assert {e["topic"] for e in events} == {"kyodo.identity.v1"}
    assert {e["municipality_code"] for e in events} == {towns.stricken}
    created = json.loads(events[0]["data"])
    assert created["grantee_subject"] == towns.helper_id
    assert "note" not in created


async def test_only_grants_in_force_now_reach_the_gateway(identity: Identity,
                                                          towns: Towns) -> None:
    admin = await identity.admin(towns.stricken)
    now = datetime.now(UTC)
    by_id = {"municipality_code": towns.helping, "staff_id": towns.helper_id}
    active = await _grant(identity, admin, towns.stricken, _body(towns, grantee=by_id))
    scheduled = await _grant(identity, admin, towns.stricken, _body(
        towns, valid_from=(now + timedelta(days=1)).isoformat(),
        valid_until=(now + timedelta(days=3)).isoformat()))
    ending = await _grant(identity, admin, towns.stricken, _body(
        towns, valid_until=(now + timedelta(seconds=1)).isoformat()))
    assert scheduled["status"] == "scheduled"
    await asyncio.sleep(1.2)
    listed = (await _internal(identity, "support-grants/active",
                              _service_token(identity))).json()
    ids = {g["grant_id"] for g in listed["grants"]}
    assert active["id"] in ids
    assert scheduled["id"] not in ids
    assert ending["id"] not in ids
    expired = (await identity.http.get(_url(towns.stricken, f"/{ending['id']}"),
                                       headers=bearer(admin))).json()
    assert expired["status"] == "expired"


async def test_the_internal_endpoints_need_a_platform_service_token(
    identity: Identity, towns: Towns,
) -> None:
    admin = await identity.admin(towns.stricken)
    forged = sign_service_token(PlatformKeys().signer, "gateway")  # another key pair
    for path in ("support-grants/active", "municipalities", "access", "access-changes"):
        for token in (None, forged, admin, towns.operator):
            response = await _internal(identity, path, token)
            assert response.status_code == 401, (path, token)
            assert response.headers["content-type"] == PROBLEM
    origins = (await _internal(identity, "municipalities", _service_token(identity))).json()
    mine = next(m for m in origins["municipalities"] if m["code"] == towns.stricken)
    assert mine == {"code": towns.stricken, "cors_origins": ["https://counter.example.jp"],
                    "purposes": []}


@pytest.mark.parametrize(("override", "field"), [
    ({"scopes": ["staff:manage"]}, "scopes"),
    ({"scopes": ["mynumber:read"]}, "scopes"),
    ({"valid_until": "2030-01-01T00:00:00"}, "valid_until"),
    ({"valid_from": "2031-01-01T00:00:00+09:00",
      "valid_until": "2031-04-10T00:00:00+09:00"}, "valid_until"),
    ({"valid_until": "2020-01-01T00:00:00+09:00",
      "valid_from": "2019-12-01T00:00:00+09:00"}, "valid_until"),
    ({"grantee": {"municipality_code": "STRICKEN", "login": "admin"}},
     "grantee.municipality_code"),
    ({"grantee": {"municipality_code": "HELPING", "login": "nobody"}}, "grantee.login"),
    ({"grantee": {"municipality_code": "HELPING"}}, "grantee"),
    ({"surprise": 1}, "surprise"),
], ids=["admin-scope", "mynumber", "naive-datetime", "over-90-days", "already-over",
        "own-staff", "unknown-login", "no-name", "unknown-field"])
async def test_a_bad_grant_is_refused_naming_the_field(
    identity: Identity, towns: Towns, override: dict[str, Any], field: str,
) -> None:
    admin = await identity.admin(towns.stricken)
    if "grantee" in override:
        code = {"STRICKEN": towns.stricken, "HELPING": towns.helping}[
            override["grantee"]["municipality_code"]]
        override = {"grantee": {**override["grantee"], "municipality_code": code}}
    response = await identity.http.post(_url(towns.stricken), json=_body(towns, **override),
                                        headers=post_headers(admin))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert field in [p["name"] for p in response.json()["invalid_params"]]


async def _declared(identity: Identity, code: str) -> str:
    """The stricken town declares a disaster; identity learns it as its worker would."""
    disaster_id = uuid.uuid4()
    event = DisasterDeclared(disaster_id=disaster_id, name="令和8年7月豪雨",
                             occurred_on=date(2026, 7, 1), version=1)
    envelope = Envelope(type=DisasterDeclared.event_type, source="kyodo/disaster",
                        subject=str(disaster_id), municipality=code, data=b"{}")
    async with identity.db.tenant_transaction(code) as session:
        await when_disaster_declared_remember_it(IdentityInboxUnitOfWork(session), event,
                                                 envelope)
    return str(disaster_id)


async def test_an_operator_may_grant_only_naming_a_disaster_the_town_declared(
        identity: Identity, towns: Towns) -> None:
    for ref in (None, "2026-niigata-earthquake", str(uuid.uuid4()),
                await _declared(identity, towns.helping)):  # another town's disaster
        refused = await identity.http.post(_url(towns.stricken),
                                           json=_body(towns, disaster_ref=ref),
                                           headers=post_headers(towns.operator))
        assert refused.status_code == 422, (ref, refused.text)
        assert refused.json()["invalid_params"][0]["name"] == "disaster_ref"
    declared = await _declared(identity, towns.stricken)
    granted = await _grant(identity, towns.operator, towns.stricken,
                           _body(towns, disaster_ref=declared))
    assert granted["grantor_municipality"] == towns.stricken
    assert granted["disaster_ref"] == declared
    listing = await identity.http.get(_url(towns.stricken), headers=bearer(towns.operator))
    assert listing.status_code == 200


async def test_other_municipalities_and_plain_staff_cannot_touch_the_grants(
    identity: Identity, towns: Towns,
) -> None:
    admin = await identity.admin(towns.stricken)
    grant = await _grant(identity, admin, towns.stricken, _body(towns))
    helping_admin = await identity.admin(towns.helping)
    helper = (await identity.token(towns.helping, "helper", "ouen-shokuin-01"))["access_token"]
    for token in (helping_admin, helper):
        listing = await identity.http.get(_url(towns.stricken), headers=bearer(token))
        assert listing.status_code == 403
        revoke = await identity.http.post(_url(towns.stricken, f"/{grant['id']}/revoke"),
                                          headers=post_headers(token))
        assert revoke.status_code == 403
    own = (await identity.http.get(_url(towns.helping), headers=bearer(helping_admin))).json()
    assert grant["id"] not in [g["id"] for g in own["items"]]
    via_own_path = await identity.http.post(_url(towns.helping, f"/{grant['id']}/revoke"),
                                            headers=post_headers(helping_admin))
    assert via_own_path.status_code == 404


async def test_grants_page_newest_first(identity: Identity, towns: Towns) -> None:
    admin = await identity.admin(towns.stricken)
    for _ in range(3):
        await _grant(identity, admin, towns.stricken, _body(towns))
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await identity.http.get(_url(towns.stricken), params=params,
                                        headers=bearer(admin))).json()
        seen += [g["created_at"] for g in page["items"]]
        cursor = page["next"]
        if cursor is None:
            break
    assert len(seen) >= 3
    assert seen == sorted(seen, reverse=True)
    for params in ({"cursor": "nonsense"}, {"limit": 0}, {"limit": 501}):
        bad = await identity.http.get(_url(towns.stricken), params=params,
                                      headers=bearer(admin))
        assert bad.status_code == 422
        assert [p["name"] for p in bad.json()["invalid_params"]] == list(params)


async def _listening(identity: Identity, token: str) -> str:
    """The feed's version once its LISTEN connection is up (it connects at startup)."""
    async with asyncio.timeout(10):
        while True:
            answer = (await _internal(identity, "access-changes?wait=0", token)).json()
            if answer["listening"]:
                return str(answer["version"])
            await asyncio.sleep(0.05)


async def test_the_long_poll_answers_when_a_grant_or_a_revocation_commits(
    identity: Identity, towns: Towns,
) -> None:
    token = _service_token(identity)
    admin = await identity.admin(towns.stricken)
    version = await _listening(identity, token)
    idle = await _internal(identity, f"access-changes?after={version}&wait=0.3", token)
    assert idle.json() == {"version": version, "listening": True}

    waiting = asyncio.create_task(
        _internal(identity, f"access-changes?after={version}&wait=10", token))
    await asyncio.sleep(0.3)
    assert not waiting.done()
    grant = await _grant(identity, admin, towns.stricken, _body(towns))
    async with asyncio.timeout(2):
        changed = (await waiting).json()
    assert changed["version"] != version
    snapshot = (await _internal(identity, "access", token)).json()
    assert grant["id"] in [g["grant_id"] for g in snapshot["grants"]]

    # A logout is a revocation of the token, until it expires.
    helper = await identity.token(towns.helping, "helper", "ouen-shokuin-01")
    waiting = asyncio.create_task(_internal(
        identity, f"access-changes?after={changed['version']}&wait=10", token))
    out = await identity.http.post("/v1/auth/logout", headers=post_headers(
        helper["access_token"]))
    assert out.status_code == 204, out.text
    async with asyncio.timeout(2):
        assert (await waiting).json()["version"] != changed["version"]
    principal = await identity.app.state.verifier.verify(helper["access_token"])
    revocations = (await _internal(identity, "access", token)).json()["revocations"]
    assert {"municipality_code": towns.helping, "subject": towns.helper_id,
            "token_id": principal.token_id,
            "expires_at": next(r["expires_at"] for r in revocations
                               if r["token_id"] == principal.token_id)} in revocations
    # Disabling a staff member revokes every token of theirs (no token id).
    helping_admin = await identity.admin(towns.helping)
    member = await identity.staff(towns.helping, helping_admin, "leaving", "ouen-shokuin-02",
                                  ["counter_clerk"])
    disabled = await identity.http.post(
        f"/v1/municipalities/{towns.helping}/identity/staff/{member['id']}/disable",
        headers=post_headers(helping_admin))
    assert disabled.status_code == 200, disabled.text
    revocations = (await _internal(identity, "access", token)).json()["revocations"]
    assert [(r["municipality_code"], r["token_id"]) for r in revocations
            if r["subject"] == member["id"]] == [(towns.helping, None)]


async def test_a_grantee_sees_the_grants_they_hold_and_not_once_revoked(
    identity: Identity, towns: Towns,
) -> None:
    """The counter app's acting-for switch: /v1/auth/me lists the caller's grants in force."""
    admin = await identity.admin(towns.stricken)
    grant = await _grant(identity, admin, towns.stricken, _body(towns))
    helper = (await identity.token(towns.helping, "helper", "ouen-shokuin-01"))["access_token"]
    me = await identity.http.get("/v1/auth/me", headers=bearer(helper))
    assert me.status_code == 200, me.text
    body = me.json()
    assert body["home_municipality"] == towns.helping
    assert body["subject"] == towns.helper_id and "counter_clerk" in body["roles"]
    held = [g for g in body["grants"] if g["grant_id"] == grant["id"]]
    assert [(g["grantor_municipality"], g["scopes"]) for g in held] == [
        (towns.stricken, ["certificates:issue", "residents:read"])]
    # The grantor's own admin holds no grant.
    assert (await identity.http.get("/v1/auth/me", headers=bearer(admin))).json()["grants"] == []
    revoked = await identity.http.post(_url(towns.stricken, f"/{grant['id']}/revoke"),
                                       headers=post_headers(admin))
    assert revoked.status_code == 200, revoked.text
    after = (await identity.http.get("/v1/auth/me", headers=bearer(helper))).json()
    assert grant["id"] not in [g["grant_id"] for g in after["grants"]]
    assert (await identity.http.get("/v1/auth/me")).status_code == 401


async def test_me_lists_the_callers_own_grants_and_no_one_elses(
    identity: Identity, towns: Towns,
) -> None:
    """/v1/auth/me filters by the grantee in SQL (support_grants_held_by): a colleague's
    grant, and a grant to the same login in another town, are not the caller's."""
    admin = await identity.admin(towns.stricken)
    colleague_town_admin = await identity.admin(towns.helping)
    await identity.staff(towns.helping, colleague_town_admin, "colleague", "ouen-shokuin-03",
                         ["counter_clerk"])
    third = await identity.municipality(towns.operator)
    await identity.staff(third, await identity.admin(third), "helper", "ouen-shokuin-04",
                         ["counter_clerk"])
    mine = await _grant(identity, admin, towns.stricken, _body(towns))
    colleagues = await _grant(identity, admin, towns.stricken, _body(
        towns, grantee={"municipality_code": towns.helping, "login": "colleague"}))
    namesakes = await _grant(identity, admin, towns.stricken, _body(
        towns, grantee={"municipality_code": third, "login": "helper"}))

    helper = (await identity.token(towns.helping, "helper", "ouen-shokuin-01"))["access_token"]
    held = (await identity.http.get("/v1/auth/me", headers=bearer(helper))).json()["grants"]
    in_force = (await _internal(identity, "access", _service_token(identity))).json()["grants"]
    assert {g["grant_id"] for g in held} == {
        g["grant_id"] for g in in_force if g["grantee_subject"] == towns.helper_id}
    ids = {g["grant_id"] for g in held}
    assert mine["id"] in ids and not ids & {colleagues["id"], namesakes["id"]}
    [shown] = [g for g in held if g["grant_id"] == mine["id"]]
    assert shown["grantor_municipality"] == towns.stricken and shown["grantor_name"]
    ends = [g["valid_until"] for g in held]
    assert ends == sorted(ends)  # soonest ending first
    # The view asks the database for this grantee's grants only.
    async with identity.app.state.db.platform_transaction() as session:
        rows = await views.grants_held(session, holder=uuid.UUID(towns.helper_id),
                                       home=towns.helping)
    assert {str(r.grant_id) for r in rows} == ids
