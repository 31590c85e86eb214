"""Signing-key rotation: the new key signs at once; the old one verifies until it retires."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from kyodo_common.auth import TokenVerifier
from kyodo_common.errors import Problem
from kyodo_testing import Infrastructure

from .identity_harness import PROBLEM, Identity, post_headers, running_identity

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]
RETIREMENT_SECONDS = 2


@pytest.fixture(scope="module")
async def identity(infrastructure: Infrastructure,
                   tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Identity]:
    async with running_identity(infrastructure, tmp_path_factory.mktemp("var"),
                                key_retirement_seconds=RETIREMENT_SECONDS) as app:
        yield app


def _kid(token: str) -> str:
    import jwt

    return str(jwt.get_unverified_header(token)["kid"])


def _fresh_verifier(identity: Identity) -> TokenVerifier:
    """A verifier like another service's: it knows only what the JWKS publishes now."""
    return TokenVerifier(jwks_url="http://identity/v1/auth/jwks.json",
                         issuer=identity.settings.token_issuer,
                         audience=identity.settings.token_audience, http=identity.http)


async def test_a_token_of_the_previous_key_verifies_until_the_key_retires(
    identity: Identity,
) -> None:
    operator = await identity.operator()
    before = await identity.operator()
    rotated = await identity.http.post("/v1/auth/keys/rotate", headers=post_headers(operator))
    assert rotated.status_code == 201, rotated.text
    new_kid = rotated.json()["kid"]
    assert _kid(before) in [r["kid"] for r in rotated.json()["retiring"]]

    after = await identity.operator()
    assert _kid(after) == new_kid
    published = {k["kid"] for k in (await identity.jwks())["keys"]}
    assert {new_kid, _kid(before)} <= published
    assert (await _fresh_verifier(identity).verify(before)).kind == "operator"
    assert (await _fresh_verifier(identity).verify(after)).kind == "operator"

    await asyncio.sleep(RETIREMENT_SECONDS + 0.5)
    published = {k["kid"] for k in (await identity.jwks())["keys"]}
    assert _kid(before) not in published
    assert new_kid in published
    with pytest.raises(Problem) as refused:
        await _fresh_verifier(identity).verify(before)
    assert refused.value.status == 401
    assert (await _fresh_verifier(identity).verify(after)).kind == "operator"
    # The app's own verifier refreshes at most every 10 s; give it the new key set now.
    await identity.reload_keys()


async def test_only_an_operator_may_rotate(identity: Identity) -> None:
    operator = await identity.operator()
    town = await identity.municipality(operator)
    admin = await identity.admin(town)
    refused = await identity.http.post("/v1/auth/keys/rotate", headers=post_headers(admin))
    assert refused.status_code == 403
    assert refused.headers["content-type"] == PROBLEM
    anonymous = await identity.http.post("/v1/auth/keys/rotate", headers=post_headers())
    assert anonymous.status_code == 401
