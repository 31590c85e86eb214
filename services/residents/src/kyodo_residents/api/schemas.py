"""Request and response bodies of the residents API (XCreate / XPublic)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from kyodo_residents_events import ResidentState
from pydantic import AfterValidator, BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError

from kyodo_common.paging import MAX_CURSOR_LENGTH, Page
from kyodo_common.web import ApiModel
from kyodo_jp.printable import unprintable_reason
from kyodo_residents.domain.resident import PersonDetails, Sex
from kyodo_residents.service_layer.moves import Destination
from kyodo_residents.service_layer.placement import JoinHousehold, NewHousehold, Placement


def _printable(value: str) -> str:
    """Names and addresses are printed on certificates (住民票): a character their font cannot
    draw is refused here, naming it, rather than stored and printed as ☒ (issue #18)."""
    reason = unprintable_reason(value)
    if reason is not None:
        raise PydanticCustomError("unprintable", reason)
    return value


Name = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_printable)]
Address = Annotated[str, Field(min_length=1, max_length=300), AfterValidator(_printable)]
Postal = Annotated[str, Field(min_length=7, max_length=8, examples=["955-8686"])]
ConfirmNotDuplicate = Annotated[bool, Field(
    description="the clerk checked the possible duplicates a 409 listed: this is somebody else")]


class ResidentCreate(ApiModel):
    """A registration into a new household of one (職権記載 with the person as head)."""

    family_name: Name = Field(description="氏")
    given_name: Name = Field(description="名")
    family_name_kana: Name = Field(description="氏 フリガナ")
    given_name_kana: Name = Field(description="名 フリガナ")
    birth_date: date
    sex: Sex
    postal_code: Postal
    address: Address
    confirm_not_duplicate: ConfirmNotDuplicate = False

    def details(self) -> PersonDetails:
        return PersonDetails(**self.model_dump(
            exclude={"postal_code", "address", "confirm_not_duplicate"}))


class PersonIn(ApiModel):
    family_name: Name = Field(description="氏 (as written; characters outside JIS X 0208 kept)")
    given_name: Name = Field(description="名")
    family_name_kana: Name
    given_name_kana: Name
    sex: Sex
    birth_date: date | None = None
    birth_date_partial: str | None = Field(default=None, max_length=12,
                                           description="YYYY, YYYY-MM, YYYY-MM-DD, XXXX; ~ for 頃")
    nationality: str = Field(default="JP", pattern=r"^[A-Z]{2}$")
    latin_name: Name | None = None
    residence_status: str | None = Field(default=None, max_length=60)
    residence_card_number: str | None = Field(default=None, pattern=r"^[A-Z]{2}[0-9]{8}[A-Z]{2}$")
    stay_until: date | None = None

    def details(self) -> PersonDetails:
        return PersonDetails(**self.model_dump())


class NewHouseholdIn(ApiModel):
    postal_code: Postal
    address: Address


class JoinHouseholdIn(ApiModel):
    household_id: UUID
    relationship: str = Field(min_length=1, max_length=40, description="続柄, e.g. 子の妻")


class PlacementIn(ApiModel):
    """Exactly one of: a new household (the person is its head) or an existing one."""

    new_household: NewHouseholdIn | None = None
    join: JoinHouseholdIn | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> PlacementIn:
        if (self.new_household is None) == (self.join is None):
            raise ValueError("give exactly one of new_household or join")
        return self

    def placement(self) -> Placement:
        if self.new_household:
            return NewHousehold(**self.new_household.model_dump())
        assert self.join is not None
        return JoinHousehold(self.join.household_id, self.join.relationship)


class MoveInCreate(ApiModel):
    """転入: keyed from the application (from a municipality off the platform, or abroad)."""

    kind: Literal["domestic", "abroad"]
    effective_date: date = Field(description="異動日: the day of the move")
    person: PersonIn
    household: PlacementIn
    previous_address: Address = Field(description="転入前住所, as written there")
    confirm_not_duplicate: ConfirmNotDuplicate = False


class TransferMoveInCreate(ApiModel):
    """転入 from another platform municipality: confirm its transfer notice."""

    transfer_id: UUID
    effective_date: date
    with_my_number_card: bool = Field(default=False, description="特例転入")
    household: PlacementIn | None = None


class HouseholdTransferMoveInCreate(ApiModel):
    """世帯全員の転入 from another platform municipality: its members' transfer notices."""

    transfer_ids: list[UUID] = Field(min_length=1, max_length=50,
                                     description="the notices of one household, all confirmed "
                                                 "or none")
    effective_date: date
    with_my_number_card: bool = Field(default=False, description="特例転入")
    new_household: NewHouseholdIn | None = Field(
        default=None, description="the address here; by default the notices' destination")
    head_transfer_id: UUID | None = Field(
        default=None, description="only when the household's head did not come along")
    relationships: dict[UUID, str] = Field(
        default_factory=dict, description="with head_transfer_id: each other member's 続柄 to "
                                          "the new head, by transfer id")


class BirthCreate(ApiModel):
    person: PersonIn
    household_id: UUID
    relationship: str = Field(default="子", max_length=40)
    confirm_not_duplicate: ConfirmNotDuplicate = False


class HeadReassignment(ApiModel):
    new_head_id: UUID | None = None
    relationships: dict[UUID, str] = Field(default_factory=dict)


class DestinationIn(ApiModel):
    address: Address
    municipality_code: str | None = Field(default=None, pattern=r"^[0-9]{6}$")
    postal_code: Postal | None = None
    country: str | None = Field(default=None, max_length=60)

    def destination(self) -> Destination:
        return Destination(**self.model_dump())


class MoveOutCreate(HeadReassignment):
    effective_date: date = Field(description="予定日: may be in the future")
    destination: DestinationIn


class HouseholdMoveOutCreate(HeadReassignment):
    """世帯全員の転出, or of the members named (the others stay, with a new head if needed)."""

    effective_date: date = Field(description="予定日: may be in the future")
    destination: DestinationIn
    members: list[UUID] | None = Field(default=None, min_length=1, max_length=50,
                                       description="who leaves; by default the whole household")


class HouseholdChangeCreate(HeadReassignment):
    """世帯変更: the resident leaves their household and joins this one; ``new_head_id`` and
    ``relationships`` are for the household they leave, when its head leaves members behind."""

    effective_date: date
    resident_id: UUID
    relationship: str = Field(min_length=1, max_length=40,
                              description="続柄 to this household's head, e.g. 子の妻")


class DeathCreate(HeadReassignment):
    effective_date: date


class RemovalCreate(HeadReassignment):
    effective_date: date


class RelocationCreate(ApiModel):
    effective_date: date
    postal_code: Postal
    address: Address


class SplitCreate(ApiModel):
    effective_date: date
    members: list[UUID] = Field(min_length=1, max_length=50)
    new_head_id: UUID
    relationships: dict[UUID, str] = Field(default_factory=dict)
    remaining_head_id: UUID | None = None
    remaining_relationships: dict[UUID, str] = Field(default_factory=dict)
    postal_code: Postal | None = None
    address: Address | None = None


class MergeCreate(ApiModel):
    effective_date: date
    other_household_id: UUID
    relationships: dict[UUID, str]


class HeadChangeCreate(ApiModel):
    effective_date: date
    new_head_id: UUID
    relationships: dict[UUID, str]


class MyNumberSet(ApiModel):
    my_number: str = Field(pattern=r"^[0-9]{12}$")
    effective_date: date

    def __repr__(self) -> str:  # never in a log line or a traceback
        return "MyNumberSet(my_number=***)"


class ExOfficioEntry(ApiModel):
    effective_date: date
    person: PersonIn
    household: PlacementIn
    confirm_not_duplicate: ConfirmNotDuplicate = False


class ProtectionCreate(ApiModel):
    starts_on: date


class ProcedureResult(BaseModel):
    """The 異動 as recorded: its reason, date, and the state of every resident it touched."""

    reason: str
    effective_date: date
    late_filing: bool
    residents: list[ResidentState]


class ResidentPublic(BaseModel):
    id: UUID
    municipality_code: str
    resident_number: str
    platform_person_id: UUID
    status: str = Field(description="resident | announced | moved_out | dead | removed")
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    latin_name: str | None
    birth_date: date | None
    birth_date_partial: str | None
    sex: str
    nationality: str
    residence_status: str | None
    stay_until: date | None
    household_id: UUID | None
    relationship: str | None
    postal_code: str
    address: str
    address_since: date | None
    became_resident_on: date | None
    previous_address: str | None
    moved_in_from: str | None = Field(default=None, description="転入前住所")
    left_on: date | None
    registered_on: date = Field(description="処理日: set by the register, never by a client")
    my_number: str | None = Field(description="masked: read it with GET …/my-number")
    protected: bool = False
    version: int

    @classmethod
    def from_state(cls, state: ResidentState, *, municipality_code: str,
                   registered_on: date) -> ResidentPublic:
        """A resident just entered: what the transaction wrote, without reading it back."""
        values = state.model_dump()
        return cls.model_validate({
            **values, "id": state.resident_id, "municipality_code": municipality_code,
            "registered_on": registered_on, "my_number": None, "residence_status": None,
            "stay_until": None, "previous_address": None})

    @classmethod
    def from_row(cls, row: Any, *, protected: bool = False) -> ResidentPublic:
        mapping = dict(getattr(row, "_mapping", row))  # a SQLAlchemy row or an asyncpg record
        mapping["my_number"] = "************" if mapping.get("my_number_hash") else None
        mapping["protected"] = protected
        return cls.model_validate({k: v for k, v in mapping.items() if k in cls.model_fields})


class HouseholdPublic(BaseModel):
    id: UUID
    household_number: str
    head_id: UUID | None
    postal_code: str
    address: str
    formed_on: date
    dissolved_on: date | None
    version: int
    members: list[ResidentState] = Field(description="in certificate order")


class SearchQuery(ApiModel):
    """Searches by POST, so names and numbers stay out of URLs and logs."""

    kana_prefix: str | None = Field(default=None, min_length=1, max_length=60)
    birth_date: date | None = None
    address_contains: str | None = Field(default=None, min_length=2, max_length=100)
    resident_number: str | None = Field(default=None, pattern=r"^[0-9]{10}$")
    include_former: bool = Field(default=False, description="moved out, dead, removed")
    # A search reads more than a list does: pages of at most 100 (the envelope's default 20).
    limit: int = Field(default=20, ge=1, le=100, description="hits per page (1–100)")
    cursor: str | None = Field(default=None, max_length=MAX_CURSOR_LENGTH,
                               description="the `next` of the previous page")

    @model_validator(mode="after")
    def _something_to_search(self) -> SearchQuery:
        if not any((self.kana_prefix, self.birth_date, self.address_contains,
                    self.resident_number)):
            raise ValueError("give at least one of kana_prefix, birth_date, address_contains, "
                             "resident_number")
        return self


class SearchHit(BaseModel):
    id: UUID
    resident_number: str
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    birth_date: date | None
    birth_date_partial: str | None
    address: str
    status: str
    protected: bool


SearchPage = Page[SearchHit]


class MeasurePublic(BaseModel):
    id: UUID
    resident_id: UUID
    starts_on: date
    ends_on: date
    extensions: int


class AccessEntry(BaseModel):
    occurred_at: Any
    actor: str
    actor_home: str
    acting_municipality: str
    purpose: str | None
    action: str
    fields: list[str]
    grant_id: str | None = Field(default=None,
                                 description="the support grant the actor acted under")
    terminal: str | None = Field(default=None, description="the counter terminal, or "
                                 "client:<id> for a partner system")


class IncomingTransfer(BaseModel):
    id: UUID
    origin_municipality: str
    planned_move_date: date
    moved_out_on: date
    destination_address: str
    destination_postal_code: str
    resident: ResidentState
