"""Keys per purpose (ADR 0003): a compromised service gets nothing of another's.

The attacker holds everything the automation service receives (its settings as `kyodo up`
gives them) and reads the databases as the services' app roles do. With that it cannot
forge an assertion the residents service accepts, cannot decrypt a 個人番号 residents stored,
and cannot read identity's token signing keys. Each test first shows that the real key does
what the stolen material cannot, so a refusal is not an accident of the setup.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import jwt
import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kyodo_automation.settings import AutomationSettings
from kyodo_common.assertion import (
    AUDIENCE,
    Acting,
    key_id,
    load_public_keys,
)
from kyodo_common.auth import Principal
from kyodo_common.clock import today_in_japan
from kyodo_common.crypto import FieldCipher, Sealer
from kyodo_common.db import asyncpg_dsn
from kyodo_identity.service_layer.keys import PURPOSE as TOKEN_KEY_PURPOSE
from kyodo_jp.checkdigits import my_number_check_digit
from kyodo_residents.main import MY_NUMBER
from kyodo_testing import Infrastructure, PlatformKeys, TokenMinter
from tests.integration.identity_harness import running_identity
from tests.integration.residents_client import Clerk, residents_app

pytestmark = pytest.mark.integration

SANJO, NAGAOKA = "152048", "152021"
ROTATED = "152226"  # 上越市


def _stolen() -> list[str]:
    """Every value automation is given, and every key in a list of them: what an attacker
    who owns the automation process has."""
    env = PlatformKeys.shared().env("automation")
    values = {str(v) for v in env.values()}
    values |= {part.strip() for v in env.values() for part in str(v).split(",")}
    settings = AutomationSettings(**env)
    assert settings.account_keys is not None
    values.add(settings.account_keys.get_secret_value())
    return sorted(v for v in values if v)


def _my_number() -> str:
    base = "".join(random.choice("0123456789") for _ in range(11))
    return base + str(my_number_check_digit(base))


def _acting(municipality: str = SANJO) -> Acting:
    principal = Principal(subject="attacker", home_municipality=municipality, kind="staff",
                          roles=frozenset(), scopes=frozenset({"residents:read", "mynumber:read"}),
                          expires_at=time.time() + 60, token_id=uuid.uuid4().hex)
    return Acting(principal=principal, municipality=municipality, scopes=principal.scopes,
                  grant_id=None, expires_at=time.time() + 60)


@pytest.fixture(scope="module")
async def residents(infrastructure: Infrastructure,
                    tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Clerk]:
    async with residents_app(infrastructure, tmp_path_factory.mktemp("var")) as client:
        yield Clerk(client, SANJO, TokenMinter.shared())


def test_automation_is_given_no_key_of_another_service() -> None:
    keys = PlatformKeys.shared()
    mine = set(_stolen())
    for service in ("gateway", "identity", "residents", "certificates"):
        own = {v for k, v in keys.env(service).items()
               if k != "KYODO_GATEWAY_ASSERTION_PUBLIC_KEYS"}
        assert own and not own & mine, service
    assert keys.values["gateway_assertion_key"] not in mine


def _forgeries(stolen: list[str]) -> list[str]:
    """Assertions made with what automation holds: HS256 with any value (the old shared
    secret's way), EdDSA with any value taken for a private key, and unsigned ones."""
    claims = {"sub": "attacker", "home": NAGAOKA, "acting": SANJO, "kind": "staff",
              "scope": "residents:read mynumber:read", "aud": AUDIENCE,
              "exp": int(time.time()) + 60}
    public = load_public_keys(PlatformKeys.shared().env("automation")[
        "KYODO_GATEWAY_ASSERTION_PUBLIC_KEYS"])[0]
    headers = {"kid": key_id(public)}
    forged = [jwt.encode(claims, None, algorithm="none", headers=headers)]
    for value in stolen:
        forged.append(jwt.encode(claims, value.encode().ljust(32, b"\0"), algorithm="HS256",
                                 headers=headers))
        seed = value.encode()[:32].ljust(32, b"\0")
        forged.append(jwt.encode(claims, Ed25519PrivateKey.from_private_bytes(seed),
                                 algorithm="EdDSA", headers=headers))
    return forged


async def test_automation_cannot_forge_an_assertion_that_residents_accepts(
    residents: Clerk,
) -> None:
    url = residents.url("/search")
    body = {"kana_prefix": "ア"}
    base = {"X-Kyodo-Purpose": "register-procedure", "Idempotency-Key": "x"}
    genuine = PlatformKeys.shared().assertion(_acting())
    answer = await residents.client.post(url, json=body,
                                         headers={**base, "X-Kyodo-Assertion": genuine})
    assert answer.status_code == 200, answer.text  # the gateway's own key is accepted
    for forged in _forgeries(_stolen()):
        answer = await residents.client.post(url, json=body,
                                             headers={**base, "X-Kyodo-Assertion": forged})
        assert answer.status_code == 401, (forged, answer.text)


async def test_automation_cannot_decrypt_a_my_number_residents_stored(
    residents: Clerk, infrastructure: Infrastructure,
) -> None:
    today = today_in_japan().isoformat()
    person = (await residents.move_in(effective=today))["residents"][0]
    number = _my_number()
    stored = await residents.post(f"/{person['resident_id']}/my-number", {
        "my_number": number, "effective_date": today}, version=person["version"])
    assert stored.status_code == 200, stored.text
    conn = await asyncpg.connect(asyncpg_dsn(infrastructure.owner_url("residents")))
    try:  # the owner too is bound by row-level security: it names the municipality
        await conn.execute("SELECT set_config('kyodo.municipality', $1, false)", SANJO)
        row = await conn.fetchrow("SELECT my_number_cipher, my_number_hash FROM residents "
                                  "WHERE id = $1", uuid.UUID(person["resident_id"]))
    finally:
        await conn.close()
    assert row is not None
    bound = person["resident_id"]
    own = PlatformKeys.shared().env("residents")["KYODO_MY_NUMBER_KEYS"].split(",")
    assert FieldCipher(own, MY_NUMBER).decrypt(row["my_number_cipher"], bound_to=bound) == number
    for value in _stolen():
        cipher = FieldCipher([value], MY_NUMBER)
        with pytest.raises(InvalidTag):
            cipher.decrypt(row["my_number_cipher"], bound_to=bound)
        # Nor can it test guesses against the lookup hash.
        assert cipher.lookup_hash(number) != bytes(row["my_number_hash"])


async def test_identitys_token_keys_are_sealed_and_automation_cannot_open_them(
    infrastructure: Infrastructure, tmp_path: Path,
) -> None:
    async with running_identity(infrastructure, tmp_path) as identity:
        jwks = (await identity.http.get("/v1/auth/jwks.json")).json()
    published = {k["kid"]: k["x"] for k in jwks["keys"]}
    conn = await asyncpg.connect(asyncpg_dsn(infrastructure.urls("identity")["DATABASE_URL"]))
    try:  # as identity's own app role: what it reads is what a dump of the table holds
        rows = await conn.fetch("SELECT kid, private_key FROM signing_keys")
    finally:
        await conn.close()
    assert rows
    own = PlatformKeys.shared().env("identity")["KYODO_IDENTITY_KEY_ENCRYPTION_KEYS"]
    sealer = Sealer(own.split(","), TOKEN_KEY_PURPOSE)
    opened = 0
    for row in rows:
        stored = bytes(row["private_key"])
        assert b"PRIVATE KEY" not in stored
        for value in _stolen():
            with pytest.raises(InvalidTag):
                Sealer([value], TOKEN_KEY_PURPOSE).open(stored, bound_to=row["kid"])
        if row["kid"] in published:  # the owner's key opens it, and it is the published key
            pem = sealer.open(stored, bound_to=row["kid"])
            private = serialization.load_pem_private_key(pem, password=None)
            assert isinstance(private, Ed25519PrivateKey)
            public = jwt.algorithms.OKPAlgorithm.to_jwk(private.public_key(), as_dict=True)
            assert public["x"] == published[row["kid"]]
            opened += 1
    assert opened


async def test_a_plaintext_token_key_of_an_earlier_data_directory_is_sealed_on_start(
    infrastructure: Infrastructure, tmp_path: Path,
) -> None:
    from kyodo_identity.service_layer.keys import new_key

    kid, pem, jwk = new_key()
    owner = await asyncpg.connect(asyncpg_dsn(infrastructure.owner_url("identity")))
    try:
        await owner.execute(
            "INSERT INTO signing_keys (kid, private_key, public_jwk, created_at, retired_at) "
            "VALUES ($1, $2, $3::jsonb, now() - interval '1 hour', now() + interval '1 hour')",
            kid, pem.encode(), json.dumps(jwk))
        for _ in range(2):  # a second start finds nothing left to seal
            async with running_identity(infrastructure, tmp_path):
                pass
            stored = bytes(await owner.fetchval(
                "SELECT private_key FROM signing_keys WHERE kid = $1", kid))
            assert b"PRIVATE KEY" not in stored
            own = PlatformKeys.shared().env("identity")["KYODO_IDENTITY_KEY_ENCRYPTION_KEYS"]
            assert Sealer(own.split(","), TOKEN_KEY_PURPOSE).open(
                stored, bound_to=kid).decode() == pem
    finally:
        await owner.execute("DELETE FROM signing_keys WHERE kid = $1", kid)
        await owner.close()


async def test_the_my_number_key_rotates_by_rekeying_every_stored_number(
    infrastructure: Infrastructure, tmp_path: Path,
) -> None:
    from kyodo_common.db import Database
    from kyodo_residents.service_layer.rekey import rekey_my_numbers

    old, new = "old-" + uuid.uuid4().hex, "new-" + uuid.uuid4().hex
    today = today_in_japan().isoformat()
    number = _my_number()
    code = ROTATED  # no other test stores numbers here: every one is under old or new
    async with residents_app(infrastructure, tmp_path, KYODO_MY_NUMBER_KEYS=old) as client:
        clerk = Clerk(client, code, TokenMinter.shared())
        person = (await clerk.move_in(effective=today))["residents"][0]
        stored = await clerk.post(f"/{person['resident_id']}/my-number", {
            "my_number": number, "effective_date": today}, version=person["version"])
        assert stored.status_code == 200, stored.text
    path = f"/{person['resident_id']}/my-number"
    # Step 1: the new key in front, the old one behind it: stored numbers still read.
    async with residents_app(infrastructure, tmp_path,
                             KYODO_MY_NUMBER_KEYS=f"{new},{old}") as client:
        clerk = Clerk(client, code, TokenMinter.shared())
        assert (await clerk.get(path)).json() == {"my_number": number}
        # A duplicate is still caught while the old hash is stored.
        other = (await clerk.move_in(effective=today))["residents"][0]
        duplicate = await clerk.post(f"/{other['resident_id']}/my-number", {
            "my_number": number, "effective_date": today}, version=other["version"])
        assert duplicate.status_code == 409, duplicate.text
    # Step 2: re-key (python -m kyodo_residents.rekey); a second run has nothing left.
    db = Database(infrastructure.urls("residents")["DATABASE_URL"], pool_size=1)
    try:
        rotating = FieldCipher([new, old], MY_NUMBER)
        assert await rekey_my_numbers(db, rotating, code, batch_size=2) >= 1
        assert await rekey_my_numbers(db, rotating, code, batch_size=2) == 0
    finally:
        await db.dispose()
    # Step 3: the old key dropped: the number reads, and is still unique, with the new alone.
    async with residents_app(infrastructure, tmp_path, KYODO_MY_NUMBER_KEYS=new) as client:
        clerk = Clerk(client, code, TokenMinter.shared())
        assert (await clerk.get(path)).json() == {"my_number": number}
        duplicate = await clerk.post(f"/{other['resident_id']}/my-number", {
            "my_number": number, "effective_date": today}, version=other["version"])
        assert duplicate.status_code == 409, duplicate.text
