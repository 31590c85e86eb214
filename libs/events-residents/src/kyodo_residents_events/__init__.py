"""Public events of the residents service: what other services build their read models from.

Every event carries the full state (after the change) of each resident it touched, with the
resident's ``version``: a consumer keeps the highest version it has seen, so the order in which
events of different keys arrive does not matter, and a redelivery changes nothing. My Number
never travels in an event.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from kyodo_common.events import DomainEvent

TOPIC = "kyodo.residents.v1"
# Every register change, read by five consumer groups: the busiest topic. 24 partitions (was 6)
# leave room for consumers to scale out, and on the embedded broker they keep fetches cheap: it
# scans a partition's stored batches to answer a fetch, so its CPU per event grows with the
# partition's length (measured at 200 registrations/s, 45 s: the broker 0.5 → 2.1 ms per
# registration with 6 partitions, 0.75 → 1.4 with 24; with 1, 0.75 → 2.75).
TOPICS = {TOPIC: 24}


class ResidentState(BaseModel):
    """A resident as registered after the change (no My Number)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    resident_id: UUID
    platform_person_id: UUID
    resident_number: str
    version: int
    # resident | announced (a 転出 filed for a later day: still registered here, no longer in
    # the household) | moved_out | dead | removed
    status: str
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    latin_name: str | None = None
    birth_date: date | None
    birth_date_partial: str | None = None
    sex: str
    nationality: str
    household_id: UUID | None
    household_number: str | None
    relationship: str | None
    postal_code: str
    address: str
    address_since: date | None = None
    became_resident_on: date | None = None
    left_on: date | None = None
    # 転入前住所: the address just before the person moved into the municipality, as written
    # there (DOMAIN §5); None when unknown or born here.
    moved_in_from: str | None = None
    # 支援措置 in force on the day of the event. A consumer decides by the measure's dates
    # below, which it keeps: a measure that starts or ends later takes effect without an event.
    protected: bool = False
    protected_from: date | None = None
    protected_until: date | None = None


class ResidentRegisterChanged(DomainEvent):
    """Base of the register's events: one 異動 (change) with its effective date."""

    topic: ClassVar[str] = TOPIC

    municipality_code: str
    effective_date: date
    reason: str
    late_filing: bool = False
    residents: tuple[ResidentState, ...]
    subject_id: UUID

    @property
    def subject(self) -> str:
        return str(self.subject_id)


class ResidentRegistered(ResidentRegisterChanged):
    """職権記載 / 登録: entered in the register."""

    event_type: ClassVar[str] = "jp.kyodo.resident.registered.v1"


class ResidentMovedIn(ResidentRegisterChanged):
    """転入: moved in from another municipality or from abroad."""

    event_type: ClassVar[str] = "jp.kyodo.resident.moved_in.v1"


class ResidentBorn(ResidentRegisterChanged):
    """出生: born into a household of the municipality."""

    event_type: ClassVar[str] = "jp.kyodo.resident.born.v1"


class ResidentMovedOut(ResidentRegisterChanged):
    """転出: left for another municipality or abroad."""

    event_type: ClassVar[str] = "jp.kyodo.resident.moved_out.v1"


class ResidentDied(ResidentRegisterChanged):
    """死亡: died."""

    event_type: ClassVar[str] = "jp.kyodo.resident.died.v1"


class ResidentRelocated(ResidentRegisterChanged):
    """転居: moved within the municipality."""

    event_type: ClassVar[str] = "jp.kyodo.resident.relocated.v1"


class ResidentHouseholdSplit(ResidentRegisterChanged):
    """世帯分離: members left to form their own household."""

    event_type: ClassVar[str] = "jp.kyodo.resident.household_split.v1"


class ResidentHouseholdMerged(ResidentRegisterChanged):
    """世帯合併: two households became one."""

    event_type: ClassVar[str] = "jp.kyodo.resident.household_merged.v1"


class ResidentHouseholdChanged(ResidentRegisterChanged):
    """世帯変更: a member left their household and joined another one of the municipality."""

    event_type: ClassVar[str] = "jp.kyodo.resident.household_changed.v1"


class ResidentHeadChanged(ResidentRegisterChanged):
    """世帯主変更: the household has a new head."""

    event_type: ClassVar[str] = "jp.kyodo.resident.head_changed.v1"


class ResidentMyNumberChanged(ResidentRegisterChanged):
    """個人番号変更 (the number itself never travels)."""

    event_type: ClassVar[str] = "jp.kyodo.resident.my_number_changed.v1"


class ResidentRemoved(ResidentRegisterChanged):
    """職権消除: removed from the register ex officio."""

    event_type: ClassVar[str] = "jp.kyodo.resident.removed.v1"


class ResidentProtectionChanged(ResidentRegisterChanged):
    """支援措置: protection started, extended or ended."""

    event_type: ClassVar[str] = "jp.kyodo.resident.protection_changed.v1"


class TransferNoticeIssued(DomainEvent):
    """転出証明書情報: a move-out to another platform municipality, addressed to it.

    Published with the destination as the event's municipality, so the destination's
    register can offer the move-in to its clerk without re-keying.
    """

    event_type: ClassVar[str] = "jp.kyodo.resident.transfer_notice_issued.v1"
    topic: ClassVar[str] = TOPIC

    transfer_id: UUID
    origin_municipality: str
    destination_municipality: str
    planned_move_date: date
    moved_out_on: date
    destination_address: str
    destination_postal_code: str
    resident: ResidentState
    # A foreign resident's 在留資格 and 在留期間 travel with them (not in ResidentState: the
    # register's other consumers do not need them).
    residence_status: str | None = None
    residence_card_number: str | None = None
    stay_until: date | None = None

    @property
    def subject(self) -> str:
        return str(self.resident.resident_id)


ALL_EVENTS: tuple[type[DomainEvent], ...] = (
    ResidentRegistered, ResidentMovedIn, ResidentBorn, ResidentMovedOut, ResidentDied,
    ResidentRelocated, ResidentHouseholdSplit, ResidentHouseholdMerged, ResidentHeadChanged,
    ResidentMyNumberChanged, ResidentRemoved, ResidentProtectionChanged, TransferNoticeIssued,
    ResidentHouseholdChanged,
)
