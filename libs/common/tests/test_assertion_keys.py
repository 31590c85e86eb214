"""The gateway's assertions: EdDSA only, verified with its public keys, old and new in a
rotation's overlap."""

from __future__ import annotations

import time

import jwt
import pytest

from kyodo_common.assertion import (
    AUDIENCE,
    Acting,
    AssertionSigner,
    AssertionVerifier,
    GatewayKeys,
    key_id,
    load_private_key,
    load_public_keys,
    new_gateway_key,
    sign_assertion,
)
from kyodo_common.auth import Principal
from kyodo_common.errors import Problem


def _acting(municipality: str = "152048") -> Acting:
    principal = Principal(subject="clerk", home_municipality=municipality, kind="staff",
                          roles=frozenset(), scopes=frozenset({"residents:read"}),
                          expires_at=time.time() + 60, token_id="t1")
    return Acting(principal=principal, municipality=municipality, scopes=principal.scopes,
                  grant_id=None, expires_at=time.time() + 60)


def _signer(private: str) -> AssertionSigner:
    return AssertionSigner(load_private_key(private))


def test_an_assertion_verifies_with_the_gateways_public_key_only() -> None:
    private, public = new_gateway_key()
    other, _ = new_gateway_key()
    verifier = AssertionVerifier(GatewayKeys(load_public_keys(public)))
    assert verifier.verify(sign_assertion(_signer(private), _acting())).municipality == "152048"
    with pytest.raises(Problem) as refused:
        verifier.verify(sign_assertion(_signer(other), _acting()))
    assert refused.value.status == 401


def test_no_symmetric_or_unsigned_assertion_is_accepted() -> None:
    """What a service could make with what it holds (the public key), or with nothing."""
    _, public = new_gateway_key()
    verifier = AssertionVerifier(GatewayKeys(load_public_keys(public)))
    kid = key_id(load_public_keys(public)[0])
    claims = {"sub": "x", "home": "152048", "acting": "131016", "aud": AUDIENCE,
              "scope": "residents:read", "exp": int(time.time()) + 60}
    hs256 = jwt.encode(claims, public.encode().ljust(32, b"\0"), algorithm="HS256",
                       headers={"kid": kid})
    unsigned = jwt.encode(claims, None, algorithm="none", headers={"kid": kid})
    for forged in (hs256, unsigned):
        with pytest.raises(Problem):
            verifier.verify(forged)


def test_during_a_rotation_services_accept_the_old_and_the_new_key_then_only_the_new() -> None:
    old_private, old_public = new_gateway_key()
    new_private, new_public = new_gateway_key()
    overlap = AssertionVerifier(GatewayKeys(load_public_keys(f"{new_public},{old_public}")))
    after = AssertionVerifier(GatewayKeys(load_public_keys(new_public)))
    by_old = sign_assertion(_signer(old_private), _acting())
    by_new = sign_assertion(_signer(new_private), _acting())
    assert overlap.verify(by_old).principal.subject == "clerk"
    assert overlap.verify(by_new).principal.subject == "clerk"
    assert after.verify(by_new).principal.subject == "clerk"
    with pytest.raises(Problem):
        after.verify(by_old)


def test_keys_load_from_pem_as_well() -> None:
    from cryptography.hazmat.primitives import serialization

    private, _ = new_gateway_key()
    key = load_private_key(private)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    verifier = AssertionVerifier(GatewayKeys(load_public_keys(public_pem)))
    assert verifier.verify(sign_assertion(_signer(pem), _acting())).municipality == "152048"
    with pytest.raises(RuntimeError, match="KYODO_GATEWAY_ASSERTION_KEY"):
        load_private_key(None)
