"""Staff administration: a tenant admin manages its own municipality's staff, and only those."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from kyodo_testing import Infrastructure

from .identity_harness import PROBLEM, Identity, bearer, post_headers, running_identity

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]


@pytest.fixture(scope="module")
async def identity(infrastructure: Infrastructure,
                   tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Identity]:
    async with running_identity(infrastructure, tmp_path_factory.mktemp("var")) as app:
        yield app


@pytest.fixture(scope="module")
async def towns(identity: Identity) -> tuple[str, str]:
    operator = await identity.operator()
    return await identity.municipality(operator), await identity.municipality(operator)


def _staff_url(code: str, suffix: str = "") -> str:
    return f"/v1/municipalities/{code}/identity/staff{suffix}"


async def test_an_admin_creates_pages_through_and_changes_staff(
    identity: Identity, towns: tuple[str, str],
) -> None:
    town, _ = towns
    admin = await identity.admin(town)
    for n in range(5):
        await identity.staff(town, admin, f"page{n}", f"paging-secret-{n}x", ["counter_clerk"])
    logins: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await identity.http.get(_staff_url(town), params=params,
                                        headers=bearer(admin))).json()
        assert len(page["items"]) <= 2
        logins += [s["login"] for s in page["items"]]
        cursor = page["next"]
        if cursor is None:
            break
    assert logins == sorted(logins)
    assert {f"page{n}" for n in range(5)} | {"admin"} <= set(logins)
    assert len(logins) == len(set(logins))

    member = await identity.staff(town, admin, "promoted", "promotion-secret-1",
                                  ["counter_clerk"])
    url = _staff_url(town, f"/{member['id']}/roles")
    changed = await identity.http.put(url, json={"roles": ["tax_officer", "auditor"]},
                                      headers={**bearer(admin), "If-Match": 'W/"1"'})
    assert changed.status_code == 200, changed.text
    assert changed.json()["roles"] == ["auditor", "tax_officer"]
    assert changed.headers["ETag"] == 'W/"2"'
    stale = await identity.http.put(url, json={"roles": ["counter_clerk"]},
                                    headers={**bearer(admin), "If-Match": 'W/"1"'})
    assert stale.status_code == 412
    assert stale.headers["content-type"] == PROBLEM
    token = await identity.token(town, "promoted", "promotion-secret-1")
    assert {"tax:read", "audit:read"} <= set(token["scope"].split())


async def test_bad_staff_input_names_the_field(identity: Identity,
                                               towns: tuple[str, str]) -> None:
    town, _ = towns
    admin = await identity.admin(town)
    cases = [
        ({"login": "weak", "initial_password": "short", "roles": ["counter_clerk"]},
         "initial_password", 422),
        ({"login": "ok.login", "initial_password": "long-enough-pass", "roles": ["king"]},
         "roles", 422),
        ({"login": "Bad Login!", "initial_password": "long-enough-pass",
          "roles": ["counter_clerk"]}, "login", 422),
        ({"login": "ok.login", "initial_password": "long-enough-pass",
          "roles": ["counter_clerk"], "superuser": True}, "superuser", 422),
    ]
    for body, field, status in cases:
        response = await identity.http.post(_staff_url(town), json=body,
                                            headers=post_headers(admin))
        assert response.status_code == status, response.text
        assert response.headers["content-type"] == PROBLEM
        assert field in [p["name"] for p in response.json()["invalid_params"]]
    duplicate = await identity.http.post(_staff_url(town), json={
        "login": "admin", "initial_password": "long-enough-pass", "roles": ["auditor"]},
        headers=post_headers(admin))
    assert duplicate.status_code == 409


async def test_a_repeated_create_with_the_same_key_creates_once(
    identity: Identity, towns: tuple[str, str],
) -> None:
    town, _ = towns
    admin = await identity.admin(town)
    headers = post_headers(admin)
    body = {"login": "once", "initial_password": "only-one-account", "roles": ["auditor"]}
    first = await identity.http.post(_staff_url(town), json=body, headers=headers)
    again = await identity.http.post(_staff_url(town), json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    other = await identity.http.post(_staff_url(town), json={**body, "login": "twice"},
                                     headers=headers)
    assert other.status_code == 422
    assert other.json()["invalid_params"][0]["name"] == "Idempotency-Key"


async def test_an_admin_cannot_manage_another_municipalitys_staff(
    identity: Identity, towns: tuple[str, str],
) -> None:
    town, other = towns
    admin = await identity.admin(town)
    other_admin = await identity.admin(other)
    victim = await identity.staff(other, other_admin, "victim", "target-secret-99",
                                  ["counter_clerk"])
    attempts = [
        ("GET", _staff_url(other), None),
        ("GET", _staff_url(other, f"/{victim['id']}"), None),
        ("POST", _staff_url(other), {"login": "mole", "initial_password": "mole-password-1",
                                     "roles": ["tenant_admin"]}),
        ("PUT", _staff_url(other, f"/{victim['id']}/roles"), {"roles": ["tenant_admin"]}),
        ("POST", _staff_url(other, f"/{victim['id']}/disable"), None),
        ("GET", f"/v1/municipalities/{other}/identity/audit", None),
    ]
    for method, url, body in attempts:
        response = await identity.http.request(method, url, json=body,
                                               headers=post_headers(admin))
        assert response.status_code == 403, (method, url, response.text)
        assert response.headers["content-type"] == PROBLEM
        assert "victim" not in response.text
    # Through its own municipality's path, the other tenant's staff id is simply not there.
    own_path = await identity.http.get(_staff_url(town, f"/{victim['id']}"),
                                       headers=bearer(admin))
    assert own_path.status_code == 404
    disable = await identity.http.post(_staff_url(town, f"/{victim['id']}/disable"),
                                       headers=post_headers(admin))
    assert disable.status_code == 404
    listing = (await identity.http.get(_staff_url(town), params={"limit": 200},
                                       headers=bearer(admin))).json()
    assert all(s["municipality_code"] == town for s in listing["items"])
    assert "victim" not in [s["login"] for s in listing["items"]]
    still = await identity.token(other, "victim", "target-secret-99")
    assert still["access_token"]


async def test_a_clerk_without_staff_manage_is_refused(identity: Identity,
                                                       towns: tuple[str, str]) -> None:
    town, _ = towns
    admin = await identity.admin(town)
    await identity.staff(town, admin, "plain.clerk", "plain-clerk-pass", ["counter_clerk"])
    clerk = (await identity.token(town, "plain.clerk", "plain-clerk-pass"))["access_token"]
    response = await identity.http.get(_staff_url(town), headers=bearer(clerk))
    assert response.status_code == 403
    assert "staff:manage" in response.json()["detail"]
    anonymous = await identity.http.get(_staff_url(town))
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"] == PROBLEM


async def test_an_admin_cannot_disable_themselves_and_unknown_ids_are_404(
    identity: Identity, towns: tuple[str, str],
) -> None:
    town, _ = towns
    admin = await identity.admin(town)
    me = (await identity.http.get(_staff_url(town), params={"limit": 200},
                                  headers=bearer(admin))).json()["items"]
    admin_id = next(s["id"] for s in me if s["login"] == "admin")
    own = await identity.http.post(_staff_url(town, f"/{admin_id}/disable"),
                                   headers=post_headers(admin))
    assert own.status_code == 409
    missing = await identity.http.post(_staff_url(town, f"/{uuid.uuid4()}/disable"),
                                       headers=post_headers(admin))
    assert missing.status_code == 404
