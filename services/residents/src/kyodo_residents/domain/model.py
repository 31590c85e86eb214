"""The register's aggregates as the procedures change them: persons and households."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from uuid import UUID

from kyodo_common.errors import Conflict, InvalidInput, RuleBroken
from kyodo_jp.household_order import member_order
from kyodo_residents.domain import relationship as rel


class Status(StrEnum):
    RESIDENT = "resident"
    # A 転出 filed for a later day: still registered here (a current resident, certificates
    # may be issued) but no longer a member of the household, which was settled at filing.
    ANNOUNCED = "announced"
    MOVED_OUT = "moved_out"
    DEAD = "dead"
    REMOVED = "removed"


def in_force(starts_on: date | None, ends_on: date | None, day: date) -> bool:
    """支援措置: a measure from ``starts_on`` to ``ends_on`` (inclusive) protects on ``day``."""
    return starts_on is not None and ends_on is not None and starts_on <= day <= ends_on


@dataclass
class Person:
    id: UUID
    platform_person_id: UUID
    resident_number: str
    version: int
    status: Status
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    birth_date: date | None
    birth_date_partial: str | None
    sex: str
    nationality: str
    postal_code: str
    address: str
    household_id: UUID | None = None
    relationship: str | None = None
    latin_name: str | None = None
    residence_status: str | None = None
    residence_card_number: str | None = None
    stay_until: date | None = None
    address_since: date | None = None
    became_resident_on: date | None = None
    previous_address: str | None = None
    # 転入前住所: the address just before the person moved into the municipality (DOMAIN §5),
    # as written there; a 転居 within the town leaves it as it is.
    moved_in_from: str | None = None
    left_on: date | None = None
    destination: str | None = None
    # 支援措置: the measure in force or the next to start (the register's row carries it so
    # that row-level security can hide the person on its dates; kyodo_common.privacy).
    protected_from: date | None = None
    protected_until: date | None = None
    has_my_number: bool = False

    @property
    def is_resident(self) -> bool:
        return self.status == Status.RESIDENT

    @property
    def is_registered(self) -> bool:
        """Registered here now: a resident, or one whose announced 転出 is still to come."""
        return self.status in (Status.RESIDENT, Status.ANNOUNCED)

    def protected_on(self, day: date) -> bool:
        return in_force(self.protected_from, self.protected_until, day)

    def require_resident(self, field_name: str = "resident_id", *,
                         announced: bool = False) -> None:
        """A resident (with ``announced``: or one whose announced 転出 is still to come)."""
        if not (self.is_registered if announced else self.is_resident):
            raise Conflict(title="Not a resident", kind="not-a-resident",
                           detail=f"the person is registered as {self.status.value}",
                           invalid_params=[{"name": field_name, "reason": self.status.value}])


@dataclass
class Household:
    id: UUID
    household_number: str
    head_id: UUID | None
    postal_code: str
    address: str
    formed_on: date
    version: int
    dissolved_on: date | None = None
    members: list[Person] = field(default_factory=list)

    @property
    def residents(self) -> list[Person]:
        return [m for m in self.members if m.is_resident]

    def member(self, person_id: UUID, field_name: str = "resident_id") -> Person:
        for m in self.residents:
            if m.id == person_id:
                return m
        raise InvalidInput(field_name, "the person is not a member of this household")

    def same(self, person: Person) -> Person:
        """The household's own instance of the person, so both views change together."""
        return next((m for m in self.members if m.id == person.id), person)

    def check_invariants(self) -> None:
        """One head, named 世帯主, while the household has members; nobody else is 世帯主."""
        residents = self.residents
        if not residents:
            return
        heads = [m for m in residents if m.relationship == rel.HEAD]
        if len(heads) != 1 or self.head_id != heads[0].id:
            raise RuleBroken(title="Household without one head", kind="household-head",
                             detail="a household needs exactly one head (世帯主)",
                             invalid_params=[{"name": "head", "reason": f"{len(heads)} heads"}])

    def ordered_members(self) -> list[Person]:
        """Certificate order: head, spouse, children by birth, their families, elders…"""
        return sorted(self.residents, key=member_order)
