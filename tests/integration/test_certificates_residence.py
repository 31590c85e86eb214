"""住民票の写し: 個人票 and 世帯連記式 as signed PDFs, read back as text and as PNG pages."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest
import sqlalchemy as sa
from kyodo_identity_events import MunicipalityConfigured
from kyodo_identity_events.tenant_config import PerCapita, TenantConfig
from kyodo_residents_events import ResidentMovedOut

from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database
from kyodo_testing import Infrastructure

from .certificates_kit import (
    Counter,
    certificates_app,
    feed,
    flat,
    issue_number_pattern,
    pdf_pages,
    registered,
    save_png,
    state,
)
from .conftest import MITSUKE, NAGAOKA, SANJO

pytestmark = pytest.mark.integration
CHIYODA = "131016"  # a valid code that is no demo tenant and was never configured


@pytest.fixture(scope="module")
async def client(infrastructure: Infrastructure, tmp_path_factory: pytest.TempPathFactory
                 ) -> AsyncIterator[httpx.AsyncClient]:
    async with certificates_app(infrastructure, tmp_path_factory.mktemp("var")) as c:
        yield c


async def test_a_one_person_certificate_prints_name_address_wareki_number_and_certification(
    client: httpx.AsyncClient, certificates_db: Database,
) -> None:
    person = state(given="一郎", kana=("サンジョウ", "イチロウ"), birth=date(1955, 1, 7))
    await feed(certificates_db, SANJO, registered(SANJO, person))
    counter = Counter(client, SANJO)
    issuance, pdf = await counter.issued_pdf("residence", {
        "resident_id": str(person.resident_id), "items": ["relationship"]})
    [page] = pdf_pages(pdf)
    text = flat(page)
    today = today_in_japan()
    serial = issuance["copies"][0]["issue_numbers"][0].split()[4]
    assert "住民票の写し" in text
    assert "三条一郎" in text and "サンジョウイチロウ" in text
    assert "〒955-8686新潟県三条市旭町二丁目3番1号" in text
    assert "昭和30年1月7日" in text  # 生年月日 in 和暦
    assert "令和元年5月1日" in text  # 住民となった日: 元年, not 1年
    assert "続柄世帯主" in text
    assert issue_number_pattern(today, "三条市", serial, 1, 1) in text
    assert "この写しは、住民票の原本と相違ないことを証明する。" in text
    assert "三条市長" in text
    assert issuance["copies"][0]["verification_code"] in text
    assert issuance["fee_yen_per_copy"] == 300
    assert hashlib.sha256(pdf).hexdigest() == issuance["copies"][0]["sha256"]
    assert pdf.startswith(b"%PDF") and b"/MediaBox [ 0 0 595.2756 841.8898 ]" in pdf  # A4
    assert b"FontFile2" in pdf and b"IPAmjMincho" in pdf  # the font is embedded
    save_png(pdf, "residence-individual")


async def test_a_household_of_six_spans_two_sheets_with_the_certification_on_the_last(
    client: httpx.AsyncClient, certificates_db: Database,
) -> None:
    home = uuid.uuid4()
    members = [  # given out of order: the certificate orders them (DOMAIN §3)
        state(given="同居", kana=("サンジョウ", "ドウキョ"), relationship="同居人",
              household_id=home, birth=date(1990, 1, 1)),
        state(given="次郎", kana=("サンジョウ", "ジロウ"), relationship="子",
              household_id=home, birth=date(2012, 8, 8)),
        state(given="花子", kana=("サンジョウ", "ハナコ"), relationship="妻",
              household_id=home, birth=date(1982, 2, 2), sex="female"),
        state(given="太郎", kana=("サンジョウ", "タロウ"), relationship="世帯主",
              household_id=home, birth=date(1980, 4, 1)),
        state(given="一子", kana=("サンジョウ", "イチコ"), relationship="子",
              household_id=home, birth=date(2010, 6, 6), sex="female"),
        state(given="梅", kana=("サンジョウ", "ウメ"), relationship="母",
              household_id=home, birth=date(1950, 3, 3), sex="female"),
    ]
    await feed(certificates_db, SANJO, registered(SANJO, *members))
    counter = Counter(client, SANJO)
    issuance, pdf = await counter.issued_pdf("residence", {
        "layout": "household", "resident_id": str(members[1].resident_id),
        "items": ["relationship"]})
    first, second = (flat(p) for p in pdf_pages(pdf))
    numbers = issuance["copies"][0]["issue_numbers"]
    assert issuance["copies"][0]["pages"] == 2 and numbers[0].endswith(" 1/2") \
        and numbers[1].endswith(" 2/2") and numbers[0][:-4] == numbers[1][:-4]
    order = ["三条太郎", "三条花子", "三条一子", "三条次郎"]
    positions = [first.index(name) for name in order]
    assert positions == sorted(positions), "世帯主, 妻, children by birth date"
    assert "三条梅" in second and "三条同居" in second
    assert second.index("三条梅") < second.index("三条同居")
    assert "証明する" not in first and "次頁に続く" in first
    assert "この写しは、世帯全員の住民票の原本と相違ないことを証明する。" in second
    assert "世帯主三条太郎" in first and "世帯主三条太郎" in second
    assert "".join(numbers[0].split()) in first and "".join(numbers[1].split()) in second
    save_png(pdf, "residence-household")


async def test_each_copy_has_its_own_serial_code_and_fee(
    client: httpx.AsyncClient, certificates_db: Database,
) -> None:
    person = state()
    await feed(certificates_db, SANJO, registered(SANJO, person))
    response = await Counter(client, SANJO).issue("residence", {
        "resident_id": str(person.resident_id), "copies": 3})
    assert response.status_code == 201, response.text
    issuance = response.json()
    serials = [int(c["issue_numbers"][0].split()[4]) for c in issuance["copies"]]
    assert serials == list(range(serials[0], serials[0] + 3))
    assert len({c["verification_code"] for c in issuance["copies"]}) == 3
    assert len({c["sha256"] for c in issuance["copies"]}) == 3
    assert issuance["fee_yen_total"] == 3 * issuance["fee_yen_per_copy"] == 900


async def test_an_issuance_reads_the_household_and_takes_serials_past_sqlalchemy(
    client: httpx.AsyncClient, certificates_db: Database,
) -> None:
    """Every issuance's statements on the read model and the serials go on the transaction's
    own asyncpg connection: SQLAlchemy's statement machinery cost more of the API's CPU than
    the statements (bench/certificates.py); row-level security filters them all the same."""
    person = state()
    await feed(certificates_db, SANJO, registered(SANJO, person))
    engine = client.app.state.db.engine.sync_engine  # type: ignore[attr-defined]
    statements: list[str] = []

    def seen(connection: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", seen)
    try:
        response = await Counter(client, SANJO).issue("residence", {
            "resident_id": str(person.resident_id), "copies": 2})
    finally:
        sa.event.remove(engine, "before_cursor_execute", seen)
    assert response.status_code == 201, response.text
    serials = [int(c["issue_numbers"][0].split()[4]) for c in response.json()["copies"]]
    assert serials == [serials[0], serials[0] + 1]
    assert [s for s in statements if "resident_snapshots" in s or "issue_serials" in s] == []


async def test_accept_pdf_answers_the_pdf_and_a_replayed_key_the_same_bytes(
    client: httpx.AsyncClient, certificates_db: Database,
) -> None:
    person = state()
    await feed(certificates_db, SANJO, registered(SANJO, person))
    counter, key = Counter(client, SANJO), uuid.uuid4().hex
    body = {"resident_id": str(person.resident_id)}
    first = await counter.issue("residence", body, key=key, Accept="application/pdf")
    again = await counter.issue("residence", body, key=key, Accept="application/pdf")
    assert first.status_code == again.status_code == 201
    assert first.headers["content-type"] == "application/pdf"
    assert first.content == again.content
    assert first.headers["X-Kyodo-Verification-Code"] in flat(pdf_pages(first.content)[0])
    several = await counter.issue("residence", {**body, "copies": 2},
                                  Accept="application/pdf")
    assert several.status_code == 406


async def test_a_protected_person_is_refused_to_others_and_issued_to_themselves(
    client: httpx.AsyncClient, certificates_db: Database,
) -> None:
    home = uuid.uuid4()
    head = state(household_id=home)
    protected = state(given="守", relationship="妻", household_id=home, sex="female",
                      protected=True)
    await feed(certificates_db, SANJO, registered(SANJO, head, protected))
    counter = Counter(client, SANJO)
    for body in ({"resident_id": str(protected.resident_id)},
                 {"resident_id": str(protected.resident_id),
                  "applicant": {"resident_id": str(head.resident_id)}},
                 {"layout": "household", "resident_id": str(head.resident_id),
                  "applicant": {"resident_id": str(head.resident_id)}}):
        refused = await counter.issue("residence", body)
        assert refused.status_code == 403, refused.text
        problem = refused.json()
        assert refused.headers["content-type"] == "application/problem+json"
        assert problem["type"].endswith("/protected-person")
        assert "支援措置" in problem["invalid_params"][0]["reason"]
    own = await counter.issue("residence", {
        "resident_id": str(protected.resident_id),
        "applicant": {"resident_id": str(protected.resident_id)}})
    assert own.status_code == 201, own.text


async def test_a_person_who_moved_out_gets_no_residence_certificate(
    client: httpx.AsyncClient, certificates_db: Database,
) -> None:
    person = state()
    gone = person.model_copy(update={"status": "moved_out", "version": 2})
    await feed(certificates_db, SANJO, registered(SANJO, person),
               registered(SANJO, gone, event=ResidentMovedOut))
    refused = await Counter(client, SANJO).issue("residence",
                                                 {"resident_id": str(person.resident_id)})
    assert refused.status_code == 409
    assert refused.json()["invalid_params"] == [{"name": "resident_id", "reason": "moved_out"}]


async def test_my_number_needs_the_scope_the_applicant_and_comes_from_residents(
    client: httpx.AsyncClient, certificates_db: Database,
) -> None:
    person = state()
    await feed(certificates_db, NAGAOKA, registered(NAGAOKA, person))
    body = {"resident_id": str(person.resident_id), "items": ["my_number"],
            "applicant": {"resident_id": str(person.resident_id)}}
    without_scope = await Counter(client, NAGAOKA).issue("residence", body)
    assert without_scope.status_code == 403
    assert without_scope.json()["invalid_params"][0]["name"] == "items"

    asked: list[httpx.Request] = []

    def residents(request: httpx.Request) -> httpx.Response:
        asked.append(request)
        return httpx.Response(200, json={"my_number": "123456789018"})

    app = client.app  # type: ignore[attr-defined]
    real = app.state.http
    app.state.http = httpx.AsyncClient(transport=httpx.MockTransport(residents))
    try:
        counter = Counter(client, NAGAOKA, "certificates:issue mynumber:read")
        stranger = await counter.issue("residence", {**body, "applicant": {}})
        assert stranger.status_code == 403 and not asked
        issuance, pdf = await counter.issued_pdf("residence", body)
    finally:
        await app.state.http.aclose()
        app.state.http = real
    assert "個人番号123456789018" in flat(pdf_pages(pdf)[0])
    [call] = asked
    assert call.url.path.endswith(f"/residents/{person.resident_id}/my-number")
    assert call.headers["Authorization"].startswith("Bearer ")
    assert call.headers["X-Kyodo-Purpose"]
    async with certificates_db.tenant_transaction(NAGAOKA) as session:
        stored = (await session.execute(sa.text(
            "SELECT content, pdf FROM certificates WHERE id = :id"),
            {"id": issuance["copies"][0]["certificate_id"]})).one()
    assert b"123456789018" not in bytes(stored.content) + bytes(stored.pdf)  # sealed at rest


async def test_the_mayor_and_fee_come_from_the_municipalitys_configuration(
    client: httpx.AsyncClient, certificates_db: Database,
) -> None:
    config = TenantConfig(per_capita=PerCapita(municipal=3000, prefectural=1000,
                                               forest_env=1000),
                          certificate_fee_yen=350, mayor_name="稲田　亮")
    await feed(certificates_db, MITSUKE, MunicipalityConfigured(
        code=MITSUKE, name="見附市", name_en="Mitsuke", prefecture="新潟県", config=config,
        version=1000))
    person = state(address="新潟県見附市昭和町二丁目1番1号", postal_code="9540000")
    await feed(certificates_db, MITSUKE, registered(MITSUKE, person))
    issuance, pdf = await Counter(client, MITSUKE).issued_pdf(
        "residence", {"resident_id": str(person.resident_id)})
    assert issuance["fee_yen_per_copy"] == 350
    assert "見附市長稲田亮" in flat(pdf_pages(pdf)[0])
    unknown = await Counter(client, CHIYODA).issue("residence",
                                                   {"resident_id": str(person.resident_id)})
    assert unknown.status_code == 409 and unknown.json()["type"].endswith("municipality-unknown")


async def test_each_issuance_is_access_logged_with_the_fields_and_purpose(
    client: httpx.AsyncClient, certificates_db: Database,
) -> None:
    person = state()
    await feed(certificates_db, SANJO, registered(SANJO, person))
    response = await Counter(client, SANJO).issue("residence", {
        "resident_id": str(person.resident_id), "items": ["relationship"]})
    assert response.status_code == 201
    async with certificates_db.tenant_transaction(SANJO) as session:
        entry = (await session.execute(sa.text(
            "SELECT action, purpose, fields FROM access_log WHERE subject_id = :id"),
            {"id": str(person.resident_id)})).one()
    assert entry.action == "certificate.issued.residence"
    assert entry.purpose == "residence-certificate"
    assert {"name", "address", "birth_date", "relationship"} <= set(entry.fields)


@pytest.mark.parametrize(("field", "value"), [("terminal", "本庁 1"), ("copies", 11),
                                               ("items", ["blood_type"])])
async def test_bad_requests_name_the_field(client: httpx.AsyncClient, field: str,
                                           value: object) -> None:
    response = await Counter(client, SANJO).issue("residence", {
        "resident_id": str(uuid.uuid4()), field: value})
    assert response.status_code == 422
    assert field in [p["name"].split(".")[0] for p in response.json()["invalid_params"]]
