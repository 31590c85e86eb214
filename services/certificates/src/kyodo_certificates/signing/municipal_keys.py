"""Each municipality's chain under the platform root: made on its first issuance, kept sealed.

A row holds the municipality's issuing CA and document signer: certificates in DER, private
keys in PKCS#8 sealed with certificates' own sealing key (bound to the row and the role), so
the database alone signs nothing. Rows are tenant rows (RLS): a municipality's transaction
sees only its own. The newest row made under today's root whose signer stays valid for
RENEW_BEFORE is used (renewal_due); else a new chain is made (a new root, or a signer near its
end).
Nothing here logs: the keys leave this module only as pyHanko's signer.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from cryptography import x509
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_certificates.adapters.tables import municipal_signing_keys as keys
from kyodo_certificates.domain.people import Municipality
from kyodo_certificates.signing.pki import (
    RENEW_BEFORE,
    Authority,
    MunicipalChain,
    cert_der,
    key_der,
    load_key,
    municipal_chain,
)
from kyodo_common.crypto import Sealer

# One creator per municipality at a time; the others wait, then read its row.
_ONE_CREATOR = sa.text("SELECT pg_advisory_xact_lock(hashtext('kyodo.municipal-signing-key'), "
                       "hashtext(:code))")


def root_sha256(root: Authority) -> bytes:
    return hashlib.sha256(cert_der(root.certificate)).digest()


def renewal_due(root: Authority, now: datetime) -> datetime:
    """A chain whose signer ends before this is replaced: RENEW_BEFORE ahead, but not past
    the root's own end (a new chain would end no later; a root near its end is rotated)."""
    return min(now + RENEW_BEFORE, root.certificate.not_valid_after_utc - timedelta(days=1))


async def _usable(session: AsyncSession, code: str, root: Authority,
                  now: datetime) -> sa.Row[tuple[str, bytes, bytes, bytes, bytes]] | None:
    return (await session.execute(
        sa.select(keys.c.kid, keys.c.issuing_certificate, keys.c.issuing_key,
                  keys.c.signer_certificate, keys.c.signer_key)
        .where(keys.c.municipality_code == code, keys.c.root_sha256 == root_sha256(root),
               keys.c.not_after > renewal_due(root, now))
        .order_by(keys.c.created_at.desc()).limit(1))).first()


async def municipal_signer(session: AsyncSession, sealer: Sealer, root: Authority,
                           town: Municipality) -> tuple[str, MunicipalChain]:
    """The municipality's chain (its kid and keys), made now if it has none usable."""
    now = datetime.now(UTC)
    row = await _usable(session, town.code, root, now)
    if row is None:
        await session.execute(_ONE_CREATOR, {"code": town.code})
        row = await _usable(session, town.code, root, now)
    if row is not None:
        bound = f"{town.code}/{row.kid}"
        return row.kid, MunicipalChain(
            Authority(load_key(sealer.open(row.issuing_key, bound_to=f"{bound}/issuing")),
                      x509.load_der_x509_certificate(row.issuing_certificate)),
            Authority(load_key(sealer.open(row.signer_key, bound_to=f"{bound}/signer")),
                      x509.load_der_x509_certificate(row.signer_certificate)))
    chain = municipal_chain(root, code=town.code, name=town.name, prefecture=town.prefecture,
                            now=now)
    signer_der = cert_der(chain.signer.certificate)
    kid = hashlib.sha256(signer_der).hexdigest()[:16]
    bound = f"{town.code}/{kid}"
    await session.execute(sa.insert(keys).values(
        municipality_code=town.code, kid=kid, root_sha256=root_sha256(root),
        issuing_certificate=cert_der(chain.issuing.certificate),
        issuing_key=sealer.seal(key_der(chain.issuing.key), bound_to=f"{bound}/issuing"),
        signer_certificate=signer_der,
        signer_key=sealer.seal(key_der(chain.signer.key), bound_to=f"{bound}/signer"),
        not_after=chain.signer.certificate.not_valid_after_utc, created_at=now))
    return kid, chain
