"""One handler per register command: the procedure, and what the caller is answered.

A handler gets its command and the register's unit of work (``uow.store``), changes the
register, records the events, and returns the answer with the access-log entries it owes;
kyodo_common.write_pipeline claims the key, writes the entries and the answer, and commits.
"""

from __future__ import annotations

from typing import Any

from kyodo_common.clock import today_in_japan
from kyodo_common.crypto import FieldCipher
from kyodo_common.write_pipeline import Access, Outcome, Result
from kyodo_residents.api.schemas import MeasurePublic, ProcedureResult, ResidentPublic
from kyodo_residents.service_layer import commands as c
from kyodo_residents.service_layer import households, life, moves, records
from kyodo_residents.service_layer.common import Outcome as Procedure
from kyodo_residents.service_layer.placement import NewHousehold


def answer(procedure: Procedure, *, result: Result = "done",
           fields: tuple[str, ...] = ("register",)) -> Outcome:
    """The 異動 as recorded (the body of ProcedureResult), and one access entry per resident
    it touched."""
    event = procedure.event
    body = ProcedureResult(reason=event.reason, effective_date=event.effective_date,
                           late_filing=event.late_filing,
                           residents=procedure.states).model_dump(mode="json")
    return Outcome(body, result=result, accesses=[Access(
        event.reason, "resident", [str(s.resident_id) for s in procedure.states], fields)])


async def register_resident(command: c.RegisterResident, uow: Any) -> Outcome:
    today = today_in_japan()
    procedure = await records.enter_ex_officio(
        uow=uow, today=today, effective_date=today, details=command.details,
        placement=NewHousehold(postal_code=command.postal_code, address=command.address),
        confirmed_not_duplicate=command.confirmed_not_duplicate)
    state = procedure.states[0]
    body = ResidentPublic.from_state(state, municipality_code=uow.municipality_code,
                                     registered_on=today).model_dump(mode="json")
    return Outcome(body, result="created", accesses=[
        Access("職権記載", "resident", [str(state.resident_id)], ["register"])],
        location=f"/v1/municipalities/{uow.municipality_code}/residents/{state.resident_id}",
        version=state.version)


async def move_in(command: c.MoveIn, uow: Any) -> Outcome:
    return answer(await moves.move_in(
        uow=uow, today=today_in_japan(), effective_date=command.effective_date,
        details=command.details, placement=command.placement,
        previous_address=command.previous_address, from_abroad=command.from_abroad,
        confirmed_not_duplicate=command.confirmed_not_duplicate), result="created")


async def move_in_from_transfer(command: c.MoveInFromTransfer, uow: Any) -> Outcome:
    return answer(await moves.move_in_from_transfer(
        uow=uow, today=today_in_japan(), transfer_id=command.transfer_id,
        effective_date=command.effective_date, placement=command.placement,
        with_my_number_card=command.with_my_number_card), result="created")


async def move_in_household_from_transfers(command: c.MoveInHouseholdFromTransfers,
                                           uow: Any) -> Outcome:
    return answer(await moves.move_in_household_from_transfers(
        uow=uow, today=today_in_japan(), transfer_ids=command.transfer_ids,
        effective_date=command.effective_date, with_my_number_card=command.with_my_number_card,
        new_household=command.new_household, head_transfer_id=command.head_transfer_id,
        relationships=command.relationships), result="created")


async def record_birth(command: c.RecordBirth, uow: Any) -> Outcome:
    return answer(await life.birth(
        uow=uow, today=today_in_japan(), details=command.details,
        household_id=command.household_id, relationship=command.relationship,
        confirmed_not_duplicate=command.confirmed_not_duplicate), result="created")


async def enter_ex_officio(command: c.EnterExOfficio, uow: Any) -> Outcome:
    return answer(await records.enter_ex_officio(
        uow=uow, today=today_in_japan(), effective_date=command.effective_date,
        details=command.details, placement=command.placement,
        confirmed_not_duplicate=command.confirmed_not_duplicate), result="created")


async def move_out(command: c.MoveOut, uow: Any) -> Outcome:
    return answer(await moves.move_out(
        uow=uow, today=today_in_japan(), resident_id=command.resident_id,
        expected_version=command.expected_version, effective_date=command.effective_date,
        destination=command.destination, new_head_id=command.new_head_id,
        relationships=command.relationships))


async def record_death(command: c.RecordDeath, uow: Any) -> Outcome:
    return answer(await life.death(
        uow=uow, today=today_in_japan(), resident_id=command.resident_id,
        expected_version=command.expected_version, effective_date=command.effective_date,
        new_head_id=command.new_head_id, relationships=command.relationships))


async def remove_ex_officio(command: c.RemoveExOfficio, uow: Any) -> Outcome:
    return answer(await records.remove_ex_officio(
        uow=uow, today=today_in_japan(), resident_id=command.resident_id,
        expected_version=command.expected_version, effective_date=command.effective_date,
        new_head_id=command.new_head_id, relationships=command.relationships))


class SetMyNumberHandler:
    """個人番号変更 with the service's My Number key (bound at the composition root)."""

    def __init__(self, cipher: FieldCipher) -> None:
        self.cipher = cipher

    async def __call__(self, command: c.SetMyNumber, uow: Any) -> Outcome:
        return answer(await records.set_my_number(
            uow=uow, today=today_in_japan(), cipher=self.cipher,
            resident_id=command.resident_id, expected_version=command.expected_version,
            my_number=command.my_number, effective_date=command.effective_date,
            may_know_holders=command.may_know_holders), fields=("my_number",))


async def move_within(command: c.MoveWithin, uow: Any) -> Outcome:
    return answer(await moves.relocate(
        uow=uow, today=today_in_japan(), household_id=command.household_id,
        expected_version=command.expected_version, effective_date=command.effective_date,
        postal=command.postal_code, address=command.address))


async def move_out_household(command: c.MoveOutHousehold, uow: Any) -> Outcome:
    return answer(await moves.move_out_household(
        uow=uow, today=today_in_japan(), household_id=command.household_id,
        expected_version=command.expected_version, effective_date=command.effective_date,
        destination=command.destination, members=command.members,
        new_head_id=command.new_head_id, relationships=command.relationships))


async def change_household(command: c.ChangeHousehold, uow: Any) -> Outcome:
    return answer(await households.change_household(
        uow=uow, today=today_in_japan(), household_id=command.household_id,
        expected_version=command.expected_version, effective_date=command.effective_date,
        resident_id=command.resident_id, relationship=command.relationship,
        new_head_id=command.new_head_id, relationships=command.relationships))


async def split_household(command: c.SplitHousehold, uow: Any) -> Outcome:
    return answer(await households.split(
        uow=uow, today=today_in_japan(), household_id=command.household_id,
        expected_version=command.expected_version, effective_date=command.effective_date,
        members=command.members, new_head_id=command.new_head_id,
        relationships=command.relationships, remaining_head_id=command.remaining_head_id,
        remaining_relationships=command.remaining_relationships, postal=command.postal_code,
        address=command.address))


async def merge_households(command: c.MergeHouseholds, uow: Any) -> Outcome:
    return answer(await households.merge(
        uow=uow, today=today_in_japan(), household_id=command.household_id,
        expected_version=command.expected_version,
        other_household_id=command.other_household_id,
        effective_date=command.effective_date, relationships=command.relationships))


async def change_head(command: c.ChangeHead, uow: Any) -> Outcome:
    return answer(await households.change_head(
        uow=uow, today=today_in_japan(), household_id=command.household_id,
        expected_version=command.expected_version, effective_date=command.effective_date,
        new_head_id=command.new_head_id, relationships=command.relationships))


def _measure(resident_id: Any, measure: records.Measure) -> dict[str, Any]:
    return MeasurePublic(resident_id=resident_id, **measure.__dict__).model_dump(mode="json")


async def start_protection(command: c.StartProtection, uow: Any) -> Outcome:
    measure, _ = await records.start_protection(
        uow=uow, today=today_in_japan(), resident_id=command.resident_id,
        starts_on=command.starts_on)
    return Outcome(_measure(command.resident_id, measure), result="created", accesses=[
        Access("protection.started", "resident", [str(command.resident_id)], ["protection"])])


async def extend_protection(command: c.ExtendProtection, uow: Any) -> Outcome:
    measure, _ = await records.extend_protection(
        uow=uow, today=today_in_japan(), resident_id=command.resident_id,
        measure_id=command.measure_id)
    return Outcome(_measure(command.resident_id, measure), accesses=[
        Access("protection.extended", "resident", [str(command.resident_id)], ["protection"])])
