"""A printed 住民票's QR code is checked offline: only the JWKS, no database, no HTTP."""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
import segno
from typer.testing import CliRunner

from kyodo_common.certificate_qr import public_keys, verify
from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database
from kyodo_launcher.cli import app
from kyodo_testing import Infrastructure

from .certificates_kit import Counter, certificates_app, feed, registered, state
from .conftest import SANJO

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def client(infrastructure: Infrastructure, tmp_path_factory: pytest.TempPathFactory
                 ) -> Any:
    async with certificates_app(infrastructure, tmp_path_factory.mktemp("var")) as c:
        yield c


def scanned(pdf: bytes) -> list[str]:
    """Every page's QR as a phone reads it: rendered at 300 dpi (a scan), then decoded."""
    import pypdfium2 as pdfium
    import zxingcpp

    document = pdfium.PdfDocument(pdf)
    texts = []
    for page in document:
        image = page.render(scale=300 / 72).to_pil()
        texts += [r.text for r in zxingcpp.read_barcodes(image)
                  if r.format == zxingcpp.BarcodeFormat.QRCode]
    document.close()
    return texts


async def test_a_printed_household_certificate_is_checked_from_its_qr_with_only_the_keys(
    client: httpx.AsyncClient, certificates_db: Database, tmp_path: Path,
) -> None:
    home = uuid.uuid4()
    given = ["太郎", "花子", "一子", "次郎", "梅", "同居"]
    births = [date(1980, 4, 1), date(1982, 2, 2), date(2010, 6, 6), date(2012, 8, 8),
              date(1950, 3, 3), date(2019, 5, 1)]
    relations = ["世帯主", "妻", "子", "子", "母", "同居人"]
    members = [state(given=g, kana=("サンジョウ", "テスト"), relationship=r,
                     household_id=home, birth=b)
               for g, b, r in zip(given, births, relations, strict=True)]
    await feed(certificates_db, SANJO, registered(SANJO, *members))
    issuance, pdf = await Counter(client, SANJO).issued_pdf("residence", {
        "layout": "household", "resident_id": str(members[0].resident_id)})
    code = issuance["copies"][0]["verification_code"]
    jwks = (await client.get("/v1/certificates/verify/keys")).json()  # fetched once

    texts = scanned(pdf)
    assert len(texts) == 2 and texts[0] == texts[1], "one QR per sheet, the same"
    qr = texts[0]
    url, _, fragment = qr.partition("#")
    assert url.endswith(f"/v1/certificates/verify/{code}") and fragment.startswith("k1.")
    assert segno.make_qr(qr, error="m").version <= 15, "scannable at the printed size"

    checked = verify(qr, public_keys(jwks))  # from here on: no database, no HTTP
    assert checked.valid, checked.reason
    statement = checked.statement
    assert statement is not None
    assert statement.verification_code == code and statement.kind == "residence"
    assert statement.municipality_code == SANJO
    assert statement.issued_on == today_in_japan().isoformat()
    names = {p.name.replace("\u3000", "").replace(" ", "") for p in statement.people}
    assert names == {f"三条{g}" for g in given}
    taro = next(p for p in statement.people if p.name.endswith("太郎"))
    assert taro.birth == "昭和55年4月1日"
    youngest = next(p for p in statement.people if p.name.endswith("同居"))
    assert youngest.birth == "令和元年5月1日"

    changed = qr.replace("太郎", "太朗")  # one character of the statement
    assert not verify(changed, public_keys(jwks)).valid
    other = qr.replace(code, code[:-1] + ("A" if code[-1] != "A" else "B"))  # another code
    assert not verify(other, public_keys(jwks)).valid
    unknown = {"keys": [dict(k, kid="0000000000000000") for k in jwks["keys"]]}
    assert verify(qr, public_keys(unknown)).reason.startswith("signed by a key not in")

    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps(jwks))
    result = CliRunner().invoke(app, ["certificates", "verify-qr", qr, "--keys", str(keys)])
    assert result.exit_code == 0 and result.output.rstrip().endswith("VALID"), result.output
    assert "三条" in result.output and "昭和55年4月1日" in result.output
    result = CliRunner().invoke(app, ["certificates", "verify-qr", changed, "--keys",
                                      str(keys)])
    assert result.exit_code == 1 and "INVALID" in result.output
