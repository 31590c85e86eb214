"""The keys an API process holds: the signer, the public keys, the sealer of data at rest."""

from __future__ import annotations

from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import SecretStr

from kyodo_certificates.signing.keys import active_signer, public_keys
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
    publics: dict[str, Ed25519PublicKey] = field(default_factory=dict)

    @classmethod
    async def load(cls, db: Database, sealing_keys: SecretStr | None) -> Keyring:
        keys = key_list(sealing_keys, "KYODO_CERTIFICATES_SEALING_KEYS")
        async with db.platform_transaction() as session:
            signer = await active_signer(session, Sealer(keys, KEY_PURPOSE))
            publics = await public_keys(session)
        return cls(db, signer, Sealer(keys, DATA_PURPOSE), publics)

    async def public(self, kid: str) -> Ed25519PublicKey | None:
        """A verifying key; keys added by another process since start are read on demand."""
        if kid not in self.publics:
            async with self.db.platform_transaction() as session:
                self.publics = await public_keys(session)
        return self.publics.get(kid)
