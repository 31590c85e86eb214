"""The platform's certificate key: Ed25519, generated on first use and stored encrypted.

Generated and stored (like identity's token keys), not derived from a setting: a leaked
sealing key alone must not let anyone sign certificates; the database row alone does not
either, since the private key is sealed with a key derived from certificates' own sealing key
(KYODO_CERTIFICATES_SEALING_KEYS, held by no other service). Public
keys stay published (`GET /v1/certificates/verify/keys`) after rotation, because a paper
certificate outlives any key rotation.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_certificates.adapters.tables import certificate_keys
from kyodo_certificates.signing.signatures import Signer, key_id
from kyodo_common.crypto import Sealer

_ONE_CREATOR = sa.text("SELECT pg_advisory_xact_lock(hashtext('kyodo.certificate-key'))")


async def active_signer(session: AsyncSession, sealer: Sealer) -> Signer:
    """The newest key that is not retired; the first caller creates it (others wait)."""
    await session.execute(_ONE_CREATOR)
    row = (await session.execute(
        sa.select(certificate_keys.c.kid, certificate_keys.c.private_key)
        .where(certificate_keys.c.retired_at.is_(None))
        .order_by(certificate_keys.c.created_at.desc()).limit(1))).first()
    if row is not None:
        raw = sealer.open(row.private_key, bound_to=row.kid)
        return Signer(row.kid, Ed25519PrivateKey.from_private_bytes(raw))
    private = Ed25519PrivateKey.generate()
    kid = key_id(private.public_key())
    raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    await session.execute(sa.insert(certificate_keys).values(
        kid=kid, public_key=private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw),
        private_key=sealer.seal(raw, bound_to=kid), created_at=sa.func.now()))
    return Signer(kid, private)


async def public_keys(session: AsyncSession) -> dict[str, Ed25519PublicKey]:
    rows = (await session.execute(
        sa.select(certificate_keys.c.kid, certificate_keys.c.public_key))).all()
    return {r.kid: Ed25519PublicKey.from_public_bytes(bytes(r.public_key)) for r in rows}


def jwk(kid: str, public: Ed25519PublicKey) -> dict[str, Any]:
    """RFC 8037 OKP key, so anyone can check a signature with standard tools."""
    import base64

    raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "kid": kid, "use": "sig", "alg": "EdDSA",
            "x": base64.urlsafe_b64encode(raw).rstrip(b"=").decode()}
