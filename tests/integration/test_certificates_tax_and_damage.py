"""課税証明書 / 非課税証明書 (the 1 January municipality only) and 罹災証明書 (no money)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import httpx
import pytest

from kyodo_certificates.upstream.disaster import DamageAssessed, Disaster, Grade
from kyodo_certificates.upstream.tax import Income, TaxAssessed, TaxAssessmentCorrected
from kyodo_common.db import Database
from kyodo_testing import Infrastructure

from .certificates_kit import (
    Counter,
    certificates_app,
    envelope,
    feed,
    flat,
    pdf_pages,
    registered,
    save_png,
    state,
)
from .conftest import NAGAOKA, SANJO

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def client(infrastructure: Infrastructure, tmp_path_factory: pytest.TempPathFactory
                 ) -> AsyncIterator[httpx.AsyncClient]:
    async with certificates_app(infrastructure, tmp_path_factory.mktemp("var")) as c:
        yield c


def assessment(resident_id: uuid.UUID, **changes: Any) -> TaxAssessed:
    values: dict[str, Any] = {
        "assessment_id": uuid.uuid4(), "version": 1, "municipality_code": SANJO,
        "fiscal_year": 2024, "resident_id": resident_id,
        "address_on_january_1": "新潟県三条市旭町二丁目3番1号",
        "incomes": (Income(kind="給与", revenue=4_000_000, income=2_760_000),),
        "total_income": 2_760_000, "deductions": 1_000_000, "taxable_income": 1_760_000,
        "municipal_income_levy": 100_100, "prefectural_income_levy": 66_700,
        "municipal_per_capita": 3_000, "prefectural_per_capita": 1_000, "forest_env": 1_000,
        "total": 171_800, "dependants": 1, "assessed_on": date(2024, 6, 1)}
    values.update(changes)
    return TaxAssessed(**values)


async def test_a_tax_certificate_shows_the_year_the_january_address_and_the_amounts(
    client: httpx.AsyncClient, certificates_db: Database,
) -> None:
    person = state(given="納税", birth=date(1989, 1, 8))
    first = assessment(person.resident_id)
    corrected = TaxAssessmentCorrected(**{**first.model_dump(), "version": 2,
                                          "municipal_income_levy": 99_000, "total": 170_700})
    await feed(certificates_db, SANJO, registered(SANJO, person), corrected, first)
    _, pdf = await Counter(client, SANJO).issued_pdf("tax", {
        "resident_id": str(person.resident_id), "fiscal_year": 2024})
    text = flat(pdf_pages(pdf)[0])
    assert "課税証明書（令和6年度）" in text
    assert "住所（令和6年1月1日現在）新潟県三条市旭町二丁目3番1号" in text
    assert "三条納税" in text and "平成元年1月8日" in text
    assert "所得（令和5年分）" in text and "給与収入4,000,000円" in text
    assert "市町村民税所得割額99,000円" in text, "the correction (version 2) wins"
    assert "年税額170,700円" in text
    assert "上記のとおり証明します。" in text and "三条市長" in text
    save_png(pdf, "tax")


async def test_a_year_without_tax_is_a_non_taxation_certificate_and_undeclared_shows_stars(
    client: httpx.AsyncClient, certificates_db: Database,
) -> None:
    person = state(given="非課税")
    zero = assessment(person.resident_id, declared=False, incomes=(), total_income=0,
                      taxable_income=0, municipal_income_levy=0, prefectural_income_levy=0,
                      municipal_per_capita=0, prefectural_per_capita=0, forest_env=0, total=0)
    await feed(certificates_db, SANJO, registered(SANJO, person), zero)
    _, pdf = await Counter(client, SANJO).issued_pdf("tax", {
        "resident_id": str(person.resident_id), "fiscal_year": 2024})
    text = flat(pdf_pages(pdf)[0])
    assert "非課税証明書（令和6年度）" in text
    assert "年税額＊" in text and "円" not in text.split("税額")[1].split("扶養")[0]


async def test_only_the_january_first_municipality_issues_the_tax_certificate(
    client: httpx.AsyncClient, certificates_db: Database,
) -> None:
    # Moved from Sanjo to Nagaoka on 2024-02-01: Sanjo levies 令和6年度 and certifies it.
    mover = state(given="転居", since=date(2024, 2, 1),
                  address="新潟県長岡市大手通1丁目4番地10", postal_code="9408501")
    await feed(certificates_db, NAGAOKA, registered(NAGAOKA, mover))
    refused = await Counter(client, NAGAOKA).issue("tax", {
        "resident_id": str(mover.resident_id), "fiscal_year": 2024})
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert problem["type"].endswith("/not-january-first")
    assert problem["invalid_params"][0]["name"] == "fiscal_year"
    not_yet = await Counter(client, NAGAOKA).issue("tax", {
        "resident_id": str(mover.resident_id), "fiscal_year": 2025})
    assert not_yet.status_code == 404 and not_yet.json()["type"].endswith("/not-assessed")


async def test_a_protected_taxpayer_is_refused_to_anyone_else(
    client: httpx.AsyncClient, certificates_db: Database,
) -> None:
    person = state(protected=True)
    await feed(certificates_db, SANJO, registered(SANJO, person), assessment(person.resident_id))
    refused = await Counter(client, SANJO).issue("tax", {
        "resident_id": str(person.resident_id), "fiscal_year": 2024})
    assert refused.status_code == 403
    assert refused.json()["invalid_params"][0]["name"] == "resident_id"


def damage(householder: uuid.UUID | None, **changes: Any) -> DamageAssessed:
    values: dict[str, Any] = {
        "assessment_id": uuid.uuid4(), "version": 1, "municipality_code": NAGAOKA,
        "disaster": Disaster(disaster_id=uuid.uuid4(), name="令和6年7月豪雨",
                             occurred_on=date(2024, 7, 25)),
        "house_address": "新潟県長岡市大手通1丁目4番地10",
        "householder_resident_id": householder, "householder_name": "長岡　被災",
        "householder_address": "新潟県長岡市大手通1丁目4番地10", "grade": Grade.LARGE_SCALE_HALF,
        "surveyed_on": date(2024, 8, 2), "support_payment_yen": 500_000}
    values.update(changes)
    return DamageAssessed(**values)


async def test_a_damage_certificate_shows_the_grade_and_disaster_and_never_money(
    client: httpx.AsyncClient, certificates_db: Database,
) -> None:
    person = state(family="長岡", given="被災", address="新潟県長岡市大手通1丁目4番地10")
    house = damage(person.resident_id)
    await feed(certificates_db, NAGAOKA, registered(NAGAOKA, person), house)
    issuance, pdf = await Counter(client, NAGAOKA).issued_pdf(
        "damage", {"assessment_id": str(house.assessment_id)})
    text = flat(pdf_pages(pdf)[0])
    assert "罹災証明書" in text and "令和6年7月豪雨" in text and "令和6年7月25日" in text
    assert "住家の被害の程度大規模半壊" in text
    assert "長岡被災" in text and "被災住家の所在地新潟県長岡市大手通1丁目4番地10" in text
    assert "円" not in text and "500,000" not in text
    assert "災害対策基本法第90条の2" in text
    assert issuance["fee_yen_per_copy"] == 0  # 罹災証明書 is free
    save_png(pdf, "damage")
    protected = state(family="長岡", protected=True)
    hidden = damage(protected.resident_id)
    await feed(certificates_db, NAGAOKA, registered(NAGAOKA, protected), hidden)
    refused = await Counter(client, NAGAOKA).issue(
        "damage", {"assessment_id": str(hidden.assessment_id)})
    assert refused.status_code == 403


async def test_the_tax_services_own_event_feeds_the_read_model_through_the_subscription(
    client: httpx.AsyncClient, certificates_db: Database,
) -> None:
    import kyodo_tax_events as tax

    from kyodo_certificates.worker import SUBSCRIPTIONS

    person = state(given="税連携")
    event = tax.TaxAssessed(
        assessment_id=uuid.uuid4(), municipality_code=SANJO, fiscal_year=2025, version=1,
        platform_person_id=uuid.uuid4(), resident_id=person.resident_id,
        resident_number=person.resident_number, january_first_address="新潟県三条市元町1番1号",
        january_first_postal_code="9558686", assessed_on=date(2025, 6, 1),
        amounts=tax.AssessedAmounts(
            salary_revenue=3_000_000, salary_income=2_020_000, pension_revenue=0,
            pension_income=0, other_income=0, total_income=2_020_000,
            deductions_total=1_200_000, taxable_base=820_000, income_levy_municipal=44_700,
            income_levy_prefectural=29_800, per_capita_municipal=3_000,
            per_capita_prefectural=1_000, forest_environment_tax=1_000, total=79_500,
            non_taxable=False, spouse="none", dependants=0, dependants_under_16=0))
    await feed(certificates_db, SANJO, registered(SANJO, person))
    [subscription] = [s for s in SUBSCRIPTIONS if s.event is tax.TaxAssessed]
    async with certificates_db.tenant_transaction(SANJO) as session:
        await subscription.handler(session, event, envelope(SANJO))
    _, pdf = await Counter(client, SANJO).issued_pdf("tax", {
        "resident_id": str(person.resident_id), "fiscal_year": 2025})
    text = flat(pdf_pages(pdf)[0])
    assert "課税証明書（令和7年度）" in text and "給与収入3,000,000円" in text
    assert "住所（令和7年1月1日現在）新潟県三条市元町1番1号" in text and "年税額79,500円" in text
