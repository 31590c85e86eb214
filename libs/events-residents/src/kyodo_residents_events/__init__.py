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

from pydantic import BaseModel, ConfigDict, Field

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

    resident_id: UUID = Field(description="the resident's id in this municipality")
    platform_person_id: UUID = Field(
        description="the person's id across the platform: the same in every municipality they "
                    "lived in")
    resident_number: str = Field(
        description="宛名番号 (resident number): 10 digits with a Modulus 11 check digit")
    version: int = Field(
        description="the record's version, incremented on every change; its ETag is "
                    "W/\"<version>\"")
    # resident | announced (a 転出 filed for a later day: still registered here, no longer in
    # the household) | moved_out | dead | removed
    status: str = Field(
        description="resident, announced (転出 filed for a later day), moved_out, dead or removed")
    family_name: str = Field(description="氏 (family name) in kanji, as registered")
    given_name: str = Field(description="名 (given name) in kanji, as registered")
    family_name_kana: str = Field(
        description="氏 フリガナ (family name reading) in full-width katakana")
    given_name_kana: str = Field(
        description="名 フリガナ (given name reading) in full-width katakana")
    latin_name: str | None = Field(
        default=None,
        description="the name in Latin letters (foreign residents)")
    birth_date: date | None = Field(description="生年月日 (date of birth), ISO 8601")
    birth_date_partial: str | None = Field(
        default=None,
        description="a partly unknown date of birth: YYYY, YYYY-MM or XXXX; a trailing ~ means 頃 "
                    "(about)")
    sex: str = Field(description="性別 (sex): male or female")
    nationality: str = Field(
        description="国籍 (nationality), ISO 3166-1 alpha-2; JP for Japanese nationals")
    household_id: UUID | None = Field(description="the household's (世帯) id")
    household_number: str | None = Field(
        description="世帯番号 (household number): digits with a Modulus 11 check digit")
    relationship: str | None = Field(
        description="続柄 (relationship to the household head), e.g. 世帯主, 妻, 子, 子の妻")
    postal_code: str = Field(
        description="郵便番号 (postal code): 7 digits, with or without the hyphen (955-8686)")
    address: str = Field(
        description="住所 (address) as written on the register, from the prefecture down")
    address_since: date | None = Field(
        default=None,
        description="the date the person began living at the current address (住定日)")
    became_resident_on: date | None = Field(
        default=None,
        description="the date the person became a resident of this municipality "
                    "(住民となった年月日)")
    left_on: date | None = Field(
        default=None,
        description="the date the person stopped being a resident (転出, 死亡, 職権消除); null "
                    "while registered")
    # 転入前住所: the address just before the person moved into the municipality, as written
    # there (DOMAIN §5); None when unknown or born here.
    moved_in_from: str | None = Field(
        default=None,
        description="転入前住所: the address before moving into this municipality")
    # 支援措置 in force on the day of the event. A consumer decides by the measure's dates
    # below, which it keeps: a measure that starts or ends later takes effect without an event.
    protected: bool = Field(
        default=False,
        description="under a 支援措置 (DV/stalking protection measure): the record is not "
                    "disclosed to third parties")
    protected_from: date | None = Field(default=None, description="the first day of the 支援措置")
    protected_until: date | None = Field(default=None, description="the last day of the 支援措置")


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
