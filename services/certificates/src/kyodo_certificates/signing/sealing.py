"""AES-GCM sealing of bytes at rest (the signing key, issued PDFs), keyed from the secret.

kyodo_common.crypto.FieldCipher seals text; PDFs and raw keys are bytes, so this is the same
construction (a key per purpose, derived with kyodo_common.crypto.derive_key; the associated
data binds a ciphertext to its row) for bytes.
"""

from __future__ import annotations

import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kyodo_common.crypto import derive_key

_NONCE = 12


class Sealer:
    def __init__(self, secret: str, purpose: str) -> None:
        self._aead = AESGCM(derive_key(secret, purpose))

    def seal(self, plaintext: bytes, *, bound_to: str) -> bytes:
        nonce = os.urandom(_NONCE)
        return nonce + self._aead.encrypt(nonce, plaintext, bound_to.encode())

    def open(self, sealed: bytes, *, bound_to: str) -> bytes:
        sealed = bytes(sealed)
        return self._aead.decrypt(sealed[:_NONCE], sealed[_NONCE:], bound_to.encode())
