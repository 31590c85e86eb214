"""Every register command's handler, through the write pipeline, on the register in memory
(kyodo_residents.testing): no PostgreSQL, milliseconds each."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from kyodo_residents_events import (
    ResidentBorn,
    ResidentDied,
    ResidentHouseholdSplit,
    ResidentMovedIn,
    ResidentMovedOut,
    ResidentRegistered,
    TransferNoticeIssued,
)

from kyodo_common.assertion import Acting
from kyodo_common.auth import Principal
from kyodo_common.clock import today_in_japan
from kyodo_common.crypto import FieldCipher, new_secret_key
from kyodo_common.errors import (
    Conflict,
    InvalidInput,
    PreconditionFailed,
    PreconditionRequired,
    RuleBroken,
)
from kyodo_common.idempotency import StoredResponse
from kyodo_common.testing import MemoryKeys
from kyodo_common.write_pipeline import Command, Handler, WritePipeline
from kyodo_residents.domain.resident import PersonDetails
from kyodo_residents.service_layer import commands as c
from kyodo_residents.service_layer import handlers
from kyodo_residents.service_layer.moves import Destination
from kyodo_residents.service_layer.placement import JoinHousehold, NewHousehold
from kyodo_residents.testing import SANJO, FakeRegister, FakeRegisterUnitOfWork, transfer_notice

TODAY = today_in_japan()
ADDRESS = "新潟県三条市旭町2丁目3番1号"


class Counter:
    """The pipeline on a fake register, as a clerk of Sanjo calls it."""

    def __init__(self) -> None:
        self.register = FakeRegister()
        self.uows: list[FakeRegisterUnitOfWork] = []
        self.pipeline = WritePipeline(None, source="kyodo/residents", keys=MemoryKeys(),
                                      unit_of_work=self._uow)
        principal = Principal(subject="clerk-1", home_municipality=SANJO, kind="staff",
                              roles=frozenset(), scopes=frozenset(), expires_at=0.0,
                              token_id="t")
        self.acting = Acting(principal=principal, municipality=SANJO, scopes=frozenset(),
                             grant_id=None, expires_at=0.0)

    def _uow(self, code: str) -> FakeRegisterUnitOfWork:
        uow = self.register.unit_of_work(code)
        self.uows.append(uow)
        return uow

    async def run(self, command: Command, handler: Handler[Any]) -> StoredResponse:
        return await self.pipeline.answer(command, handler, acting=self.acting,
                                          key=str(uuid.uuid4()),
                                          fingerprint=(type(command).__name__, repr(command)))

    @property
    def events(self) -> list[Any]:
        return self.uows[-1].committed_events

    @property
    def accesses(self) -> list[dict[str, Any]]:
        return self.uows[-1].committed_rows("access_log")

    async def register_head(self, family: str = "三条", kana: str = "サンジョウ",
                            born: date = date(1980, 4, 1)) -> dict[str, Any]:
        answer = await self.run(c.RegisterResident(
            details=_details(family, kana, born), postal_code="955-8686", address=ADDRESS),
            handlers.register_resident)
        body: dict[str, Any] = answer.body
        return body

    async def family(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """A head and a spouse in one household."""
        head = await self.register_head()
        answer = await self.run(c.EnterExOfficio(
            effective_date=TODAY, details=_details("三条", "サンジョウ", date(1982, 5, 5),
                                                   given="花子", given_kana="ハナコ"),
            placement=JoinHousehold(uuid.UUID(head["household_id"]), "妻")),
            handlers.enter_ex_officio)
        return head, answer.body["residents"][0]


def _details(family: str, kana: str, born: date, *, given: str = "太郎",
             given_kana: str = "タロウ") -> PersonDetails:
    return PersonDetails(family_name=family, given_name=given, family_name_kana=kana,
                         given_name_kana=given_kana, sex="male", birth_date=born)


def _version(register: FakeRegister, resident: dict[str, Any]) -> int:
    return register.persons[uuid.UUID(resident["resident_id"])].version


async def test_register_resident_answers_where_the_record_is_and_logs_the_entry() -> None:
    counter = Counter()
    answer = await counter.run(c.RegisterResident(
        details=_details("三条", "サンジョウ", date(1980, 4, 1)), postal_code="955-8686",
        address=ADDRESS), handlers.register_resident)
    assert answer.status == 201
    assert answer.headers == {"Location": f"/v1/municipalities/{SANJO}/residents/"
                                          f"{answer.body['id']}", "ETag": 'W/"1"'}
    assert answer.body["postal_code"] == "9558686" and answer.body["registered_on"] == str(TODAY)
    [event] = counter.events
    assert isinstance(event, ResidentRegistered)
    assert [(a["action"], a["subject_id"]) for a in counter.accesses] == [
        ("職権記載", answer.body["id"])]


async def test_a_possible_duplicate_is_refused_until_confirmed() -> None:
    counter = Counter()
    await counter.register_head()
    with pytest.raises(Conflict) as refused:
        await counter.register_head()
    assert refused.value.kind == "possible-duplicate"
    assert counter.uows[-1].committed == []
    answer = await counter.run(c.RegisterResident(
        details=_details("三条", "サンジョウ", date(1980, 4, 1)), postal_code="955-8686",
        address=ADDRESS, confirmed_not_duplicate=True), handlers.register_resident)
    assert answer.status == 201


async def test_move_in_into_a_new_household_is_flagged_late_after_14_days() -> None:
    counter = Counter()
    answer = await counter.run(c.MoveIn(
        effective_date=TODAY - timedelta(days=20),
        details=_details("燕", "ツバメ", date(1990, 1, 1)),
        placement=NewHousehold(postal_code="9558686", address=ADDRESS),
        previous_address="東京都千代田区霞が関1-1"), handlers.move_in)
    assert answer.status == 201 and answer.body["late_filing"] is True
    assert answer.body["reason"] == "転入"
    [event] = counter.events
    assert isinstance(event, ResidentMovedIn)
    assert event.residents[0].moved_in_from == "東京都千代田区霞が関1-1"


async def test_a_birth_joins_the_household_as_a_child() -> None:
    counter = Counter()
    head = await counter.register_head()
    answer = await counter.run(c.RecordBirth(
        details=_details("三条", "サンジョウ", TODAY, given="一郎", given_kana="イチロウ"),
        household_id=uuid.UUID(head["household_id"])), handlers.record_birth)
    child = answer.body["residents"][0]
    assert (child["relationship"], child["household_id"]) == ("子", head["household_id"])
    assert isinstance(counter.events[0], ResidentBorn)


async def test_move_out_needs_the_version_read_and_issues_a_transfer_notice() -> None:
    counter = Counter()
    resident = await counter.register_head()
    rid = uuid.UUID(resident["id"])
    to_tokyo = Destination(address="東京都千代田区霞が関1-1", municipality_code="131016",
                           postal_code="1000013")
    with pytest.raises(PreconditionRequired):
        await counter.run(c.MoveOut(resident_id=rid, expected_version=None,
                                    effective_date=TODAY, destination=to_tokyo),
                          handlers.move_out)
    with pytest.raises(PreconditionFailed):
        await counter.run(c.MoveOut(resident_id=rid, expected_version=7,
                                    effective_date=TODAY, destination=to_tokyo),
                          handlers.move_out)
    answer = await counter.run(c.MoveOut(resident_id=rid, expected_version=1,
                                         effective_date=TODAY, destination=to_tokyo),
                               handlers.move_out)
    assert answer.status == 200 and answer.body["residents"][0]["status"] == "moved_out"
    moved, notice = counter.events
    assert isinstance(moved, ResidentMovedOut) and isinstance(notice, TransferNoticeIssued)
    assert notice.destination_municipality == "131016"


async def test_an_announced_move_out_stays_registered_until_its_day() -> None:
    counter = Counter()
    resident = await counter.register_head()
    answer = await counter.run(c.MoveOut(
        resident_id=uuid.UUID(resident["id"]), expected_version=1,
        effective_date=TODAY + timedelta(days=10),
        destination=Destination(address="ソウル", country="KR")), handlers.move_out)
    assert answer.body["residents"][0]["status"] == "announced"
    assert answer.body["reason"] == "国外転出"


async def test_the_heads_death_needs_a_new_head_for_the_members_left() -> None:
    counter = Counter()
    head, spouse = await counter.family()
    hid = uuid.UUID(head["id"])
    with pytest.raises(RuleBroken) as refused:
        await counter.run(c.RecordDeath(resident_id=hid, expected_version=1,
                                        effective_date=TODAY), handlers.record_death)
    assert refused.value.kind == "household-head"
    answer = await counter.run(c.RecordDeath(
        resident_id=hid, expected_version=1, effective_date=TODAY,
        new_head_id=uuid.UUID(spouse["resident_id"])), handlers.record_death)
    assert isinstance(counter.events[0], ResidentDied)
    states = {s["resident_id"]: s for s in answer.body["residents"]}
    assert states[spouse["resident_id"]]["relationship"] == "世帯主"
    assert {a["subject_id"] for a in counter.accesses} == set(states)


async def test_ex_officio_removal_takes_the_person_off_the_register() -> None:
    counter = Counter()
    resident = await counter.register_head()
    answer = await counter.run(c.RemoveExOfficio(
        resident_id=uuid.UUID(resident["id"]), expected_version=1, effective_date=TODAY),
        handlers.remove_ex_officio)
    assert answer.body["residents"][0]["status"] == "removed"


async def test_a_number_another_resident_has_is_refused_as_the_caller_may_know() -> None:
    counter = Counter()
    cipher = FieldCipher(new_secret_key(), "my-number")
    first, second = await counter.register_head(), await counter.register_head(
        "燕", "ツバメ", date(1991, 2, 2))
    handler = handlers.SetMyNumberHandler(cipher)
    number = "123456789018"
    answer = await counter.run(c.SetMyNumber(
        resident_id=uuid.UUID(first["id"]), expected_version=1, my_number=number,
        effective_date=TODAY, may_know_holders=False), handler)
    assert number not in repr(answer.body)
    assert counter.accesses[0]["fields"] == ["my_number"]
    with pytest.raises(Conflict):
        await counter.run(c.SetMyNumber(
            resident_id=uuid.UUID(second["id"]), expected_version=1, my_number=number,
            effective_date=TODAY, may_know_holders=True), handler)
    with pytest.raises(InvalidInput):
        await counter.run(c.SetMyNumber(
            resident_id=uuid.UUID(second["id"]), expected_version=1, my_number=number,
            effective_date=TODAY, may_know_holders=False), handler)


async def test_a_household_moves_within_the_town_together() -> None:
    counter = Counter()
    head, _spouse = await counter.family()
    household = counter.register.households[uuid.UUID(head["household_id"])]
    answer = await counter.run(c.MoveWithin(
        household_id=household.id, expected_version=household.version, effective_date=TODAY,
        postal_code="955-0071", address="新潟県三条市本町1丁目1番1号"),
        handlers.move_within)
    assert {s["postal_code"] for s in answer.body["residents"]} == {"9550071"}
    assert len(answer.body["residents"]) == 2


async def test_a_whole_household_moves_out_with_one_notice_each() -> None:
    counter = Counter()
    head, _ = await counter.family()
    household = counter.register.households[uuid.UUID(head["household_id"])]
    await counter.run(c.MoveOutHousehold(
        household_id=household.id, expected_version=household.version, effective_date=TODAY,
        destination=Destination(address="東京都千代田区霞が関1-1", municipality_code="131016",
                                postal_code="1000013")), handlers.move_out_household)
    notices = [e for e in counter.events if isinstance(e, TransferNoticeIssued)]
    assert len(notices) == 2


async def test_split_then_merge_then_change_head() -> None:
    counter = Counter()
    head, spouse = await counter.family()
    household_id = uuid.UUID(head["household_id"])
    spouse_id = uuid.UUID(spouse["resident_id"])
    version = counter.register.households[household_id].version
    answer = await counter.run(c.SplitHousehold(
        household_id=household_id, expected_version=version, effective_date=TODAY,
        members=[spouse_id], new_head_id=spouse_id, relationships={},
        remaining_head_id=None, remaining_relationships=None, postal_code=None,
        address=None), handlers.split_household)
    assert isinstance(counter.events[0], ResidentHouseholdSplit)
    new_household = uuid.UUID(next(s for s in answer.body["residents"]
                                   if s["resident_id"] == str(spouse_id))["household_id"])
    assert new_household != household_id
    version = counter.register.households[household_id].version
    await counter.run(c.MergeHouseholds(
        household_id=household_id, expected_version=version,
        other_household_id=new_household, effective_date=TODAY,
        relationships={spouse_id: "妻"}), handlers.merge_households)
    assert counter.register.persons[spouse_id].household_id == household_id
    version = counter.register.households[household_id].version
    answer = await counter.run(c.ChangeHead(
        household_id=household_id, expected_version=version, effective_date=TODAY,
        new_head_id=spouse_id, relationships={uuid.UUID(head["id"]): "夫"}),
        handlers.change_head)
    assert counter.register.households[household_id].head_id == spouse_id


async def test_a_resident_changes_household() -> None:
    counter = Counter()
    _head, spouse = await counter.family()
    other = await counter.register_head("燕", "ツバメ", date(1991, 2, 2))
    target = counter.register.households[uuid.UUID(other["household_id"])]
    await counter.run(c.ChangeHousehold(
        household_id=target.id, expected_version=target.version, effective_date=TODAY,
        resident_id=uuid.UUID(spouse["resident_id"]), relationship="同居人"),
        handlers.change_household)
    assert counter.register.persons[uuid.UUID(spouse["resident_id"])].household_id == target.id


async def test_a_transfer_notice_is_used_once() -> None:
    counter = Counter()
    origin = Counter()
    moved = await origin.register_head("燕", "ツバメ", date(1991, 2, 2))
    state = origin.events[0].residents[0]
    notice = transfer_notice(resident=state, planned_move_date=TODAY, moved_out_on=TODAY)
    counter.register.transfers[notice.id] = notice
    command = c.MoveInFromTransfer(transfer_id=notice.id, effective_date=TODAY,
                                   placement=None, with_my_number_card=False)
    answer = await counter.run(command, handlers.move_in_from_transfer)
    person = answer.body["residents"][0]
    assert person["platform_person_id"] == moved["platform_person_id"]
    assert notice.completed_resident_id == uuid.UUID(person["resident_id"])
    with pytest.raises(Conflict):
        await counter.run(command, handlers.move_in_from_transfer)


async def test_a_households_transfer_notices_move_in_together() -> None:
    counter = Counter()
    origin = Counter()
    await origin.family()
    states = [s for uow in origin.uows for e in uow.committed_events for s in e.residents]
    latest = {s.resident_id: s for s in states}
    notices = [transfer_notice(resident=s, planned_move_date=TODAY, moved_out_on=TODAY)
               for s in latest.values()]
    for notice in notices:
        counter.register.transfers[notice.id] = notice
    answer = await counter.run(c.MoveInHouseholdFromTransfers(
        transfer_ids=[n.id for n in notices], effective_date=TODAY,
        with_my_number_card=False, new_household=None),
        handlers.move_in_household_from_transfers)
    assert len({s["household_id"] for s in answer.body["residents"]}) == 1
    assert len(counter.events) == 2


async def test_protection_starts_then_extends_from_a_month_before_its_end() -> None:
    counter = Counter()
    resident = await counter.register_head()
    rid = uuid.UUID(resident["id"])
    answer = await counter.run(c.StartProtection(resident_id=rid, starts_on=TODAY),
                               handlers.start_protection)
    assert answer.status == 201 and answer.body["extensions"] == 0
    assert counter.accesses[0]["action"] == "protection.started"
    with pytest.raises(Conflict):
        await counter.run(c.StartProtection(resident_id=rid, starts_on=TODAY),
                          handlers.start_protection)
    measure_id = uuid.UUID(answer.body["id"])
    with pytest.raises(RuleBroken) as refused:
        await counter.run(c.ExtendProtection(resident_id=rid, measure_id=measure_id),
                          handlers.extend_protection)
    assert refused.value.kind == "too-early"
    counter.register.measures[measure_id].ends_on = TODAY + timedelta(days=3)
    answer = await counter.run(c.ExtendProtection(resident_id=rid, measure_id=measure_id),
                               handlers.extend_protection)
    assert answer.status == 200 and answer.body["extensions"] == 1
