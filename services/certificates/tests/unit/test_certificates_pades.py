"""A certificate PDF's PAdES signature, checked offline as a relying party would: pyHanko's
validator with the platform root as the only trust anchor, and poppler's pdfsig."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import MDPPerm
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from test_certificates_documents import household

from kyodo_certificates.rendering.pdf import render
from kyodo_certificates.signing.municipal_keys import renewal_due
from kyodo_certificates.signing.pades import DocumentSigner
from kyodo_certificates.signing.pki import (
    RENEW_BEFORE,
    Authority,
    cert_der,
    load_root,
    municipal_chain,
)
from kyodo_launcher.keys import new_root_ca

ROOT = load_root(new_root_ca())


def _signer(root: Authority = ROOT, code: str = "152048", name: str = "三条市"
            ) -> DocumentSigner:
    chain = municipal_chain(root, code=code, name=name, prefecture="新潟県")
    return DocumentSigner("test", chain.signer, [chain.issuing.certificate, root.certificate],
                          location=name)


def offline_status(pdf: bytes, root: Authority = ROOT) -> PdfSignatureStatus:
    """pyHanko's validator, the root the only trust anchor, fetching nothing."""
    anchor = asn1_x509.Certificate.load(cert_der(root.certificate))
    context = ValidationContext(trust_roots=[anchor], allow_fetching=False)
    signatures = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    assert len(signatures) == 1
    return validate_pdf_signature(signatures[0], context)


def verifies(status: PdfSignatureStatus) -> bool:
    return bool(status.bottom_line and status.coverage == SignatureCoverageLevel.ENTIRE_FILE)


SIGNED = _signer().sign(render(household(1)))


def test_a_signed_certificate_validates_offline_against_the_root_alone() -> None:
    status = offline_status(SIGNED)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    signature = PdfFileReader(io.BytesIO(SIGNED)).embedded_signatures[0]
    assert signature.docmdp_level == MDPPerm.NO_CHANGES  # certified: no change allowed
    assert status.validation_path is not None
    path = [c.subject.native for c in status.validation_path]
    assert [p["common_name"] for p in path] == [
        "Kyodo Platform Root CA", "三条市 証明書発行CA", "三条市長 証明書発行"]
    signer = status.signing_cert.subject.native
    assert signer["organization_name"] == "三条市" and signer["locality_name"] == "三条市"
    assert signer["organizational_unit_name"] == "152048"
    assert status.md_algorithm == "sha256"
    assert "non_repudiation" in status.key_usage


def test_another_root_is_not_trusted() -> None:
    status = offline_status(SIGNED, load_root(new_root_ca()))
    assert status.intact and not status.trusted and not verifies(status)


def test_a_byte_changed_after_signing_breaks_the_signature() -> None:
    position = SIGNED.index(b"/Keywords")  # the verification code's marker, in the signed range
    changed = SIGNED[:position + 12] + bytes([SIGNED[position + 12] ^ 1]) + SIGNED[position + 13:]
    status = offline_status(changed)
    assert not status.intact and not verifies(status)


def test_a_revision_added_after_signing_is_not_covered() -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(SIGNED))
    writer.root["/Lang"] = generic.TextStringObject("en")  # any change, in a new revision
    writer.update_root()  # type: ignore[no-untyped-call]
    out = io.BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]
    status = offline_status(out.getvalue())
    assert status.intact  # the signed revision itself is untouched…
    assert status.coverage != SignatureCoverageLevel.ENTIRE_FILE and not status.docmdp_ok
    assert not status.bottom_line and not verifies(status)


def test_each_municipality_has_its_own_issuing_ca() -> None:
    other = offline_status(_signer(code="131016", name="千代田区").sign(render(household(1))))
    assert verifies(other)
    ours, theirs = offline_status(SIGNED).validation_path, other.validation_path
    assert ours is not None and theirs is not None
    assert theirs[1].public_key != ours[1].public_key
    assert other.signing_cert.subject.native["organization_name"] == "千代田区"


def _pdfsig(tmp_path: Path, pdf: bytes) -> str:
    tmp_path.mkdir(exist_ok=True)
    nss = tmp_path / "nss"
    nss.mkdir()
    root = tmp_path / "root.pem"
    root.write_bytes(ROOT.certificate.public_bytes(Encoding.PEM))
    password = tmp_path / "password"  # an empty one: a throwaway database of one trusted root
    password.write_text("\n")
    for args in (["-N"], ["-A", "-n", "kyodo-root", "-t", "CT,C,C", "-i", str(root)]):
        subprocess.run(["certutil", *args, "-d", f"sql:{nss}", "-f", str(password)],
                       check=True, capture_output=True, stdin=subprocess.DEVNULL, timeout=60)
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdfsig", "-nssdir", f"sql:{nss}", str(path)], capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=60)
    return done.stdout + done.stderr


@pytest.mark.skipif(shutil.which("pdfsig") is None or shutil.which("certutil") is None,
                    reason="pdfsig or certutil is not installed (Debian poppler-utils and "
                           "libnss3-tools; .ci/run installs them)")
def test_poppler_pdfsig_finds_the_signature_valid_and_the_chain_trusted(tmp_path: Path) -> None:
    report = _pdfsig(tmp_path, SIGNED)
    assert "Signature is Valid" in report, report
    assert "Certificate is Trusted" in report, report
    assert "Total document signed" in report, report
    position = SIGNED.index(b"/Keywords") + 12
    changed = SIGNED[:position] + bytes([SIGNED[position] ^ 1]) + SIGNED[position + 1:]
    assert "Signature is Valid" not in _pdfsig(tmp_path / "changed", changed)


def _root_ending_in(days: int) -> Authority:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Old Root")])
    now = datetime.now(UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                   .public_key(key.public_key()).serial_number(1)
                   .not_valid_before(now - timedelta(days=3650))
                   .not_valid_after(now + timedelta(days=days))
                   .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
                   .sign(key, hashes.SHA256()))
    return Authority(key, certificate)


def test_a_chain_is_renewed_a_year_before_its_end_but_never_past_the_roots() -> None:
    now = datetime.now(UTC)
    assert renewal_due(ROOT, now) == now + RENEW_BEFORE
    fresh = municipal_chain(ROOT, code="152048", name="三条市", prefecture="新潟県", now=now)
    assert fresh.signer.certificate.not_valid_after_utc > renewal_due(ROOT, now)
    ending = _root_ending_in(90)  # a chain made now cannot outlive it: kept, not remade
    chain = municipal_chain(ending, code="152048", name="三条市", prefecture="新潟県", now=now)
    assert chain.signer.certificate.not_valid_after_utc == ending.certificate.not_valid_after_utc
    assert chain.signer.certificate.not_valid_after_utc > renewal_due(ending, now)


def test_a_bad_root_setting_is_refused_without_repeating_it() -> None:
    value = new_root_ca()
    broken = value[:200] + "!" + value[201:]  # base64 no more: a damaged secret
    for setting in ("", broken, value[:-200]):
        with pytest.raises(RuntimeError, match="KYODO_CERTIFICATES_ROOT_CA") as refused:
            load_root(setting)
        assert value[:40] not in str(refused.value) and refused.value.__cause__ is None
