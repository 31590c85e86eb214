"""支援措置: who sees a protected person, on every read path (ADR 0003).

Home staff with ``protected:read`` see them (marked); nobody else does — staff without the
scope, staff acting under a support grant (even one whose assertion claims the scope), a
partner client — on any read of the register, in the certificates' read model, or in the
transfer notices they travel with. Measures take effect and end on their dates by themselves.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from kyodo_residents_events import ResidentRegistered, TransferNoticeIssued

from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database
from kyodo_common.events import Envelope
from kyodo_residents.service_layer.unit_of_work import RegisterInboxUnitOfWork
from kyodo_residents.service_layer.when_transfer_notice_issued_offer_move_in import (
    when_transfer_notice_issued_offer_move_in,
)
from kyodo_testing import Infrastructure, TokenMinter
from tests.integration.certificates_kit import certificates_app, feed, registered, state
from tests.integration.db_roles import as_owner, as_relay
from tests.integration.residents_client import Clerk, residents_app
from tests.integration.tax_harness import feed as tax_feed
from tests.integration.tax_harness import new_person, tax_app
from tests.security.callers import Caller

pytestmark = pytest.mark.integration

SANJO, NAGAOKA = "152048", "152021"


def day(offset: int) -> str:
    return (today_in_japan() + timedelta(days=offset)).isoformat()


CALLERS = [
    Caller("home-clerk", sees=True, direct_token=True),
    Caller("home-staff-without-scope", sees=False, scopes="residents:read certificates:issue",
           direct_token=True),
    # A grant never lends protected:read; the assertion claims it anyway: still hidden.
    Caller("partner-under-grant", sees=False, grant_id="grant-1", home=NAGAOKA),
    Caller("partner-client", sees=False, kind="client"),
]


@dataclass
class Register:
    clerk: Clerk
    protected: dict[str, Any]  # a protected person living alone
    unprotected: dict[str, Any]  # someone in another household, never protected
    marker: str  # the kana both share, for searches


@pytest.fixture(scope="module")
async def register(infrastructure: Infrastructure, tokens: TokenMinter,
                   tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Register]:
    async with residents_app(infrastructure, tmp_path_factory.mktemp("var")) as client:
        clerk = Clerk(client, SANJO, tokens)
        marker = "ヲ" * 4
        protected = (await clerk.move_in(family="保護", kana=(marker, "ヒトリ"),
                                         effective=day(-30)))["residents"][0]
        unprotected = (await clerk.move_in(family="公開", kana=(marker, "フタリ"),
                                           effective=day(-30)))["residents"][0]
        measure = await clerk.post(f"/{protected['resident_id']}/protection-measures",
                                   {"starts_on": day(-1)})
        assert measure.status_code == 201, measure.text
        yield Register(clerk, protected, unprotected, marker)


async def _read(register: Register, caller: Caller, path: str, **params: str
                ) -> httpx.Response:
    return await register.clerk.client.get(register.clerk.url(path), params=params,
                                           headers=caller.headers(SANJO))


READS = {
    "by-id": lambda p: (f"/{p['resident_id']}", {}),
    "as-of": lambda p: (f"/{p['resident_id']}", {"as_of": day(0)}),
    "household": lambda p: (f"/households/{p['household_id']}", {}),
    "household-as-of": lambda p: (f"/households/{p['household_id']}", {"as_of": day(0)}),
}


@pytest.mark.parametrize("caller", CALLERS, ids=lambda c: c.name)
@pytest.mark.parametrize("path", list(READS))
async def test_a_protected_person_is_read_only_by_home_staff_with_the_scope(
    register: Register, caller: Caller, path: str,
) -> None:
    url, params = READS[path](register.protected)
    response = await _read(register, caller, url, **params)
    if caller.sees:
        assert response.status_code == 200, response.text
        body = response.json()
        if path == "by-id":
            assert body["protected"] is True
        if path == "household":
            assert [m["protected"] for m in body["members"]] == [True]
    else:
        assert response.status_code == 404, response.text
        assert "保護" not in response.text
    # Everyone reads the unprotected person as before.
    url, params = READS[path](register.unprotected)
    assert (await _read(register, caller, url, **params)).status_code == 200


@pytest.mark.parametrize("caller", CALLERS, ids=lambda c: c.name)
async def test_search_shows_a_protected_person_only_to_home_staff_with_the_scope(
    register: Register, caller: Caller,
) -> None:
    response = await register.clerk.client.post(
        register.clerk.url("/search"), json={"kana_prefix": register.marker},
        headers={**caller.headers(SANJO), "Idempotency-Key": uuid.uuid4().hex})
    assert response.status_code == 200, response.text
    found = {h["family_name"]: h["protected"] for h in response.json()["items"]}
    assert found == ({"保護": True, "公開": False} if caller.sees else {"公開": False})


async def test_every_read_of_a_protected_person_is_flagged_in_the_access_log(
    register: Register, infrastructure: Infrastructure,
) -> None:
    resident_id = register.protected["resident_id"]
    assert (await _read(register, CALLERS[0], f"/{resident_id}")).status_code == 200
    # As registered before the measure started: still a read of a person protected now.
    assert (await _read(register, CALLERS[0], f"/{resident_id}",
                        as_of=day(-5))).status_code == 200
    log = (await register.clerk.get(f"/{resident_id}/access-log")).json()["items"]
    reads = [e for e in log if e["action"] == "read" and e["actor"] == "home-clerk"]
    assert reads and all("支援措置" in e["fields"] for e in reads)
    other = (await register.clerk.get(f"/{register.unprotected['resident_id']}/access-log"))
    assert all("支援措置" not in e["fields"] for e in other.json()["items"])


async def test_a_measure_takes_effect_on_its_first_day_without_anything_being_called(
    register: Register, infrastructure: Infrastructure,
) -> None:
    clerk, partner = register.clerk, CALLERS[2]
    person = (await clerk.move_in(family="明日", effective=day(-10)))["residents"][0]
    measure = await clerk.post(f"/{person['resident_id']}/protection-measures",
                               {"starts_on": day(1)})
    assert measure.status_code == 201, measure.text
    assert (await _read(register, partner, f"/{person['resident_id']}")).status_code == 200
    # A day passes: the measure's dates move one day earlier, as the calendar would.
    for table, start, end in (("protection_measures", "starts_on", "ends_on"),
                              ("residents", "protected_from", "protected_until")):
        key = "resident_id" if table == "protection_measures" else "id"
        await as_owner(infrastructure, "residents", SANJO,
                       f"UPDATE {table} SET {start} = {start} - 1, {end} = {end} - 1 "  # noqa: S608
                       f"WHERE {key} = $1", uuid.UUID(person["resident_id"]))
    assert (await _read(register, partner, f"/{person['resident_id']}")).status_code == 404
    assert (await _read(register, CALLERS[0], f"/{person['resident_id']}")).json()[
        "protected"] is True


async def test_a_measure_that_has_already_ended_or_overlaps_is_refused(
    register: Register,
) -> None:
    clerk = register.clerk
    person = (await clerk.move_in(family="過去", effective=day(-10)))["residents"][0]
    ended = await clerk.post(f"/{person['resident_id']}/protection-measures",
                             {"starts_on": "2019-04-01"})
    assert ended.status_code == 422, ended.text
    assert [p["name"] for p in ended.json()["invalid_params"]] == ["starts_on"]
    future = await clerk.post(f"/{person['resident_id']}/protection-measures",
                              {"starts_on": day(20)})
    assert future.status_code == 201, future.text
    again = await clerk.post(f"/{person['resident_id']}/protection-measures",
                             {"starts_on": day(0)})
    assert again.status_code == 409, again.text


async def _transfer_notice(infrastructure: Infrastructure, resident_id: str
                           ) -> tuple[TransferNoticeIssued, Envelope]:
    rows = await as_relay(infrastructure, "residents",
                          "SELECT event_id, data, municipality_code FROM outbox WHERE type = $1 "
                          "AND subject = $2", TransferNoticeIssued.event_type, resident_id)
    assert len(rows) == 1
    row = rows[0]
    event = TransferNoticeIssued.model_validate_json(row["data"])
    envelope = Envelope(id=str(row["event_id"]), source="kyodo/residents",
                        type=TransferNoticeIssued.event_type, subject=resident_id,
                        municipality=row["municipality_code"], data=row["data"].encode())
    return event, envelope


async def test_protection_travels_with_a_transfer_to_another_platform_town(
    register: Register, infrastructure: Infrastructure, residents_db: Database,
) -> None:
    clerk = register.clerk
    person = (await clerk.move_in(family="転出", kana=("テンシュツ", "マモル"),
                                  effective=day(-40)))["residents"][0]
    measure = await clerk.post(f"/{person['resident_id']}/protection-measures",
                               {"starts_on": day(-5)})
    assert measure.status_code == 201, measure.text
    current = await clerk.get(f"/{person['resident_id']}")
    moved = await clerk.post(f"/{person['resident_id']}/move-out", {
        "effective_date": day(0), "destination": {
            "address": "新潟県長岡市大手通1丁目4番地10", "municipality_code": NAGAOKA,
            "postal_code": "940-0062"}}, version=current.json()["version"])
    assert moved.status_code == 200, moved.text
    event, envelope = await _transfer_notice(infrastructure, person["resident_id"])
    assert event.resident.protected_until == date.fromisoformat(measure.json()["ends_on"])
    async with residents_db.tenant_transaction(NAGAOKA) as session:
        await when_transfer_notice_issued_offer_move_in(RegisterInboxUnitOfWork(session),
                                                        event, envelope)

    nagaoka_clerk = Clerk(clerk.client, NAGAOKA, TokenMinter.shared())
    nagaoka_no_scope = Caller("nagaoka-no-scope", sees=False, scopes="residents:read",
                              direct_token=True)

    async def incoming(caller_headers: dict[str, str]) -> list[str]:
        response = await clerk.client.get(nagaoka_clerk.url("/transfers/incoming"),
                                          params={"limit": 500}, headers=caller_headers)
        assert response.status_code == 200, response.text
        return [t["id"] for t in response.json()["items"]]

    assert str(event.transfer_id) in await incoming(nagaoka_clerk.headers)
    assert str(event.transfer_id) not in await incoming(nagaoka_no_scope.headers(NAGAOKA))
    moved_in = await nagaoka_clerk.post("/transfer-move-ins", {
        "transfer_id": str(event.transfer_id), "effective_date": day(0)})
    assert moved_in.status_code == 201, moved_in.text
    there = moved_in.json()["residents"][0]
    assert there["protected"] is True
    assert there["protected_until"] == measure.json()["ends_on"]
    by_id = f"/{there['resident_id']}"
    hidden = await clerk.client.get(nagaoka_clerk.url(by_id),
                                    headers=nagaoka_no_scope.headers(NAGAOKA))
    assert hidden.status_code == 404
    seen = await nagaoka_clerk.get(by_id)
    assert seen.status_code == 200 and seen.json()["protected"] is True


# The certificates' read model of the register.

@pytest.mark.parametrize("caller", CALLERS, ids=lambda c: c.name)
async def test_the_certificates_read_model_hides_a_protected_person(
    caller: Caller, infrastructure: Infrastructure, certificates_db: Database,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    home = uuid.uuid4()
    head = state(household_id=home)
    wife = state(given="守", relationship="妻", household_id=home, sex="female",
                 protected=True).model_copy(update={
                     "protected_from": date.fromisoformat(day(-3)),
                     "protected_until": date.fromisoformat(day(300))})
    await feed(certificates_db, SANJO, registered(SANJO, head, wife))
    async with certificates_app(infrastructure, tmp_path_factory.mktemp("var")) as client:
        url = f"/v1/municipalities/{SANJO}/certificates"
        snapshot = await client.get(f"{url}/residents/{wife.resident_id}",
                                    headers=caller.headers(SANJO))
        household = await client.post(f"{url}/residence", json={
            "layout": "household", "resident_id": str(head.resident_id),
            "applicant": {"resident_id": str(head.resident_id)},
            "terminal": "本庁1", "printer": "プリンタ001"},
            headers={**caller.headers(SANJO), "Idempotency-Key": uuid.uuid4().hex})
        head_alone = await client.get(f"{url}/residents/{head.resident_id}",
                                      headers=caller.headers(SANJO))
    assert head_alone.status_code == 200
    # The household's certificate is refused to everyone but the protected person: never
    # issued without her.
    assert household.status_code == 403, household.text
    if caller.sees:
        assert snapshot.status_code == 200 and snapshot.json()["protected"] is True
    else:
        assert snapshot.status_code == 404, snapshot.text


async def test_a_measure_starting_later_is_applied_by_the_read_model_on_its_date(
    infrastructure: Infrastructure, certificates_db: Database,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The event said "not protected yet"; the read model still hides her from her first day."""
    person = state(given="先", household_id=uuid.uuid4()).model_copy(update={
        "protected": False, "protected_from": date.fromisoformat(day(1)),
        "protected_until": date.fromisoformat(day(365))})
    await feed(certificates_db, SANJO, registered(SANJO, person))
    partner = CALLERS[2]
    async with certificates_app(infrastructure, tmp_path_factory.mktemp("var")) as client:
        url = f"/v1/municipalities/{SANJO}/certificates/residents/{person.resident_id}"
        assert (await client.get(url, headers=partner.headers(SANJO))).status_code == 200
        await as_owner(infrastructure, "certificates", SANJO,  # a day passes
                       "UPDATE resident_snapshots SET state = state || jsonb_build_object("
                       "'protected_from', $2::text) WHERE resident_id = $1",
                       person.resident_id, day(0))
        assert (await client.get(url, headers=partner.headers(SANJO))).status_code == 404


# Tax's read model of the register.

@pytest.mark.parametrize("caller", [
    Caller("tax-officer", sees=True, scopes="tax:read tax:write protected:read",
           direct_token=True),
    Caller("tax-officer-without-scope", sees=False, scopes="tax:read", direct_token=True),
    Caller("partner-under-grant", sees=False, scopes="tax:read protected:read",
           grant_id="grant-2", home=NAGAOKA),
], ids=lambda c: c.name)
async def test_tax_hides_a_protected_persons_address_on_1_january(
    caller: Caller, infrastructure: Infrastructure, tax_db: Database,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    person = new_person()
    state = person.state(SANJO, 1, "resident", "旭町二丁目3番1号").model_copy(update={
        "protected_from": date.fromisoformat(day(-3)),
        "protected_until": date.fromisoformat(day(300))})
    await tax_feed(tax_db, SANJO, ResidentRegistered, effective=date(2015, 4, 1),
                   states=[state])
    year = today_in_japan().year
    async with tax_app(infrastructure, tmp_path_factory.mktemp("var")) as client:
        response = await client.get(
            f"/v1/municipalities/{SANJO}/tax/persons/{person.platform_person_id}/residence",
            params={"fiscal_year": year}, headers=caller.headers(SANJO))
    assert response.status_code == 200, response.text
    if caller.sees:
        assert response.json()["january_first"]["address"] == "旭町二丁目3番1号"
    else:
        assert response.json()["january_first"] is None
        assert "旭町" not in response.text


async def test_only_who_may_see_protected_people_may_protect_one(register: Register) -> None:
    clerk = register.clerk
    person = (await clerk.move_in(family="未保護", effective=day(-10)))["residents"][0]
    without_scope = Caller("registrar-without-scope", sees=False,
                           scopes="residents:read residents:write", direct_token=True)
    refused = await clerk.client.post(
        clerk.url(f"/{person['resident_id']}/protection-measures"), json={"starts_on": day(0)},
        headers={**without_scope.headers(SANJO), "Idempotency-Key": uuid.uuid4().hex})
    assert refused.status_code == 403, refused.text
    assert "protected:read" in refused.json()["detail"]
    assert (await clerk.get(f"/{person['resident_id']}")).json()["protected"] is False


async def test_a_household_procedure_needs_sight_of_every_member(register: Register) -> None:
    """Without protected:read a caller sees a household without its protected members: a 転居
    would move the others and leave them behind at the old address."""
    clerk = register.clerk
    head = (await clerk.move_in(family="同居", effective=day(-20)))["residents"][0]
    household = head["household_id"]
    spouse = (await clerk.move_in(family="同居", given="花子", sex="female", effective=day(-20),
                                  household={"join": {"household_id": household,
                                                      "relationship": "妻"}}))["residents"][0]
    measure = await clerk.post(f"/{spouse['resident_id']}/protection-measures",
                               {"starts_on": day(-1)})
    assert measure.status_code == 201, measure.text
    without_scope = Caller("registrar-without-scope", sees=False,
                           scopes="residents:read residents:write", direct_token=True)
    version = (await clerk.get(f"/households/{household}")).headers["ETag"]
    moved = await clerk.client.post(
        clerk.url(f"/households/{household}/relocation"),
        json={"effective_date": day(0), "postal_code": "955-0071",
              "address": "新潟県三条市本町一丁目1番1号"},
        headers={**without_scope.headers(SANJO), "Idempotency-Key": uuid.uuid4().hex,
                 "If-Match": version})
    assert moved.status_code == 403, moved.text
    assert (await clerk.get(f"/{head['resident_id']}")).json()["address"] == head["address"]
