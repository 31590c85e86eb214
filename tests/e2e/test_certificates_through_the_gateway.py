"""Certificates on the whole platform: the read model catches up after its worker was down;
a 住民票 issued through the gateway verifies publicly (no login) until it is voided."""

from __future__ import annotations

import io
import json
import os
import signal
import time
import uuid
from collections.abc import Callable

import httpx
import pytest
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from kyodo_certificates.signing.pki import cert_der, load_root

from .conftest import RunningPlatform

pytestmark = pytest.mark.e2e
SANJO = "152048"


def _until(check: Callable[[], bool], seconds: float = 45) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_the_read_model_catches_up_after_the_worker_was_stopped_and_restarted(
    platform: RunningPlatform,
) -> None:
    gateway = platform.gateway
    headers = {"Authorization": f"Bearer {platform.login(SANJO)}",
               "X-Kyodo-Purpose": "residence-certificate"}
    worker = platform.pid("certificates-worker")
    os.kill(worker, signal.SIGSTOP)  # stopped: events keep arriving at the broker
    try:
        ids = []
        for n in range(5):
            created = httpx.post(f"{gateway}/v1/municipalities/{SANJO}/residents", json={
                "family_name": "停止", "given_name": f"太郎{n}", "family_name_kana": "テイシ",
                "given_name_kana": "タロウ", "birth_date": "1970-07-07", "sex": "male",
                "postal_code": "955-8686", "address": "新潟県三条市旭町二丁目3番1号",
                "confirm_not_duplicate": True},
                headers={**headers, "Idempotency-Key": uuid.uuid4().hex}, timeout=10)
            assert created.status_code == 201, created.text
            ids.append(created.json()["id"])
        time.sleep(1.0)
        snapshot = f"{gateway}/v1/municipalities/{SANJO}/certificates/residents/{{}}"
        assert httpx.get(snapshot.format(ids[0]), headers=headers, timeout=10).status_code == 404
    finally:
        os.kill(worker, signal.SIGKILL)  # and gone: the launcher starts a new one

    def caught_up() -> bool:
        return all(httpx.get(snapshot.format(i), headers=headers, timeout=10).status_code == 200
                   for i in ids)

    _until(caught_up)
    assert platform.pid("certificates-worker") != worker

    issued = httpx.post(f"{gateway}/v1/municipalities/{SANJO}/certificates/residence",
                        json={"resident_id": ids[0], "terminal": "本庁1", "printer": "P1"},
                        headers={**headers, "Idempotency-Key": uuid.uuid4().hex,
                                 "Accept": "application/pdf"}, timeout=10)
    assert issued.status_code == 201, issued.text
    assert issued.content.startswith(b"%PDF")
    code = issued.headers["X-Kyodo-Verification-Code"]
    # Offline, the root that `kyodo up` wrote into var/keys.json the only trust anchor.
    root = load_root(json.loads((platform.var_dir / "keys.json").read_text())[
        "certificates_root_ca"])
    [signature] = PdfFileReader(io.BytesIO(issued.content)).embedded_signatures
    status = validate_pdf_signature(signature, ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(cert_der(root.certificate))],
        allow_fetching=False))
    assert status.bottom_line and status.coverage == SignatureCoverageLevel.ENTIRE_FILE

    public = f"{gateway}/v1/certificates/verify"
    by_code = httpx.get(f"{public}/{code}", timeout=10)  # no token: anyone may check
    assert by_code.status_code == 200, by_code.text
    assert by_code.json()["result"] == "genuine"
    by_file = httpx.post(public, content=issued.content,
                         headers={"Content-Type": "application/pdf"}, timeout=10)
    assert by_file.json()["result"] == "genuine"

    certificate = issued.headers["X-Kyodo-Certificate-Id"]
    voided = httpx.post(
        f"{gateway}/v1/municipalities/{SANJO}/certificates/{certificate}/void",
        json={"reason": "e2e"}, headers={**headers, "Idempotency-Key": uuid.uuid4().hex},
        timeout=10)
    assert voided.status_code == 200, voided.text
    assert httpx.get(f"{public}/{code}", timeout=10).json()["result"] == "voided"
