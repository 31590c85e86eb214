"""PAdES: each certificate PDF carries the CMS signature of its municipality's signer.

pyHanko writes it: an incremental update with an invisible signature field whose /ByteRange
covers the whole file but the signature itself, and a detached CMS (ETSI.CAdES.detached)
holding the chain signer → municipality's issuing CA → platform root, so the PDF is checked
offline against the root alone. Its fastest path, as used here:
* in memory, no timestamp server, no revocation data, no pre-signing validation (B-B level);
* the space for the signature known in advance (no dry-run signature to size it);
* one pyHanko signer per municipality, built once with its chain (cached by the keyring);
* the signed attributes that are the same for every PDF (content type and the
  signing-certificate-v2 that names the signer's certificate) encoded once per signer:
  asn1crypto re-encoding them took about 80 % of pyHanko's time per PDF (measured on a
  one-person 住民票: 13 ms → 2.4 ms), and the private key parsed once, not per signature.
"""

from __future__ import annotations

import asyncio
import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from asn1crypto import cms, keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from kyodo_certificates.signing.pki import Authority, cert_der, key_der, load_key

FIELD = "KyodoSignature"
DIGEST = "sha256"
# Signed attributes the cache can stand for; anything else (a signing time, a timestamp
# request, revocation info) and pyHanko formats them anew each time, as it would.
_CONSTANT = frozenset({"content_type", "signing_certificate_v2"})
_MESSAGE_DIGEST = "message_digest"
_threads = threading.local()


class _CachedAttributesSigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner with the constant signed attributes encoded once."""

    def __init__(self, signer: Authority, chain: Sequence[x509.Certificate]) -> None:
        super().__init__(
            signing_cert=asn1_x509.Certificate.load(cert_der(signer.certificate)),
            signing_key=keys.PrivateKeyInfo.load(key_der(signer.key)),
            cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
                [asn1_x509.Certificate.load(cert_der(c)) for c in chain]))
        self._key = signer.key
        self._attributes: dict[tuple[Any, ...], tuple[bytes | None, ...]] = {}

    async def signed_attrs(self, data_digest: bytes, digest_algorithm: str,
                           attr_settings: Any = None, content_type: str = "data",
                           use_pades: bool = False, timestamper: Any = None,
                           dry_run: bool = False, is_pdf_sig: bool = True) -> Any:
        key = (digest_algorithm, content_type, use_pades, is_pdf_sig)
        template = self._attributes.get(key) if timestamper is None else None
        if template is None:
            attrs = await super().signed_attrs(
                data_digest, digest_algorithm, attr_settings=attr_settings,
                content_type=content_type, use_pades=use_pades, timestamper=timestamper,
                dry_run=dry_run, is_pdf_sig=is_pdf_sig)
            names = [a["type"].native for a in attrs]
            if timestamper is None and set(names) - {_MESSAGE_DIGEST} <= _CONSTANT:
                # In pyHanko's order (DER sorts a SET OF; keep what it chose).
                self._attributes[key] = tuple(None if n == _MESSAGE_DIGEST else a.dump()
                                              for n, a in zip(names, attrs, strict=True))
            return attrs
        digest = cms.CMSAttribute({"type": _MESSAGE_DIGEST, "values": [data_digest]})
        return cms.CMSAttributes([digest if der is None else cms.CMSAttribute.load(der)
                                  for der in template])

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        return self._key.sign(data, ECDSA(get_pyca_cryptography_hash(digest_algorithm)))


@dataclass(frozen=True)
class SignerSpec:
    """A DocumentSigner as bytes, to rebuild it in a render process (rendering/pool.py): the
    signer's key and certificate and the chain above it, DER. It crosses only the pipe to
    the service's own child processes, never the network or a log."""

    kid: str
    key: bytes
    certificate: bytes
    chain: tuple[bytes, ...]
    location: str

    def signer(self) -> DocumentSigner:
        authority = Authority(load_key(self.key), x509.load_der_x509_certificate(self.certificate))
        return DocumentSigner(self.kid, authority,
                              [x509.load_der_x509_certificate(c) for c in self.chain],
                              location=self.location)


class DocumentSigner:
    """Signs PDFs as one municipality's signer; safe to share between threads."""

    def __init__(self, kid: str, signer: Authority, chain: Sequence[x509.Certificate],
                 *, location: str) -> None:
        self.kid = kid
        self.certificate = signer.certificate
        self.spec = SignerSpec(kid, key_der(signer.key), cert_der(signer.certificate),
                               tuple(cert_der(c) for c in chain), location)
        cms_signer = _CachedAttributesSigner(signer, chain)
        self._pdf_signer = signers.PdfSigner(
            signers.PdfSignatureMetadata(
                field_name=FIELD, md_algorithm=DIGEST,
                subfilter=fields.SigSeedSubFilter.PADES, location=location,
                reason="証明書の交付",
                # A certification signature that allows no change at all: a reader flags any
                # later revision (an annotation, a filled field) as a breach, not a detail.
                certify=True, docmdp_permissions=fields.MDPPerm.NO_CHANGES),
            signer=cms_signer)
        # Hex digits reserved for the CMS: the certificates it carries, the signer info
        # and room to spare (an ECDSA signature varies by a few bytes).
        self._reserved = 2 * (sum(len(cert_der(c)) for c in (signer.certificate, *chain))
                              + 1024)

    async def sign_async(self, pdf: bytes) -> bytes:
        """On the event loop."""
        out = await self._pdf_signer.async_sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(pdf)), bytes_reserved=self._reserved)
        return bytes(out.getbuffer())

    def sign(self, pdf: bytes) -> bytes:
        """Off the event loop (a worker thread): one private loop per thread, reused."""
        loop = getattr(_threads, "loop", None)
        if loop is None:
            loop = _threads.loop = asyncio.new_event_loop()
        return loop.run_until_complete(self.sign_async(pdf))
