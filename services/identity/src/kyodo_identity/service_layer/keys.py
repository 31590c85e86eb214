"""Ed25519 signing keys: the newest key signs; every key not yet retired is in the JWKS.

The private keys are sealed at rest (AES-GCM, bound to their kid) with identity's own
key-encryption key (KYODO_IDENTITY_KEY_ENCRYPTION_KEYS): the app role, a database dump or
a backup reads ciphertext only. Rows written before sealing (plaintext PEM) are sealed by
`seal_plaintext_keys` when identity starts; sealing an already sealed row changes nothing.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kyodo_common.crypto import Sealer
from kyodo_identity.adapters.store import IdentityStore

PURPOSE = "identity-token-signing-key"
_PLAINTEXT = b"-----BEGIN "  # a PEM row from before sealing; a sealed row starts with a nonce


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: Ed25519PrivateKey


def new_key() -> tuple[str, str, dict[str, Any]]:
    private = Ed25519PrivateKey.generate()
    kid = uuid.uuid4().hex
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    jwk = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(private.public_key()))
    jwk.update({"kid": kid, "use": "sig", "alg": "EdDSA"})
    return kid, pem, jwk


def seal(sealer: Sealer, kid: str, pem: str) -> bytes:
    return sealer.seal(pem.encode(), bound_to=kid)


def unseal(sealer: Sealer, kid: str, stored: bytes) -> Ed25519PrivateKey:
    stored = bytes(stored)
    if stored.startswith(_PLAINTEXT):  # not sealed yet: seal_plaintext_keys runs at start
        return load_private_key(stored.decode())
    return load_private_key(sealer.open(stored, bound_to=kid).decode())


async def seal_plaintext_keys(store: IdentityStore, sealer: Sealer) -> int:
    """Seals the rows still in plaintext (an older data directory); how many it sealed."""
    sealed = 0
    for row in await store.signing_key_rows():
        stored = bytes(row.private_key)
        if stored.startswith(_PLAINTEXT):
            await store.store_private_key(row.kid, seal(sealer, row.kid, stored.decode()))
            sealed += 1
    return sealed


async def active_key(store: IdentityStore, sealer: Sealer) -> SigningKey:
    """The newest unretired key; one is created on first use."""
    row = await store.newest_signing_key()
    if row is None:
        kid, pem, jwk = new_key()
        await store.add_signing_key(kid=kid, private_key=seal(sealer, kid, pem),
                                    public_jwk=jwk, created_at=None)
        return SigningKey(kid, load_private_key(pem))
    return SigningKey(row.kid, unseal(sealer, row.kid, row.private_key))


def load_private_key(pem: str) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    assert isinstance(key, Ed25519PrivateKey)
    return key


@dataclass(frozen=True)
class Rotation:
    kid: str
    retiring: list[tuple[str, datetime]]


async def rotate_keys(store: IdentityStore, sealer: Sealer, *, now: datetime,
                      retire_after: timedelta) -> Rotation:
    """A new key signs from now; the keys it replaces verify until every token they signed
    has expired, then leave the JWKS."""
    retired_at = now + retire_after
    replaced = await store.retire_signing_keys(retired_at)
    kid, pem, jwk = new_key()
    # created_at from the clock, not now(): the new key must sort after every key it replaces.
    await store.add_signing_key(kid=kid, private_key=seal(sealer, kid, pem), public_jwk=jwk,
                                created_at=now)
    return Rotation(kid=kid, retiring=[(k, retired_at) for k in replaced])
