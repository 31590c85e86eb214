"""Anyone can check a certificate, by code or by file, and learn nothing personal."""

from __future__ import annotations

import uuid
import zlib
from collections.abc import AsyncIterator
from io import BytesIO
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from cryptography import x509
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject

from kyodo_certificates.adapters.tables import municipal_signing_keys
from kyodo_certificates.service_layer.keyring import KEY_PURPOSE
from kyodo_certificates.signing.pki import cert_der, key_der, load_key, load_root
from kyodo_common.crypto import Sealer, key_list
from kyodo_common.db import Database
from kyodo_testing import Infrastructure, PlatformKeys

from .certificates_kit import (
    Counter,
    certificates_app,
    feed,
    registered,
    state,
    validated_offline,
)
from .conftest import NAGAOKA, SANJO

pytestmark = pytest.mark.integration
VERIFY = "/v1/certificates/verify"
ONLY = {"result", "kind", "title", "issued_on", "municipality_code", "municipality_name",
        "voided_on"}


@pytest.fixture(scope="module")
async def client(infrastructure: Infrastructure, tmp_path_factory: pytest.TempPathFactory
                 ) -> AsyncIterator[httpx.AsyncClient]:
    async with certificates_app(infrastructure, tmp_path_factory.mktemp("var")) as c:
        yield c


@pytest.fixture
async def issued(client: httpx.AsyncClient, certificates_db: Database
                 ) -> tuple[dict[str, Any], bytes]:
    person = state(given="照合", kana=("サンジョウ", "ショウゴウ"))
    await feed(certificates_db, SANJO, registered(SANJO, person))
    return await Counter(client, SANJO).issued_pdf("residence",
                                                   {"resident_id": str(person.resident_id)})


async def _upload(client: httpx.AsyncClient, pdf: bytes) -> dict[str, Any]:
    response = await client.post(VERIFY, content=pdf,
                                 headers={"Content-Type": "application/pdf"})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _changed_text(pdf: bytes) -> bytes:
    """The same document with one glyph of its page text replaced, rewritten by pypdf."""
    reader = PdfReader(BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    page = writer.pages[0]
    contents = page.get_contents()
    assert contents is not None
    data = contents.get_data()
    position = data.index(b") Tj")  # the last byte of a shown string: one glyph
    changed = data[:position - 1] + bytes([data[position - 1] ^ 1]) + data[position:]
    stream = StreamObject()
    stream.set_data(zlib.compress(changed))
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


async def test_a_genuine_certificate_verifies_by_code_and_by_file_without_personal_data(
    client: httpx.AsyncClient, issued: tuple[dict[str, Any], bytes],
) -> None:
    issuance, pdf = issued
    code = issuance["copies"][0]["verification_code"]
    by_code = await client.get(f"{VERIFY}/{code.lower()}")  # typed in any case
    assert by_code.status_code == 200
    assert by_code.headers["Cache-Control"] == "no-store"
    body = by_code.json()
    assert body["result"] == "genuine" and set(body) <= ONLY
    assert body["kind"] == "residence" and body["municipality_name"] == "三条市"
    assert body["issued_on"] == issuance["issued_on"]
    assert "照合" not in by_code.text and "ショウゴウ" not in by_code.text
    assert (await _upload(client, pdf))["result"] == "genuine"


async def test_one_changed_byte_or_changed_text_makes_the_file_invalid(
    client: httpx.AsyncClient, issued: tuple[dict[str, Any], bytes],
) -> None:
    _, pdf = issued
    middle = len(pdf) // 2
    flipped = pdf[:middle] + bytes([pdf[middle] ^ 0x01]) + pdf[middle + 1:]
    assert (await _upload(client, flipped))["result"] == "invalid"
    rewritten = _changed_text(pdf)
    assert rewritten != pdf
    assert (await _upload(client, rewritten))["result"] == "invalid"
    assert (await _upload(client, b"%PDF-1.4 not a certificate"))["result"] == "invalid"


async def test_a_voided_certificate_says_voided_and_cannot_be_voided_twice(
    client: httpx.AsyncClient, issued: tuple[dict[str, Any], bytes],
) -> None:
    issuance, pdf = issued
    copy = issuance["copies"][0]
    counter, key = Counter(client, SANJO), uuid.uuid4().hex
    url = counter.url(f"/{copy['certificate_id']}/void")
    headers = {**counter.headers, "Idempotency-Key": key}
    voided = await client.post(url, json={"reason": "印刷不良"}, headers=headers)
    replayed = await client.post(url, json={"reason": "印刷不良"}, headers=headers)
    assert voided.status_code == replayed.status_code == 200
    assert voided.json() == replayed.json()
    twice = await client.post(url, json={"reason": "印刷不良"},
                              headers={**counter.headers, "Idempotency-Key": uuid.uuid4().hex})
    assert twice.status_code == 409
    by_code = (await client.get(f"{VERIFY}/{copy['verification_code']}")).json()
    assert by_code["result"] == "voided" and by_code["voided_on"]
    assert (await _upload(client, pdf))["result"] == "voided"
    record = await client.get(counter.url(f"/{copy['certificate_id']}"),
                              headers=counter.headers)
    assert record.json()["status"] == "voided"


@pytest.mark.parametrize("code", ["152048-ZZZZ-ZZZZ-ZZZZ", "152049-AAAA-BBBB-CCCC",
                                  "000000-AAAA-BBBB-CCCC", "not-a-code", "1" * 200])
async def test_an_unknown_code_is_not_found_and_reveals_nothing(
    client: httpx.AsyncClient, code: str,
) -> None:
    response = await client.get(f"{VERIFY}/{code}")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert set(response.json()) <= {"type", "title", "status", "detail", "instance", "trace_id"}
    forged = b"%PDF-1.4\n% kyodo-verify:152048-ZZZZ-ZZZZ-ZZZZ\n"
    assert (await _upload(client, forged)) == {"result": "not_found"}


async def test_the_public_keys_are_published_as_jwk(client: httpx.AsyncClient) -> None:
    keys = (await client.get(f"{VERIFY}/keys")).json()["keys"]
    assert keys and all(k["kty"] == "OKP" and k["crv"] == "Ed25519" for k in keys)


async def test_the_downloaded_pdf_carries_a_signature_verifiable_offline_under_the_root(
    client: httpx.AsyncClient, certificates_db: Database, issued: tuple[dict[str, Any], bytes],
) -> None:
    keys = PlatformKeys.shared().env("certificates")
    root = load_root(keys["KYODO_CERTIFICATES_ROOT_CA"])
    status = await validated_offline(issued[1], root)
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    path, signer = status.validation_path, status.signing_cert
    assert path is not None
    assert [c.subject.native["common_name"] for c in path] == [
        "Kyodo Platform Root CA", "三条市 証明書発行CA", "三条市長 証明書発行"]
    assert status.signing_cert.subject.native["organization_name"] == "三条市"
    assert status.signing_cert.subject.native["organizational_unit_name"] == SANJO
    # The municipality's chain was made once and is kept sealed with certificates' own key.
    async with certificates_db.tenant_transaction(SANJO) as session:
        rows = (await session.execute(sa.select(municipal_signing_keys))).all()
    assert len(rows) == 1 and rows[0].signer_certificate == status.signing_cert.dump()
    sealer = Sealer(key_list(keys["KYODO_CERTIFICATES_SEALING_KEYS"], "keys"), KEY_PURPOSE)
    key = load_key(sealer.open(rows[0].signer_key, bound_to=f"{SANJO}/{rows[0].kid}/signer"))
    assert key.public_key() == x509.load_der_x509_certificate(signer.dump()).public_key()
    assert key_der(key) not in rows[0].signer_key
    assert cert_der(root.certificate) != rows[0].issuing_certificate
    # Another municipality: its own issuing CA under the same root, its name on the signer.
    person = state(family="長岡", given="署名", kana=("ナガオカ", "ショメイ"))
    await feed(certificates_db, NAGAOKA, registered(NAGAOKA, person))
    _, other = await Counter(client, NAGAOKA).issued_pdf(
        "residence", {"resident_id": str(person.resident_id)})
    theirs = await validated_offline(other, root)
    assert theirs.bottom_line and theirs.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert theirs.validation_path is not None
    assert theirs.validation_path[1].public_key != path[1].public_key
    assert theirs.signing_cert.subject.native["organizational_unit_name"] == NAGAOKA


async def test_a_pdf_changed_after_signing_fails_offline_validation(
    issued: tuple[dict[str, Any], bytes],
) -> None:
    root = load_root(PlatformKeys.shared().env("certificates")["KYODO_CERTIFICATES_ROOT_CA"])
    rewritten = await validated_offline(_changed_text(issued[1]), root)  # one glyph, file rewritten
    assert not rewritten.bottom_line
    assert not (rewritten.intact and rewritten.coverage == SignatureCoverageLevel.ENTIRE_FILE)
    middle = len(issued[1]) // 3  # a byte inside the signed range, file otherwise intact
    flipped = issued[1][:middle] + bytes([issued[1][middle] ^ 1]) + issued[1][middle + 1:]
    status = await validated_offline(flipped, root)
    assert not status.intact and not status.bottom_line
