"""Field encryption at rest (AES-GCM) and keyed hashes for lookups, from the internal secret."""

from __future__ import annotations

import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_NONCE_BYTES = 12


def derive_key(secret: str, purpose: str) -> bytes:
    """One key per purpose, so the encryption key never doubles as the lookup key."""
    return hmac.new(secret.encode(), b"kyodo-key\x00" + purpose.encode(), hashlib.sha256).digest()


class FieldCipher:
    """Encrypts one kind of field; the associated data binds a ciphertext to its row."""

    def __init__(self, secret: str, purpose: str) -> None:
        self._aead = AESGCM(derive_key(secret, purpose + ":enc"))
        self._hash_key = derive_key(secret, purpose + ":hash")

    def encrypt(self, plaintext: str, *, bound_to: str) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext.encode(), bound_to.encode())

    def decrypt(self, ciphertext: bytes, *, bound_to: str) -> str:
        nonce, body = ciphertext[:_NONCE_BYTES], ciphertext[_NONCE_BYTES:]
        return self._aead.decrypt(nonce, body, bound_to.encode()).decode()

    def lookup_hash(self, plaintext: str) -> bytes:
        """Equal plaintexts give equal hashes; without the secret, the hash reveals nothing."""
        return hmac.new(self._hash_key, plaintext.encode(), hashlib.sha256).digest()
