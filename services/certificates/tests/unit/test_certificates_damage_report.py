"""Fees per kind, 元年 display, and what a 被災証明書 prints (and never prints)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from typing import get_args

from kyodo_identity_events.tenant_config import CertificateKind

from kyodo_certificates.domain.damage_report import (
    DamagedProperty,
    DamageReport,
    DeclaredDisaster,
    damage_report_document,
)
from kyodo_certificates.domain.kinds import Kind
from kyodo_certificates.domain.people import Municipality, Registered
from kyodo_certificates.rendering.pdf import render

TOWN = Municipality(code="152021", name="長岡市", prefecture="新潟県", mayor_name="長岡　市長",
                    certificate_fee_yen=300)
TYPHOON = DeclaredDisaster(disaster_id=str(uuid.uuid4()), name="令和元年東日本台風",
                           occurred_on=date(2019, 10, 12),
                           application_opens_on=date(2019, 10, 13),
                           application_closes_on=date(2020, 1, 12))
PERSON = Registered(
    resident_id=uuid.uuid4(), resident_number="0000000019", status="resident",
    family_name="長岡", given_name="被災", family_name_kana="ナガオカ", given_name_kana="ヒサイ",
    latin_name=None, birth_date=date(1980, 4, 1), birth_date_partial=None, sex="female",
    nationality="JP", household_id=None, relationship="世帯主", postal_code="9408501",
    address="新潟県長岡市大手通1丁目4番地10", address_since=date(2010, 4, 1),
    became_resident_on=date(2010, 4, 1), left_on=None, protected=False)


def report(**changes: object) -> DamageReport:
    values: dict[str, object] = dict(
        disaster=TYPHOON, person=PERSON, location="新潟県長岡市大手通1丁目4番地10",
        properties=(DamagedProperty.HOUSEHOLD_GOODS, DamagedProperty.NON_RESIDENTIAL),
        description="床上浸水")
    values.update(changes)
    return DamageReport(**values)  # type: ignore[arg-type]


def test_fees_are_the_towns_per_kind_and_the_disaster_certificates_are_free_by_default() -> None:
    assert [TOWN.fee_for(k) for k in Kind] == [300, 300, 0, 0]
    town = replace(TOWN, fees_yen={"tax": 450, "damage_report": 100})
    assert [town.fee_for(k) for k in Kind] == [300, 450, 0, 100]


def test_identity_configures_a_fee_for_every_kind_certificates_issues() -> None:
    assert set(get_args(CertificateKind)) == {kind.value for kind in Kind}


def test_a_damage_report_prints_the_report_and_the_towns_first_year_style() -> None:
    document = damage_report_document(report(), municipality=TOWN, issued_on=date(2019, 10, 20))
    lines = {line.label: line.value for line in document.sheets[0].blocks[0].lines}
    assert document.title == "被災証明書" and document.kind == "damage_report"
    assert lines["災害発生日"] == "令和元年10月12日"
    assert lines["被災物件"] == "家財、住家以外の建物（物置・車庫・店舗等）"
    assert document.fee_yen == 0 and document.issuer == "長岡市長　長岡　市長"
    numbered = damage_report_document(report(), municipality=replace(TOWN, gannen=False),
                                      issued_on=date(2019, 10, 20))
    assert numbered.issued_on_text == "令和1年10月20日"
    assert render(document)[:5] == b"%PDF-"
