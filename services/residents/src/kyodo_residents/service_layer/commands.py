"""The register's commands (異動届 and the register's own entries): what a clerk asks for.

Each is frozen, built by a route from path, body and headers, and run by one handler
(service_layer.handlers) through kyodo_common's write pipeline. ``expected_version`` is the
version the clerk read (If-Match), None when they sent none.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from kyodo_common.write_pipeline import Command
from kyodo_residents.domain.resident import PersonDetails
from kyodo_residents.service_layer.moves import Destination
from kyodo_residents.service_layer.placement import NewHousehold, Placement

Relationships = Mapping[uuid.UUID, str]


@dataclass(frozen=True)
class RegisterResident(Command):
    """住民登録 as the head of a new household (the simplest 職権記載), dated today."""

    details: PersonDetails
    postal_code: str
    address: str
    confirmed_not_duplicate: bool = False


@dataclass(frozen=True)
class MoveIn(Command):
    """転入 keyed in from the application (from off the platform, or 国外転入)."""

    effective_date: date
    details: PersonDetails
    placement: Placement
    previous_address: str
    from_abroad: bool = False
    confirmed_not_duplicate: bool = False


@dataclass(frozen=True)
class MoveInFromTransfer(Command):
    """転入 from a platform municipality: its transfer notice confirmed."""

    transfer_id: uuid.UUID
    effective_date: date
    placement: Placement | None
    with_my_number_card: bool


@dataclass(frozen=True)
class MoveInHouseholdFromTransfers(Command):
    """世帯全員の転入 from a platform municipality: its notices confirmed together."""

    transfer_ids: Sequence[uuid.UUID]
    effective_date: date
    with_my_number_card: bool
    new_household: NewHousehold | None
    head_transfer_id: uuid.UUID | None = None
    relationships: Relationships | None = None


@dataclass(frozen=True)
class RecordBirth(Command):
    """出生."""

    details: PersonDetails
    household_id: uuid.UUID
    relationship: str = "子"
    confirmed_not_duplicate: bool = False


@dataclass(frozen=True)
class EnterExOfficio(Command):
    """職権記載."""

    effective_date: date
    details: PersonDetails
    placement: Placement
    confirmed_not_duplicate: bool = False


@dataclass(frozen=True)
class MoveOut(Command):
    """転出 (国内 or 国外), possibly announced for a later date."""

    resident_id: uuid.UUID
    expected_version: int | None
    effective_date: date
    destination: Destination
    new_head_id: uuid.UUID | None = None
    relationships: Relationships | None = None


@dataclass(frozen=True)
class RecordDeath(Command):
    """死亡."""

    resident_id: uuid.UUID
    expected_version: int | None
    effective_date: date
    new_head_id: uuid.UUID | None = None
    relationships: Relationships | None = None


@dataclass(frozen=True)
class RemoveExOfficio(Command):
    """職権消除."""

    resident_id: uuid.UUID
    expected_version: int | None
    effective_date: date
    new_head_id: uuid.UUID | None = None
    relationships: Relationships | None = None


@dataclass(frozen=True)
class SetMyNumber(Command):
    """個人番号変更; ``may_know_holders``: the caller may read numbers (mynumber:read)."""

    resident_id: uuid.UUID
    expected_version: int | None
    my_number: str = field(repr=False)
    effective_date: date
    may_know_holders: bool


@dataclass(frozen=True)
class MoveWithin(Command):
    """転居: the household moves within the municipality."""

    household_id: uuid.UUID
    expected_version: int | None
    effective_date: date
    postal_code: str
    address: str


@dataclass(frozen=True)
class MoveOutHousehold(Command):
    """世帯全員の転出 (or of the members named), all or none."""

    household_id: uuid.UUID
    expected_version: int | None
    effective_date: date
    destination: Destination
    members: Sequence[uuid.UUID] | None = None
    new_head_id: uuid.UUID | None = None
    relationships: Relationships | None = None


@dataclass(frozen=True)
class ChangeHousehold(Command):
    """世帯変更: a resident leaves their household and joins this one."""

    household_id: uuid.UUID
    expected_version: int | None
    effective_date: date
    resident_id: uuid.UUID
    relationship: str
    new_head_id: uuid.UUID | None = None
    relationships: Relationships | None = None


@dataclass(frozen=True)
class SplitHousehold(Command):
    """世帯分離: members leave to form a new household."""

    household_id: uuid.UUID
    expected_version: int | None
    effective_date: date
    members: Sequence[uuid.UUID]
    new_head_id: uuid.UUID
    relationships: Relationships
    remaining_head_id: uuid.UUID | None
    remaining_relationships: Relationships | None
    postal_code: str | None
    address: str | None


@dataclass(frozen=True)
class MergeHouseholds(Command):
    """世帯合併: the other household's members join this one."""

    household_id: uuid.UUID
    expected_version: int | None
    other_household_id: uuid.UUID
    effective_date: date
    relationships: Relationships


@dataclass(frozen=True)
class ChangeHead(Command):
    """世帯主変更."""

    household_id: uuid.UUID
    expected_version: int | None
    effective_date: date
    new_head_id: uuid.UUID
    relationships: Relationships


@dataclass(frozen=True)
class StartProtection(Command):
    """支援措置: the person is hidden from other parties for a year from ``starts_on``."""

    resident_id: uuid.UUID
    starts_on: date


@dataclass(frozen=True)
class ExtendProtection(Command):
    """The measure runs a year more (from a month before its end)."""

    resident_id: uuid.UUID
    measure_id: uuid.UUID
