"""Encryption at rest (AES-GCM) and keyed hashes for lookups, from a service's own keys.

A service's key setting is a list, newest first (`key_list`): the newest encrypts and hashes,
every key in the list still opens what it sealed, so a key is rotated by putting the new one
in front, re-encrypting, then dropping the old one (docs/operations.md).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import SecretStr

_NONCE_BYTES = 12


def derive_key(secret: str, purpose: str) -> bytes:
    """One key per purpose, so the encryption key never doubles as the lookup key."""
    return hmac.new(secret.encode(), b"kyodo-key\x00" + purpose.encode(), hashlib.sha256).digest()


def key_list(value: SecretStr | str | None, setting: str) -> tuple[str, ...]:
    """A key setting's keys, newest first (comma-separated); refused when there is none."""
    text = value.get_secret_value() if isinstance(value, SecretStr) else (value or "")
    keys = tuple(k.strip() for k in text.split(",") if k.strip())
    if not keys:
        raise RuntimeError(f"{setting} is not set: this service's own key is required")
    return keys


def new_secret_key() -> str:
    """A fresh key for a key setting (URL-safe text, 256 bits)."""
    import secrets

    return secrets.token_urlsafe(32)


class Sealer:
    """Seals bytes; the associated data binds a ciphertext to its row."""

    def __init__(self, keys: Sequence[str] | str, purpose: str) -> None:
        keys = (keys,) if isinstance(keys, str) else tuple(keys)
        if not keys:
            raise ValueError("at least one key is needed")
        self._aeads = [AESGCM(derive_key(k, purpose)) for k in keys]

    def seal(self, plaintext: bytes, *, bound_to: str) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        return nonce + self._aeads[0].encrypt(nonce, plaintext, bound_to.encode())

    def open(self, sealed: bytes, *, bound_to: str) -> bytes:
        return self.open_with_index(sealed, bound_to=bound_to)[0]

    def open_with_index(self, sealed: bytes, *, bound_to: str) -> tuple[bytes, int]:
        """The plaintext and which key opened it (0: the newest; more: re-seal it)."""
        sealed = bytes(sealed)
        nonce, body = sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:]
        for index, aead in enumerate(self._aeads):
            try:
                return aead.decrypt(nonce, body, bound_to.encode()), index
            except InvalidTag:
                continue
        raise InvalidTag()


class FieldCipher:
    """Encrypts one kind of text field and hashes it for lookups."""

    def __init__(self, keys: Sequence[str] | str, purpose: str) -> None:
        keys = (keys,) if isinstance(keys, str) else tuple(keys)
        self._sealer = Sealer(keys, purpose + ":enc")
        self._hash_keys = [derive_key(k, purpose + ":hash") for k in keys]

    def encrypt(self, plaintext: str, *, bound_to: str) -> bytes:
        return self._sealer.seal(plaintext.encode(), bound_to=bound_to)

    def decrypt(self, ciphertext: bytes, *, bound_to: str) -> str:
        return self._sealer.open(ciphertext, bound_to=bound_to).decode()

    def decrypt_with_index(self, ciphertext: bytes, *, bound_to: str) -> tuple[str, int]:
        plain, index = self._sealer.open_with_index(ciphertext, bound_to=bound_to)
        return plain.decode(), index

    def lookup_hash(self, plaintext: str) -> bytes:
        """Equal plaintexts give equal hashes; without the key, the hash reveals nothing."""
        return hmac.new(self._hash_keys[0], plaintext.encode(), hashlib.sha256).digest()

    def lookup_hashes(self, plaintext: str) -> list[bytes]:
        """The hash under every key: a row not yet re-keyed is still found during rotation."""
        return [hmac.new(k, plaintext.encode(), hashlib.sha256).digest()
                for k in self._hash_keys]
