"""The disaster use cases against fake stores: declaring and amending, the house ledger,
surveys and the events they publish, applications (no PostgreSQL; the integration tests keep
the real stores honest)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest
from disaster_fakes import CLERK, FakeResidents, FakeStores, Resident
from kyodo_disaster_events import DisasterDeclared, HouseDamageAssessed, HouseDamageReassessed

from kyodo_common.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
)
from kyodo_disaster.domain.declaration import Disaster
from kyodo_disaster.domain.house import House
from kyodo_disaster.domain.kinds import DisasterKind
from kyodo_disaster.domain.rules import load_rules
from kyodo_disaster.domain.survey import Method, SurveyInput, SurveyKind
from kyodo_disaster.service_layer.applications import apply
from kyodo_disaster.service_layer.context import DisasterContext
from kyodo_disaster.service_layer.declarations import amend, declare
from kyodo_disaster.service_layer.houses import register_house, set_occupants
from kyodo_disaster.service_layer.surveys import record_survey

RULES = load_rules()
CONTEXT = DisasterContext(rules=RULES, allow_unverified=False)
OCCURRED, TODAY = date(2024, 7, 10), date(2024, 7, 20)
ADDRESS = "三条市旭町二丁目3番1号"
HEAD, CHILD, NEIGHBOUR = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
HOUSEHOLD = uuid.uuid4()


def _residents() -> FakeResidents:
    return FakeResidents(
        Resident(HEAD, "000000001", ADDRESS, household_id=HOUSEHOLD, relationship="世帯主"),
        Resident(CHILD, "000000002", ADDRESS, household_id=HOUSEHOLD, relationship="子"),
        Resident(NEIGHBOUR, "000000003", "三条市旭町二丁目4番1号"))


async def _declared(stores: FakeStores) -> Disaster:
    return await declare(stores, actor=CLERK, name=" 令和6年7月豪雨 ", kind=DisasterKind.FLOOD,
                         occurred_on=OCCURRED, affected_area=["旭町"], opens_on=OCCURRED,
                         closes_on=date(2024, 9, 10), rules=RULES.window, today=TODAY)


async def _house(stores: FakeStores) -> House:
    disaster = await _declared(stores)
    return await register_house(stores, actor=CLERK, disaster=disaster,
                                postal_code="9558686", address=ADDRESS)


def _survey(ratio: str = "25", kind: SurveyKind = SurveyKind.FIRST,
            ref: str | None = None) -> SurveyInput:
    return SurveyInput(kind=kind, method=Method.SITE, damage_ratio=Decimal(ratio),
                       surveyed_on=TODAY, survey_ref=ref,
                       appeal_reason="屋根の被害" if kind is SurveyKind.SECOND else None)


async def test_a_declaration_is_stored_with_its_event_and_no_access_log_of_its_own() -> None:
    stores = FakeStores()

    disaster = await _declared(stores)

    assert stores.disasters.rows[disaster.id].name == "令和6年7月豪雨"
    assert [type(e) for e in stores.events] == [DisasterDeclared]
    # The handler's Outcome names the entry; the write pipeline writes it (ADR 0017).
    assert stores.access_log.entries == []


async def test_a_declaration_without_a_name_stores_nothing() -> None:
    stores = FakeStores()
    with pytest.raises(InvalidInput) as refused:
        await declare(stores, actor=CLERK, name="  ", kind=DisasterKind.FLOOD,
                      occurred_on=OCCURRED, affected_area=["旭町"], opens_on=OCCURRED,
                      closes_on=date(2024, 9, 10), rules=RULES.window, today=TODAY)
    assert refused.value.invalid_params[0]["name"] == "name"
    assert stores.disasters.rows == {} and stores.events == []


async def test_an_amendment_needs_the_version_read_and_republishes_the_declaration() -> None:
    stores = FakeStores()
    disaster = await _declared(stores)

    for expected, refusal in ((None, PreconditionRequired), (7, PreconditionFailed)):
        with pytest.raises(refusal):
            await amend(stores, actor=CLERK, disaster_id=disaster.id, expected_version=expected,
                        affected_area=["旭町", "新保"], closes_on=None, rules=RULES.window,
                        today=TODAY)
    assert stores.disasters.rows[disaster.id].version == 1

    amended = await amend(stores, actor=CLERK, disaster_id=disaster.id, expected_version=1,
                          affected_area=["旭町", "新保"], closes_on=None, rules=RULES.window,
                          today=TODAY)

    assert amended.version == 2 and stores.disasters.rows[disaster.id].affected_area == [
        "旭町", "新保"]
    assert [e.version for e in stores.events if isinstance(e, DisasterDeclared)] == [1, 2]


async def test_a_house_enters_the_ledger_with_the_residents_registered_there() -> None:
    stores = FakeStores(_residents())

    house = await _house(stores)

    assert stores.houses.rows[house.id].occupant_ids == [HEAD, CHILD]
    disaster = stores.disasters.rows[house.disaster_id]
    with pytest.raises(Conflict, match=str(house.id)):
        await register_house(stores, actor=CLERK, disaster=disaster, postal_code="9558686",
                             address=ADDRESS)
    with pytest.raises(InvalidInput) as outside:
        await register_house(stores, actor=CLERK, disaster=disaster, postal_code="9590000",
                             address="燕市秋葉町1番1号")
    assert outside.value.invalid_params[0]["name"] == "address"
    assert len(stores.houses.rows) == 1


async def test_occupants_set_by_a_clerk_must_be_in_the_register() -> None:
    stores = FakeStores(_residents())
    house = await _house(stores)

    with pytest.raises(InvalidInput) as refused:
        await set_occupants(stores, actor=CLERK, house_id=house.id, expected_version=1,
                            resident_ids=[HEAD, uuid.uuid4()])
    assert refused.value.invalid_params[0]["name"] == "resident_ids.1"
    assert stores.houses.rows[house.id].occupant_ids == [HEAD, CHILD]

    changed = await set_occupants(stores, actor=CLERK, house_id=house.id, expected_version=1,
                                  resident_ids=[HEAD, HEAD, NEIGHBOUR])
    assert changed.occupant_ids == [HEAD, NEIGHBOUR] and changed.version == 2


async def test_a_survey_grades_the_house_and_publishes_it_a_second_one_reassesses() -> None:
    stores = FakeStores(_residents())
    house = await _house(stores)

    surveyed, first = await record_survey(stores, actor=CLERK, house_id=house.id,
                                          expected_version=1, survey=_survey("25"),
                                          context=CONTEXT, today=TODAY)
    _, second = await record_survey(stores, actor=CLERK, house_id=house.id,
                                    expected_version=surveyed.version,
                                    survey=_survey("45", SurveyKind.SECOND), context=CONTEXT,
                                    today=TODAY)

    assessed, reassessed = stores.events[1:]
    assert type(assessed) is HouseDamageAssessed and type(reassessed) is HouseDamageReassessed
    assert assessed.grade_code == first.survey.grade.code
    assert (reassessed.previous_grade_code, reassessed.grade_code) == (
        first.survey.grade.code, second.survey.grade.code)
    assert assessed.householder_resident_id == HEAD
    assert assessed.occupant_resident_ids == (HEAD, CHILD)
    assert stores.houses.rows[house.id].survey_version == 2
    assert (first.is_reassessment, second.is_reassessment) == (False, True)


async def test_a_survey_reference_names_one_survey() -> None:
    stores = FakeStores(_residents())
    house = await _house(stores)
    surveyed, _ = await record_survey(stores, actor=CLERK, house_id=house.id,
                                      expected_version=1, survey=_survey(ref="A-1"),
                                      context=CONTEXT, today=TODAY)

    with pytest.raises(Conflict, match="A-1"):
        await record_survey(stores, actor=CLERK, house_id=house.id,
                            expected_version=surveyed.version,
                            survey=_survey("45", SurveyKind.SECOND, ref="A-1"),
                            context=CONTEXT, today=TODAY)
    assert stores.houses.rows[house.id].survey_version == 1
    with pytest.raises(NotFound):
        await record_survey(stores, actor=CLERK, house_id=uuid.uuid4(), expected_version=1,
                            survey=_survey(), context=CONTEXT, today=TODAY)


async def test_someone_living_in_the_house_applies_once_within_the_window() -> None:
    stores = FakeStores(_residents())
    house = await _house(stores)

    application_id = await apply(stores, actor=CLERK, house_id=house.id,
                                 applicant_resident_id=CHILD, copies=2, today=TODAY)

    assert [a["id"] for a in stores.applications.rows] == [application_id]
    with pytest.raises(Conflict):
        await apply(stores, actor=CLERK, house_id=house.id, applicant_resident_id=CHILD,
                    copies=1, today=TODAY)
    for applicant, day in ((NEIGHBOUR, TODAY), (HEAD, date(2024, 9, 11))):
        with pytest.raises(InvalidInput) as refused:
            await apply(stores, actor=CLERK, house_id=house.id,
                        applicant_resident_id=applicant, copies=1, today=day)
        assert refused.value.invalid_params[0]["name"] == "applicant_resident_id"
    assert len(stores.applications.rows) == 1
