"""The offline statement of a certificate's QR: signed, compact, checked with keys only."""

from __future__ import annotations

from urllib.parse import quote

import segno
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kyodo_common.certificate_qr import Person, Statement, qr_text, verify

URL = "https://kyodo.city.sanjo.niigata.jp/v1/certificates/verify/15204-ABCD-EFGH-JKLM"
KEY = Ed25519PrivateKey.generate()
KEYS = {"0123456789abcdef": KEY.public_key()}
SIX = tuple(Person(n, b) for n, b in [
    ("三条　太郎", "昭和55年12月28日"), ("三条　花子", "昭和57年11月30日"),
    ("三条　一郎", "平成22年10月10日"), ("三条　二郎", "平成24年12月12日"),
    ("三条　さくら", "令和元年5月1日"), ("三条　ウメ", "大正10年10月20日")])


def _qr(people: tuple[Person, ...] = SIX, url: str = URL) -> str:
    statement = Statement(url.rsplit("/", 1)[1], "residence", "152048", "2026-12-07", people)
    return qr_text(url, statement, "0123456789abcdef", KEY.sign)


def test_a_household_of_six_reads_back_as_printed_within_version_15() -> None:
    qr = _qr()
    checked = verify(qr, KEYS)
    assert checked.valid and checked.statement is not None
    assert checked.statement.people == SIX  # birth dates as printed, 元年 included
    assert checked.statement.issued_on == "2026-12-07"
    assert segno.make_qr(qr, error="m").version <= 15


def test_any_changed_character_or_another_code_is_invalid() -> None:
    qr = _qr()
    assert not verify(qr.replace("花子", "花代"), KEYS).valid
    assert not verify(qr.replace("S57.11.30", "S57.11.3"), KEYS).valid
    assert not verify(qr.replace("|152048|", "|152021|"), KEYS).valid
    assert not verify(qr.replace("JKLM#", "JKLN#"), KEYS).valid  # moved to another copy


def test_a_key_not_published_or_a_plain_url_is_invalid() -> None:
    other = {"0123456789abcdef": Ed25519PrivateKey.generate().public_key()}
    assert verify(_qr(), other).reason == "signature does not match the statement"
    assert not verify(_qr(), {}).valid
    assert not verify(URL, KEYS).valid
    assert verify(URL + "#k1.x.y", KEYS).reason == "unknown statement format"
    assert verify(URL + "#k1.x.y.z", KEYS).reason == "malformed statement"


def test_a_separator_inside_a_name_cannot_forge_another_person() -> None:
    qr = _qr((Person("甲;乙~S1.1.1", "昭和1年1月1日"),))
    checked = verify(qr, KEYS)
    assert checked.valid and checked.statement is not None
    assert len(checked.statement.people) == 1


def test_a_statement_copied_from_an_address_bar_still_verifies() -> None:
    url, _, fragment = _qr().partition("#")
    assert verify(f"{url}#{quote(fragment, safe='.|;~')}", KEYS).valid
