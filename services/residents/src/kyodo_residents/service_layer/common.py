"""What every register procedure shares: versions, head reassignment, the outcome."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from kyodo_residents_events import ResidentRegisterChanged, ResidentState

from kyodo_common import privacy
from kyodo_common.db import UnitOfWork
from kyodo_common.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    RuleBroken,
)
from kyodo_jp.postal import InvalidPostalCode, parse_postal_code
from kyodo_residents.adapters.repository import Changes
from kyodo_residents.domain import relationship as rel
from kyodo_residents.domain.model import Household, Person, Status
from kyodo_residents.domain.resident import PersonDetails, validated
from kyodo_residents.service_layer.unit_of_work import store_of


@dataclass(frozen=True)
class Outcome:
    event: ResidentRegisterChanged
    states: list[ResidentState]


def postal_code(value: str, field: str = "postal_code") -> str:
    try:
        return parse_postal_code(value)
    except InvalidPostalCode:
        raise InvalidInput(field, "a postal code has 7 digits (999-9999)") from None


def check_version(actual: int, expected: int | None) -> None:
    """If-Match: the clerk changes what they saw, or nothing (412)."""
    if expected is None:
        raise PreconditionRequired("updates need an If-Match header with the ETag you read",
                                   invalid_params=[{"name": "If-Match", "reason": "required"}])
    if actual != expected:
        raise PreconditionFailed("the record changed since you read it; read it again")


def require_sight_of_every_member(procedure: str) -> None:
    """A procedure that takes every member along or may leave a household empty needs a caller
    who sees every member: row-level security hides protected people (支援措置) from the
    others, who would leave them behind in a household marked empty or headless. Refused
    whatever the household holds, so the refusal tells nothing about who lives there."""
    if not privacy.sees_protected():
        raise Forbidden(f"{procedure} needs the scope {privacy.PROTECTED_SCOPE}, as staff "
                        "of the municipality: a household may have members only such "
                        "staff see")


async def person_for_update(uow: UnitOfWork, resident_id: uuid.UUID,
                            expected_version: int | None) -> Person:
    person = await store_of(uow).person(resident_id)
    if person is None:
        raise NotFound("resident")
    check_version(person.version, expected_version)
    return person


async def household_for_update(uow: UnitOfWork, household_id: uuid.UUID,
                               expected_version: int | None = None, *,
                               check: bool = True, field: str = "household_id") -> Household:
    household = await store_of(uow).household(household_id)
    if household is None:
        raise InvalidInput(field, "no such household") if not check else NotFound("household")
    if check:
        check_version(household.version, expected_version)
    return household


async def new_person(uow: UnitOfWork, details: PersonDetails, *, today: date) -> Person:
    """A fresh register entry with a new 宛名番号 (names, kana and birth date validated)."""
    details = validated(details, today=today)
    return Person(
        id=uuid.uuid4(), platform_person_id=uuid.uuid4(),
        resident_number=await store_of(uow).next_resident_number(), version=1,
        status=Status.RESIDENT, family_name=details.family_name,
        given_name=details.given_name, family_name_kana=details.family_name_kana,
        given_name_kana=details.given_name_kana, birth_date=details.birth_date,
        birth_date_partial=details.birth_date_partial, sex=details.sex,
        nationality=details.nationality, latin_name=details.latin_name,
        residence_status=details.residence_status,
        residence_card_number=details.residence_card_number, stay_until=details.stay_until,
        postal_code="", address="",
    )


MATCHED = ("family_name_kana", "given_name_kana", "birth_date", "address")


async def check_not_duplicate(uow: UnitOfWork, person: Person, *, confirmed: bool) -> None:
    """A new entry (出生, 職権記載, 転入 keyed in) with the readings, birth date and address of a
    current resident is refused (409, the candidates' ids only) until the clerk confirms it is
    somebody else. Candidates the caller may not see (支援措置) are not found: row-level
    security hides them from this query as from every other (docs/operations.md)."""
    if confirmed:
        return
    candidates = await store_of(uow).same_person(person)
    if candidates:
        raise Conflict(title="Possible duplicate", kind="possible-duplicate",
                       detail="a current resident has the same readings, birth date and "
                              "address: check them, and send confirm_not_duplicate: true if "
                              "this is somebody else",
                       invalid_params=[{"name": "confirm_not_duplicate",
                                        "reason": "a possible duplicate needs confirming"}],
                       extensions={"candidates": [
                           {"resident_id": str(c), "matched": list(MATCHED)}
                           for c in candidates]})


def reassign_head(household: Household, *, leaving: set[uuid.UUID],
                  new_head_id: uuid.UUID | None, relationships: Mapping[uuid.UUID, str],
                  changes: Changes) -> None:
    """When the head leaves and members remain, a new head and their 続柄 are required."""
    remaining = [m for m in household.residents if m.id not in leaving]
    head_leaves = household.head_id in leaving
    if not remaining:
        household.head_id = None
        changes.changed_household(household)
        return
    if not head_leaves and new_head_id is None:
        return
    if new_head_id is None:
        raise RuleBroken(title="Household without a head", kind="household-head",
                         detail="the head leaves while members remain: name the new head "
                                "(new_head_id) and each member's relationship to them",
                         invalid_params=[{"name": "new_head_id", "reason": "required"}])
    set_head(household, remaining=remaining, new_head_id=new_head_id,
             relationships=relationships, changes=changes)


async def leave_register(uow: UnitOfWork, *, resident_id: uuid.UUID,
                         expected_version: int | None, status: Status, left_on: date,
                         new_head_id: uuid.UUID | None,
                         relationships: Mapping[uuid.UUID, str] | None,
                         changes: Changes) -> tuple[Person, list[Household]]:
    """The resident leaves (転出, 死亡, 職権消除); a head's household gets its new head."""
    person = await person_for_update(uow, resident_id, expected_version)
    person.require_resident(announced=True)  # an announced 転出 may die or leave otherwise
    households = []
    if person.household_id:
        household = await household_for_update(uow, person.household_id, check=False)
        person = household.same(person)
        reassign_head(household, leaving={person.id}, new_head_id=new_head_id,
                      relationships=relationships or {}, changes=changes)
        households.append(household)
    person.status, person.left_on = status, left_on
    changes.changed(person)
    return person, households


def set_head(household: Household, *, remaining: list[Person], new_head_id: uuid.UUID,
             relationships: Mapping[uuid.UUID, str], changes: Changes) -> None:
    ids = {m.id for m in remaining}
    if new_head_id not in ids:
        raise InvalidInput("new_head_id", "the new head must be a remaining member")
    others = ids - {new_head_id}
    missing = others - set(relationships)
    if missing:
        raise InvalidInput("relationships", "give every remaining member's relationship to "
                                            "the new head")
    for member in remaining:
        if member.id == new_head_id:
            member.relationship = rel.HEAD
        else:
            value = rel.validate(relationships[member.id], field=f"relationships.{member.id}")
            if value == rel.HEAD:
                raise InvalidInput(f"relationships.{member.id}", "a household has one head")
            member.relationship = value
        changes.changed(member)
    household.head_id = new_head_id
    changes.changed_household(household)


async def finish(uow: UnitOfWork, changes: Changes, *, event_type: type[ResidentRegisterChanged],
                 subject_id: uuid.UUID, effective_date: date, reason: str, late: bool,
                 today: date, households: list[Household] = ()) -> Outcome:  # type: ignore[assignment]
    """Check household invariants, save, and record the event with every touched state."""
    for household in households:
        household.check_invariants()
    states = await store_of(uow).save(changes, effective_date=effective_date, reason=reason,
                                late_filing=late, today=today)
    event = event_type(municipality_code=uow.municipality_code, effective_date=effective_date,
                       reason=reason, late_filing=late, residents=tuple(states),
                       subject_id=subject_id)
    uow.record(event)
    return Outcome(event=event, states=states)


async def finish_each(uow: UnitOfWork, changes: Changes, *,
                      event_type: type[ResidentRegisterChanged], effective_date: date,
                      reason: str, late: bool, today: date,
                      households: list[Household],
                      subjects: list[uuid.UUID] | None = None) -> Outcome:
    """As ``finish``, for a procedure done to several persons at once (a household's 転出,
    転入): one event per subject (by default every person touched), each carrying that person's
    state, as if each had been filed on its own, all in one transaction. Others touched on the
    way (members who stay and get a new head) ride on the first subject's event, as they do on
    one person's 転出: they are no subject of it."""
    for household in households:
        household.check_invariants()
    states = await store_of(uow).save(changes, effective_date=effective_date, reason=reason,
                                late_filing=late, today=today)
    order = subjects if subjects is not None else [s.resident_id for s in states]
    by_id = {s.resident_id: s for s in states}
    bystanders = tuple(s for s in states if s.resident_id not in set(order))
    events = [event_type(municipality_code=uow.municipality_code, effective_date=effective_date,
                         reason=reason, late_filing=late,
                         residents=(by_id[subject], *(bystanders if i == 0 else ())),
                         subject_id=subject) for i, subject in enumerate(order)]
    for event in events:
        uow.record(event)
    return Outcome(event=events[0], states=states)
