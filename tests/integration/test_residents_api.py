"""The residents API: bad input gets problem+json and changes nothing; POSTs are idempotent."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
import sqlalchemy as sa

from kyodo_common.assertion import AssertionSigner
from kyodo_common.db import Database
from kyodo_residents.main import create_app
from kyodo_residents.settings import ResidentsSettings
from kyodo_testing import Infrastructure, PlatformKeys, TokenMinter

from .conftest import NAGAOKA, SANJO
from .factories import resident_json

pytestmark = pytest.mark.integration
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
async def client(infrastructure: Infrastructure, tokens: TokenMinter,
                 tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[httpx.AsyncClient]:
    settings = ResidentsSettings(database_url=infrastructure.urls("residents")["DATABASE_URL"],
                                 var_dir=tmp_path_factory.mktemp("var"), max_body_bytes=4096,
                                 **PlatformKeys.shared().env("residents"))
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        app.state.verifier.set_keys(tokens.jwks)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://residents") as c:
            c.headers["Authorization"] = f"Bearer {tokens.token(SANJO)}"
            yield c


URL = f"/v1/municipalities/{SANJO}/residents"


def _post_headers() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


async def _count(db: Database) -> int:
    async with db.tenant_transaction(SANJO) as session:
        return int((await session.execute(sa.text("SELECT count(*) FROM residents"))).scalar_one())


@pytest.mark.parametrize(
    ("content", "status", "field"),
    [
        (b'{"family_name": "x",', 400, "body"),
        (b'{"family_name": 12}', 422, "family_name"),
        (None, 422, "birth_date"),
        (None, 422, "nickname"),
        (None, 422, "family_name_kana"),
        (None, 422, "postal_code"),
    ],
    ids=["malformed-json", "wrong-type", "bad-date", "unknown-field", "kana", "postal"],
)
async def test_bad_input_gets_a_problem_naming_the_field_and_changes_nothing(
    client: httpx.AsyncClient, residents_db: Database, content: bytes | None, status: int,
    field: str,
) -> None:
    if content is None:
        body = resident_json()
        body.update({
            "birth_date": {"birth_date": "1990-13-40"},
            "nickname": {"nickname": "タロちゃん"},
            "family_name_kana": {"family_name_kana": "Sanjo"},
            "postal_code": {"postal_code": "95586"},
        }[field])
        content = httpx.Request("POST", "/", json=body).content
    before = await _count(residents_db)
    response = await client.post(URL, content=content, headers={
        **_post_headers(), "Content-Type": "application/json"})
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == status
    assert field in [p["name"] for p in problem["invalid_params"]]
    assert await _count(residents_db) == before


@pytest.mark.parametrize(("field", "value", "named"), [
    ("family_name", "山田😀", "😀 (U+1F600)"),
    ("given_name", "\U0002EA4C子", "\U0002EA4C (U+2EA4C)"),  # CJK Ext. F: not in IPAmj明朝
    ("address", "新潟県三条市\ue000町1番地", "\ue000 (U+E000)"),  # a private-use 外字 slot
    ("family_name", "辻\U000E0105", "辻\U000E0105 (U+8FBB U+E0105)"),  # an IVS the font lacks
])
async def test_a_character_no_certificate_can_print_is_refused_naming_it(
    client: httpx.AsyncClient, residents_db: Database, field: str, value: str, named: str,
) -> None:
    before = await _count(residents_db)
    response = await client.post(URL, json=resident_json(**{field: value}),
                                 headers=_post_headers())
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    [param] = response.json()["invalid_params"]
    assert param["name"] == field
    assert named in param["reason"]
    assert await _count(residents_db) == before


async def test_names_in_the_certificates_font_are_registered_as_written(
    client: httpx.AsyncClient,
) -> None:
    body = resident_json(family_name="𠮷田", given_name="辻\U000E0102",
                         address="新潟県三条市﨑町1番地")
    created = await client.post(URL, json=body, headers=_post_headers())
    assert created.status_code == 201, created.text
    read = await client.get(created.headers["Location"],
                            headers={"X-Kyodo-Purpose": "residence-certificate"})
    assert (read.json()["family_name"], read.json()["given_name"]) == ("𠮷田", "辻\U000E0102")


async def test_an_oversized_body_is_refused_with_413(client: httpx.AsyncClient,
                                                     residents_db: Database) -> None:
    before = await _count(residents_db)
    body = resident_json(address="長" * 5000)
    response = await client.post(URL, json=body, headers=_post_headers())
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    assert await _count(residents_db) == before


async def test_a_repeated_post_with_the_same_key_registers_once(
    client: httpx.AsyncClient, residents_db: Database,
) -> None:
    body, headers = resident_json(), _post_headers()
    before = await _count(residents_db)
    first = await client.post(URL, json=body, headers=headers)
    again = await client.post(URL, json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert await _count(residents_db) == before + 1
    reused = await client.post(URL, json=resident_json(), headers=headers)
    assert reused.status_code == 422
    assert reused.json()["invalid_params"][0]["name"] == "Idempotency-Key"


async def test_a_repeat_gets_the_first_answers_location_and_etag(
    client: httpx.AsyncClient,
) -> None:
    body, headers = resident_json(), _post_headers()
    first = await client.post(URL, json=body, headers=headers)
    again = await client.post(URL, json=body, headers=headers)
    assert first.status_code == again.status_code == 201, again.text
    assert first.headers["location"] == f"{URL}/{first.json()['id']}"
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["etag"] == first.headers["etag"] == 'W/"1"'


async def test_a_post_without_idempotency_key_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(URL, json=resident_json())
    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["name"] == "Idempotency-Key"


async def test_registered_resident_reads_back_with_purpose_and_normalized_kana(
    client: httpx.AsyncClient,
) -> None:
    created = await client.post(URL, json=resident_json(given_name_kana="はなこ"),
                                headers=_post_headers())
    assert created.status_code == 201
    location = created.headers["Location"]
    without_purpose = await client.get(location)
    assert without_purpose.status_code == 400
    read = await client.get(location, headers={"X-Kyodo-Purpose": "residence-certificate"})
    assert read.status_code == 200
    resident = read.json()
    assert resident["given_name_kana"] == "ハナコ"
    assert resident["postal_code"] == "9408501"
    assert read.headers["ETag"] == 'W/"1"'


async def test_another_municipalitys_clerk_is_refused(client: httpx.AsyncClient,
                                                      tokens: TokenMinter) -> None:
    response = await client.post(URL, json=resident_json(), headers={
        **_post_headers(), "Authorization": f"Bearer {tokens.token(NAGAOKA)}"})
    assert response.status_code == 403
    no_token = await client.post(URL, json=resident_json(), headers={
        **_post_headers(), "Authorization": ""})
    assert no_token.status_code == 401


def _assertion(signer: AssertionSigner, *, home: str, acting: str, scopes: str) -> str:
    import time

    from kyodo_common.assertion import Acting, sign_assertion
    from kyodo_common.auth import Principal

    principal = Principal(subject="nagaoka-clerk", home_municipality=home, kind="staff",
                          roles=frozenset({"counter_clerk"}), scopes=frozenset(scopes.split()),
                          expires_at=time.time() + 60, token_id="t1")
    return sign_assertion(signer, Acting(
        principal=principal, municipality=acting, scopes=principal.scopes, grant_id="g-1",
        expires_at=time.time() + 60))


async def test_the_gateways_assertion_lets_a_granted_clerk_act_for_another_municipality(
    client: httpx.AsyncClient,
) -> None:
    secret = PlatformKeys.shared().signer
    granted = _assertion(secret, home=NAGAOKA, acting=SANJO, scopes="residents:write")
    response = await client.post(URL, json=resident_json(), headers={
        **_post_headers(), "Authorization": "", "X-Kyodo-Assertion": granted})
    assert response.status_code == 201, response.text


@pytest.mark.parametrize("case", ["forged", "other-municipality", "missing-scope"])
async def test_an_assertion_that_is_forged_or_does_not_cover_the_call_is_refused(
    client: httpx.AsyncClient, case: str,
) -> None:
    secret = PlatformKeys.shared().signer
    assertion = {
        "forged": _assertion(PlatformKeys().signer, home=NAGAOKA, acting=SANJO,
                             scopes="residents:write"),
        "other-municipality": _assertion(secret, home=SANJO, acting=NAGAOKA,
                                         scopes="residents:write"),
        "missing-scope": _assertion(secret, home=NAGAOKA, acting=SANJO,
                                    scopes="residents:read"),
    }[case]
    response = await client.post(URL, json=resident_json(), headers={
        **_post_headers(), "X-Kyodo-Assertion": assertion})
    assert response.status_code == (401 if case == "forged" else 403)
    assert response.headers["content-type"] == PROBLEM
