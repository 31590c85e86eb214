"""Tokens that must not pass: expired, not yet valid, unknown key, alg none, wrong audience,
wrong issuer, tampered, algorithm confusion. Each one is a 401 problem, never a 500."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import jwt
import pytest

from kyodo_common.auth import TokenVerifier
from kyodo_common.errors import Problem
from kyodo_identity.adapters.store import on_session
from kyodo_identity.service_layer.keys import SigningKey, active_key, load_private_key, new_key
from kyodo_testing import Infrastructure

from .identity_harness import PROBLEM, Identity, bearer, running_identity

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]


@pytest.fixture(scope="module")
async def identity(infrastructure: Infrastructure,
                   tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Identity]:
    async with running_identity(infrastructure, tmp_path_factory.mktemp("var")) as app:
        yield app


@pytest.fixture(scope="module")
async def setting(identity: Identity) -> tuple[str, str, SigningKey]:
    """A municipality, its admin's valid token, and identity's signing key."""
    code = await identity.municipality(await identity.operator())
    admin = await identity.admin(code)
    async with identity.db.platform_transaction() as session:
        key = await active_key(on_session(session), identity.app.state.key_sealer)
    return code, admin, key


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _forge(case: str, valid: str, key: SigningKey, jwks: dict[str, Any]) -> str:
    claims: dict[str, Any] = jwt.decode(valid, options={"verify_signature": False})
    now = int(time.time())
    headers = {"kid": key.kid}
    if case == "expired":
        claims.update(iat=now - 3600, nbf=now - 3600, exp=now - 1800)
    elif case == "not-yet-valid":
        claims.update(nbf=now + 3600, exp=now + 7200)
    elif case == "wrong-audience":
        claims["aud"] = "some-other-platform"
    elif case == "wrong-issuer":
        claims["iss"] = "https://evil.example/identity"
    elif case == "unknown-key":
        kid, pem, _ = new_key()
        return jwt.encode(claims, load_private_key(pem), algorithm="EdDSA",
                          headers={"kid": kid})
    elif case == "alg-none":
        header = _b64(json.dumps({"alg": "none", "typ": "JWT", "kid": key.kid}).encode())
        return f"{header}.{_b64(json.dumps(claims).encode())}."
    elif case == "tampered":
        header, _, signature = valid.split(".")
        claims["scope"] += " mynumber:read"
        return f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"
    elif case == "hs256-with-public-key":
        # Algorithm confusion: the published public key used as an HMAC secret.
        public = next(k for k in jwks["keys"] if k["kid"] == key.kid)
        header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": key.kid}).encode())
        body = _b64(json.dumps(claims).encode())
        mac = hmac.new(public["x"].encode(), f"{header}.{body}".encode(),
                       hashlib.sha256).digest()
        return f"{header}.{body}.{_b64(mac)}"
    elif case == "malformed":
        return "not.a.jwt"
    return jwt.encode(claims, key.private_key, algorithm="EdDSA", headers=headers)


CASES = ["expired", "not-yet-valid", "unknown-key", "alg-none", "wrong-audience",
         "wrong-issuer", "tampered", "hs256-with-public-key", "malformed"]


@pytest.mark.parametrize("case", CASES)
async def test_a_bad_token_is_a_401_problem(identity: Identity,
                                            setting: tuple[str, str, SigningKey],
                                            case: str) -> None:
    code, valid, key = setting
    url = f"/v1/municipalities/{code}/identity/staff"
    assert (await identity.http.get(url, headers=bearer(valid))).status_code == 200
    forged = _forge(case, valid, key, await identity.jwks())

    response = await identity.http.get(url, headers=bearer(forged))
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["status"] == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"

    # What any other service does with the published keys: the same refusal.
    verifier = TokenVerifier(jwks_url="http://identity/v1/auth/jwks.json",
                             issuer=identity.settings.token_issuer,
                             audience=identity.settings.token_audience, http=identity.http)
    with pytest.raises(Problem) as refused:
        await verifier.verify(forged)
    assert refused.value.status == 401


async def test_the_valid_token_carries_the_promised_claims(
    identity: Identity, setting: tuple[str, str, SigningKey],
) -> None:
    code, valid, key = setting
    header = jwt.get_unverified_header(valid)
    claims = jwt.decode(valid, options={"verify_signature": False})
    assert header["alg"] == "EdDSA" and header["kid"] == key.kid
    assert claims["iss"] == identity.settings.token_issuer
    assert claims["aud"] == identity.settings.token_audience
    assert claims["exp"] - claims["iat"] == identity.settings.access_token_seconds
    assert claims["municipality"] == code
    assert claims["kind"] == "staff" and claims["roles"] == ["tenant_admin"]
    assert "staff:manage" in claims["scope"].split()
