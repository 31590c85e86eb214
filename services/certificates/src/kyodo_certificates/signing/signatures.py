"""What is signed: the certificate's canonical content, and the exact PDF bytes.

Two Ed25519 signatures per copy, each over a domain-separated message so that one can never
stand for the other: the content (every printed field, canonical JSON) and the PDF (its
SHA-256, bound to the verification code). A stored record whose content or PDF hash was
altered without the private key no longer verifies; an uploaded PDF that differs from the
issued one by a single byte has another SHA-256.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

CONTENT = b"kyodo-certificate-content\x00"
PDF = b"kyodo-certificate-pdf\x00"


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def content_message(canonical: bytes) -> bytes:
    return CONTENT + canonical


def pdf_message(verification_code: str, sha256: bytes) -> bytes:
    return PDF + verification_code.encode() + b"\x00" + sha256


@dataclass(frozen=True)
class Signer:
    kid: str
    private: Ed25519PrivateKey

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)


def verifies(public: Ed25519PublicKey, signature: bytes, message: bytes) -> bool:
    try:
        public.verify(signature, message)
    except InvalidSignature:
        return False
    return True
