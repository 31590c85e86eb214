"""The X.509 chain under every certificate PDF's signature (ADR 0014).

platform root CA (KYODO_CERTIFICATES_ROOT_CA, given like the other platform keys)
  → one issuing CA per municipality (created on the municipality's first issuance)
    → the municipality's document signer (an end entity; its subject names the municipality)

EC P-256 throughout: PDF readers verify it (poppler/NSS, Acrobat), Ed25519 in CMS they mostly
do not yet. The per-municipality keys are created here and stored sealed (municipal_keys.py).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pydantic import SecretStr

SETTING = "KYODO_CERTIFICATES_ROOT_CA"
# A signer is used for at most SIGNER_YEARS minus RENEW_BEFORE: a PDF signed on its last day
# still validates for RENEW_BEFORE (the signatures carry no timestamp: PAdES B-B).
ISSUING_YEARS = 10
SIGNER_YEARS = 5
RENEW_BEFORE = timedelta(days=365)
# Adobe's OID for document signing; readers accept it besides (or instead of) emailProtection.
_DOCUMENT_SIGNING = x509.ObjectIdentifier("1.2.840.113583.1.1.5")


@dataclass(frozen=True)
class Authority:
    """A key and its certificate."""

    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate


def load_root(value: SecretStr | str | None) -> Authority:
    """The root from its setting: the PEM key and certificate, or base64 of them (one line)."""
    text = value.get_secret_value() if isinstance(value, SecretStr) else (value or "")
    text = text.strip()
    if not text:
        raise RuntimeError(f"{SETTING} is not set: the root CA of certificate signatures is "
                           "required (docs/operations.md)")
    try:
        pem = text.encode() if text.startswith("-----") else base64.b64decode(text)
        key = serialization.load_pem_private_key(pem, password=None)
        certificate = x509.load_pem_x509_certificate(pem[pem.index(b"-----BEGIN CERT"):])
    except (ValueError, binascii.Error):
        # Neither the value nor the parser's message: it is the private key.
        raise RuntimeError(f"{SETTING} is not a PEM key and certificate") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise RuntimeError(f"{SETTING} must hold an EC key")
    if key.public_key() != certificate.public_key():
        raise RuntimeError(f"{SETTING}: the key is not the certificate's")
    return Authority(key, certificate)


def _name(*parts: tuple[x509.ObjectIdentifier, str]) -> x509.Name:
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in parts])


def _usage(*, sign: bool, certify: bool) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=sign, content_commitment=sign,
                         key_encipherment=False, data_encipherment=False,
                         key_agreement=False, key_cert_sign=certify, crl_sign=certify,
                         encipher_only=False, decipher_only=False)


def _certify(issuer: Authority, subject: x509.Name, key: ec.EllipticCurvePrivateKey, *,
             now: datetime, years: int, ca: bool) -> x509.Certificate:
    public = key.public_key()
    # Never beyond the issuer: a chain is only as valid as its shortest link.
    not_after = min(now + timedelta(days=365 * years), issuer.certificate.not_valid_after_utc)
    builder = (
        x509.CertificateBuilder().subject_name(subject)
        .issuer_name(issuer.certificate.subject).public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None),
                       critical=True)
        .add_extension(_usage(sign=not ca, certify=ca), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            issuer.key.public_key()), critical=False))
    if not ca:
        builder = builder.add_extension(x509.ExtendedKeyUsage(
            [_DOCUMENT_SIGNING, ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
    return builder.sign(issuer.key, hashes.SHA256())


@dataclass(frozen=True)
class MunicipalChain:
    issuing: Authority
    signer: Authority


def municipal_chain(root: Authority, *, code: str, name: str, prefecture: str,
                    now: datetime | None = None) -> MunicipalChain:
    """A new issuing CA for the municipality under the root, and its document signer."""
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    issuing_key = ec.generate_private_key(ec.SECP256R1())
    issuing = Authority(issuing_key, _certify(
        root, _name((NameOID.COUNTRY_NAME, "JP"), (NameOID.ORGANIZATION_NAME, "Kyodo"),
                    (NameOID.ORGANIZATIONAL_UNIT_NAME, code),
                    (NameOID.COMMON_NAME, f"{name} 証明書発行CA")),
        issuing_key, now=now, years=ISSUING_YEARS, ca=True))
    signer_key = ec.generate_private_key(ec.SECP256R1())
    signer = Authority(signer_key, _certify(
        issuing, _name((NameOID.COUNTRY_NAME, "JP"),
                       (NameOID.STATE_OR_PROVINCE_NAME, prefecture),
                       (NameOID.LOCALITY_NAME, name), (NameOID.ORGANIZATION_NAME, name),
                       (NameOID.ORGANIZATIONAL_UNIT_NAME, code),
                       (NameOID.COMMON_NAME, f"{name}長 証明書発行")),
        signer_key, now=now, years=SIGNER_YEARS, ca=False))
    return MunicipalChain(issuing, signer)


def key_der(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def load_key(der: bytes) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_der_private_key(der, password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return key


def cert_der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)
