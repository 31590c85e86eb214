"""The keys an API process holds: the signer, the public keys, the sealer of data at rest,
the platform root and each municipality's PDF signer (made or read on first use)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import SecretStr

from kyodo_certificates.domain.people import Municipality
from kyodo_certificates.signing.keys import active_signer, public_keys
from kyodo_certificates.signing.municipal_keys import municipal_signer
from kyodo_certificates.signing.pades import DocumentSigner
from kyodo_certificates.signing.pki import RENEW_BEFORE, Authority, load_root
from kyodo_certificates.signing.signatures import Signer
from kyodo_common.crypto import Sealer, key_list
from kyodo_common.db import Database

KEY_PURPOSE = "certificate-signing-key"
DATA_PURPOSE = "certificate-data"


@dataclass
class Keyring:
    db: Database
    signer: Signer
    sealer: Sealer
    root: Authority
    key_sealer: Sealer
    publics: dict[str, Ed25519PublicKey] = field(default_factory=dict)
    # Municipality code → its PDF signer and until when it is used (then renewed).
    documents: dict[str, tuple[datetime, DocumentSigner]] = field(default_factory=dict)

    @classmethod
    async def load(cls, db: Database, sealing_keys: SecretStr | None,
                   root_ca: SecretStr | None) -> Keyring:
        keys = key_list(sealing_keys, "KYODO_CERTIFICATES_SEALING_KEYS")
        root = load_root(root_ca)
        key_sealer = Sealer(keys, KEY_PURPOSE)
        async with db.platform_transaction() as session:
            signer = await active_signer(session, key_sealer)
            publics = await public_keys(session)
        return cls(db, signer, Sealer(keys, DATA_PURPOSE), root, key_sealer, publics)

    async def document_signer(self, town: Municipality) -> DocumentSigner:
        """The municipality's PDF signer: read (or made, on its first issuance) once per
        process, with its chain ready for every PDF after."""
        cached = self.documents.get(town.code)
        if cached is not None and cached[0] > datetime.now(UTC):
            return cached[1]
        async with self.db.tenant_transaction(town.code) as session:
            kid, chain = await municipal_signer(session, self.key_sealer, self.root, town)
        signer = DocumentSigner(kid, chain.signer,
                                [chain.issuing.certificate, self.root.certificate],
                                location=town.name)
        # Kept until its renewal is due, and read again at most hourly after that.
        now = datetime.now(UTC)
        until = max(chain.signer.certificate.not_valid_after_utc - RENEW_BEFORE,
                    now + timedelta(hours=1))
        self.documents[town.code] = (until, signer)
        return signer

    async def public(self, kid: str) -> Ed25519PublicKey | None:
        """A verifying key; keys added by another process since start are read on demand."""
        if kid not in self.publics:
            async with self.db.platform_transaction() as session:
                self.publics = await public_keys(session)
        return self.publics.get(kid)
