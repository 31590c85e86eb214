"""Request and response bodies of the residents API (XCreate / XPublic)."""

from __future__ import annotations

import re
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

# Any run of spaces a clerk types between 氏 and 名 (ASCII or 全角 U+3000, which \s includes).
_SPACES = re.compile(r"\s+")


def _name_prefix(value: str) -> str:
    """The start of 氏名 as registered: the characters are compared as they are (a name is
    never normalized, kyodo_jp.kana); only a run of spaces becomes one ASCII space, as the
    register joins 氏 and 名 (migration 0013). Spaces at either end are dropped (ApiModel),
    control characters refused (ApiModel)."""
    prefix = _SPACES.sub(" ", value).strip()
    if not prefix:
        raise PydanticCustomError("name_blank", "give the start of the 氏 (family name)")
    return prefix


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
    birth_date: date = Field(description="生年月日 (date of birth)")
    sex: Sex = Field(description="性別 (sex)")
    postal_code: Postal = Field(
        description="郵便番号 (postal code): 7 digits, with or without the hyphen (955-8686)")
    address: Address = Field(
        description="住所 (address) as written on the register, from the prefecture down")
    confirm_not_duplicate: ConfirmNotDuplicate = False

    def details(self) -> PersonDetails:
        return PersonDetails(**self.model_dump(
            exclude={"postal_code", "address", "confirm_not_duplicate"}))


class PersonIn(ApiModel):
    family_name: Name = Field(description="氏 (as written; characters outside JIS X 0208 kept)")
    given_name: Name = Field(description="名")
    family_name_kana: Name = Field(
        description="氏 フリガナ: hiragana or katakana, stored as full-width katakana")
    given_name_kana: Name = Field(
        description="名 フリガナ: hiragana or katakana, stored as full-width katakana")
    sex: Sex = Field(description="性別 (sex)")
    birth_date: date | None = Field(
        default=None,
        description="生年月日; omit when only partly known (birth_date_partial)")
    birth_date_partial: str | None = Field(default=None, max_length=12,
                                           description="YYYY, YYYY-MM, YYYY-MM-DD, XXXX; ~ for 頃")
    nationality: str = Field(default="JP", pattern=r"^[A-Z]{2}$",
                             description="国籍 (nationality), ISO 3166-1 alpha-2; JP for Japanese "
                                         "nationals")
    latin_name: Name | None = Field(
        default=None,
        description="the name in Latin letters (foreign residents)")
    residence_status: str | None = Field(default=None, max_length=60,
                                         description="在留資格 (status of residence) of a foreign "
                                                     "resident")
    residence_card_number: str | None = Field(default=None, pattern=r"^[A-Z]{2}[0-9]{8}[A-Z]{2}$",
                                              description="在留カード番号 (residence card number) "
                                                          "of a foreign resident")
    stay_until: date | None = Field(
        default=None,
        description="在留期間の満了日 (end of the authorized period of stay) of a foreign resident")

    def details(self) -> PersonDetails:
        return PersonDetails(**self.model_dump())


class NewHouseholdIn(ApiModel):
    postal_code: Postal = Field(description="the new household's postal code")
    address: Address = Field(description="the new household's address")


class JoinHouseholdIn(ApiModel):
    household_id: UUID = Field(description="the existing household to join")
    relationship: str = Field(min_length=1, max_length=40, description="続柄, e.g. 子の妻")


class PlacementIn(ApiModel):
    """Exactly one of: a new household (the person is its head) or an existing one."""

    new_household: NewHouseholdIn | None = Field(
        default=None,
        description="a new household with the person as 世帯主")
    join: JoinHouseholdIn | None = Field(
        default=None,
        description="an existing household the person joins, with their 続柄")

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

    kind: Literal["domestic", "abroad"] = Field(
        description="domestic (国内転入) or abroad (国外転入)")
    effective_date: date = Field(description="異動日: the day of the move")
    person: PersonIn = Field(description="the person moving in")
    household: PlacementIn = Field(description="a new household or the one the person joins")
    previous_address: Address = Field(description="転入前住所, as written there")
    confirm_not_duplicate: ConfirmNotDuplicate = False


class TransferMoveInCreate(ApiModel):
    """転入 from another platform municipality: confirm its transfer notice."""

    transfer_id: UUID = Field(description="the transfer notice from the origin municipality")
    effective_date: date = Field(description="異動日: the day the person moved in")
    with_my_number_card: bool = Field(default=False, description="特例転入")
    household: PlacementIn | None = Field(
        default=None,
        description="a new household or one to join; by default a new one at the notice's "
                    "destination")


class HouseholdTransferMoveInCreate(ApiModel):
    """世帯全員の転入 from another platform municipality: its members' transfer notices."""

    transfer_ids: list[UUID] = Field(min_length=1, max_length=50,
                                     description="the notices of one household, all confirmed "
                                                 "or none")
    effective_date: date = Field(description="異動日: the day they moved in")
    with_my_number_card: bool = Field(default=False, description="特例転入")
    new_household: NewHouseholdIn | None = Field(
        default=None, description="the address here; by default the notices' destination")
    head_transfer_id: UUID | None = Field(
        default=None, description="only when the household's head did not come along")
    relationships: dict[UUID, str] = Field(
        default_factory=dict, description="with head_transfer_id: each other member's 続柄 to "
                                          "the new head, by transfer id")


class BirthCreate(ApiModel):
    person: PersonIn = Field(description="the newborn")
    household_id: UUID = Field(description="the household the child is born into")
    relationship: str = Field(default="子", max_length=40,
                              description="続柄 to the head: 子 by default, 子の子 for a "
                                          "grandchild")
    confirm_not_duplicate: ConfirmNotDuplicate = False


class HeadReassignment(ApiModel):
    new_head_id: UUID | None = Field(
        default=None,
        description="the resident who becomes 世帯主 (household head) of the household left behind")
    relationships: dict[UUID, str] = Field(default_factory=dict,
                                           description="続柄 (relationship to the new head) of "
                                                       "each other member, by resident id")


class DestinationIn(ApiModel):
    address: Address = Field(description="the new address (転出先住所)")
    municipality_code: str | None = Field(default=None, pattern=r"^[0-9]{6}$",
                                          description="the destination municipality's code, when "
                                                      "in Japan")
    postal_code: Postal | None = Field(
        default=None,
        description="the destination's postal code, when in Japan")
    country: str | None = Field(default=None, max_length=60,
                                description="the destination country (国外転出)")

    def destination(self) -> Destination:
        return Destination(**self.model_dump())


class MoveOutCreate(HeadReassignment):
    effective_date: date = Field(description="予定日: may be in the future")
    destination: DestinationIn = Field(description="where the person moves (転出先)")


class HouseholdMoveOutCreate(HeadReassignment):
    """世帯全員の転出, or of the members named (the others stay, with a new head if needed)."""

    effective_date: date = Field(description="予定日: may be in the future")
    destination: DestinationIn = Field(description="where they move (転出先)")
    members: list[UUID] | None = Field(default=None, min_length=1, max_length=50,
                                       description="who leaves; by default the whole household")


class HouseholdChangeCreate(HeadReassignment):
    """世帯変更: the resident leaves their household and joins this one; ``new_head_id`` and
    ``relationships`` are for the household they leave, when its head leaves members behind."""

    effective_date: date = Field(
        description="the date the change takes effect (異動日): not after today")
    resident_id: UUID = Field(description="the resident who joins this household")
    relationship: str = Field(min_length=1, max_length=40,
                              description="続柄 to this household's head, e.g. 子の妻")


class DeathCreate(HeadReassignment):
    effective_date: date = Field(description="死亡日 (date of death): not after today")


class RemovalCreate(HeadReassignment):
    effective_date: date = Field(description="the date from which the record is removed (職権消除)")


class RelocationCreate(ApiModel):
    effective_date: date = Field(description="異動日 of the 転居 (move within the municipality)")
    postal_code: Postal = Field(description="the new address's postal code")
    address: Address = Field(description="the new address in this municipality")


class SplitCreate(ApiModel):
    effective_date: date = Field(description="異動日 of the 世帯分離 (household split)")
    members: list[UUID] = Field(min_length=1, max_length=50,
                                description="the residents who leave to form the new household")
    new_head_id: UUID = Field(description="the 世帯主 of the new household (one of members)")
    relationships: dict[UUID, str] = Field(default_factory=dict,
                                           description="the other leaving members' 続柄 to the "
                                                       "new head")
    remaining_head_id: UUID | None = Field(
        default=None,
        description="a new head for the household left behind, when its head leaves")
    remaining_relationships: dict[UUID, str] = Field(default_factory=dict,
                                                     description="the remaining members' 続柄 to "
                                                                 "their new head")
    postal_code: Postal | None = Field(
        default=None,
        description="the new household's postal code; by default the same address")
    address: Address | None = Field(
        default=None,
        description="the new household's address; by default the same (同一住所での世帯分離)")


class MergeCreate(ApiModel):
    effective_date: date = Field(
        description="the date the change takes effect (異動日): not after today")
    other_household_id: UUID = Field(
        description="the household merged into this one (世帯合併); it ceases")
    relationships: dict[UUID, str] = Field(
        description="each incoming member's 続柄 to this household's head")


class HeadChangeCreate(ApiModel):
    effective_date: date = Field(
        description="the date the change takes effect (異動日): not after today")
    new_head_id: UUID = Field(description="the member who becomes 世帯主 (household head)")
    relationships: dict[UUID, str] = Field(
        description="each other member's 続柄 to the new head, by resident id")


class MyNumberSet(ApiModel):
    my_number: str = Field(pattern=r"^[0-9]{12}$",
                           description="個人番号 (My Number): 12 digits with a check digit; never "
                                       "logged or put in events")
    effective_date: date = Field(description="the date of the change (個人番号変更)")

    def __repr__(self) -> str:  # never in a log line or a traceback
        return "MyNumberSet(my_number=***)"


class ExOfficioEntry(ApiModel):
    effective_date: date = Field(
        description="the date from which the person is recorded (職権記載)")
    person: PersonIn = Field(description="the person recorded ex officio")
    household: PlacementIn = Field(description="a new household or the one the person joins")
    confirm_not_duplicate: ConfirmNotDuplicate = False


class ProtectionCreate(ApiModel):
    starts_on: date = Field(description="the first day of the 支援措置; it lasts one year")


class ProcedureResult(BaseModel):
    """The 異動 as recorded: its reason, date, and the state of every resident it touched."""

    reason: str = Field(description="異動事由 (reason of the change), e.g. 転入, 出生, 世帯分離")
    effective_date: date = Field(
        description="the date the change takes effect (異動日): not after today")
    late_filing: bool = Field(
        description="true when notified after the 14-day deadline (accepted, flagged)")
    residents: list[ResidentState] = Field(
        description="every resident the change touched, as they are now")


class ResidentPublic(BaseModel):
    id: UUID = Field(description="the resident's id")
    municipality_code: str = Field(
        description="the municipality's 6-digit local government code (全国地方公共団体コード)")
    resident_number: str = Field(
        description="宛名番号 (resident number): 10 digits with a Modulus 11 check digit")
    platform_person_id: UUID = Field(
        description="the person's id across the platform: the same in every municipality they "
                    "lived in")
    status: str = Field(description="resident | announced | moved_out | dead | removed")
    family_name: str = Field(description="氏 (family name) in kanji, as registered")
    given_name: str = Field(description="名 (given name) in kanji, as registered")
    family_name_kana: str = Field(
        description="氏 フリガナ (family name reading) in full-width katakana")
    given_name_kana: str = Field(
        description="名 フリガナ (given name reading) in full-width katakana")
    latin_name: str | None = Field(description="the name in Latin letters (foreign residents)")
    birth_date: date | None = Field(description="生年月日 (date of birth), ISO 8601")
    birth_date_partial: str | None = Field(
        description="a partly unknown date of birth: YYYY, YYYY-MM or XXXX; a trailing ~ means 頃 "
                    "(about)")
    sex: str = Field(description="性別 (sex): male or female")
    nationality: str = Field(
        description="国籍 (nationality), ISO 3166-1 alpha-2; JP for Japanese nationals")
    residence_status: str | None = Field(
        description="在留資格 (status of residence) of a foreign resident")
    stay_until: date | None = Field(
        description="在留期間の満了日 (end of the authorized period of stay) of a foreign resident")
    household_id: UUID | None = Field(description="the household's (世帯) id")
    relationship: str | None = Field(
        description="続柄 (relationship to the household head), e.g. 世帯主, 妻, 子, 子の妻")
    postal_code: str = Field(
        description="郵便番号 (postal code): 7 digits, with or without the hyphen (955-8686)")
    address: str = Field(
        description="住所 (address) as written on the register, from the prefecture down")
    address_since: date | None = Field(
        description="the date the person began living at the current address (住定日)")
    became_resident_on: date | None = Field(
        description="the date the person became a resident of this municipality "
                    "(住民となった年月日)")
    previous_address: str | None = Field(
        description="転入前住所: the address before moving into this municipality")
    moved_in_from: str | None = Field(default=None, description="転入前住所")
    left_on: date | None = Field(
        description="the date the person stopped being a resident (転出, 死亡, 職権消除); null "
                    "while registered")
    registered_on: date = Field(description="処理日: set by the register, never by a client")
    my_number: str | None = Field(description="masked: read it with GET …/my-number")
    protected: bool = Field(
        default=False,
        description="under a 支援措置 (DV/stalking protection measure): the record is not "
                    "disclosed to third parties")
    version: int = Field(
        description="the record's version, incremented on every change; its ETag is "
                    "W/\"<version>\"")

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
    id: UUID = Field(description="the household's id")
    household_number: str = Field(
        description="世帯番号 (household number): digits with a Modulus 11 check digit")
    head_id: UUID | None = Field(description="the 世帯主's (household head) resident id")
    postal_code: str = Field(description="the household's postal code")
    address: str = Field(description="the household's address")
    formed_on: date = Field(description="the date the household was formed")
    dissolved_on: date | None = Field(
        description="the date it ceased (last member left); null while it exists")
    version: int = Field(
        description="the record's version, incremented on every change; its ETag is "
                    "W/\"<version>\"")
    members: list[ResidentState] = Field(description="in certificate order")


class SearchQuery(ApiModel):
    """Searches by POST, so names and numbers stay out of URLs and logs."""

    kana_prefix: str | None = Field(default=None, min_length=1, max_length=60,
                                    description="the start of the フリガナ (family then given "
                                                "name), hiragana or katakana")
    name: Annotated[str, AfterValidator(_name_prefix)] | None = Field(
        default=None, min_length=1, max_length=100,
        description="the start of the 氏名 in kanji as registered: of the 氏 (family name), or "
                    "of 氏, a space (ASCII or 全角) and 名 (「渡辺」, 「渡辺 健」); characters are "
                    "matched exactly as written, not by reading",
        examples=["渡辺 健"])
    birth_date: date | None = Field(default=None, description="the exact date of birth")
    address_contains: str | None = Field(default=None, min_length=2, max_length=100,
                                         description="part of the address")
    resident_number: str | None = Field(default=None, pattern=r"^[0-9]{10}$",
                                        description="the exact 宛名番号")
    include_former: bool = Field(default=False, description="moved out, dead, removed")
    # A search reads more than a list does: pages of at most 100 (the envelope's default 20).
    limit: int = Field(default=20, ge=1, le=100, description="hits per page (1–100)")
    cursor: str | None = Field(default=None, max_length=MAX_CURSOR_LENGTH,
                               description="the `next` of the previous page")

    @model_validator(mode="after")
    def _something_to_search(self) -> SearchQuery:
        if not any((self.kana_prefix, self.name, self.birth_date, self.address_contains,
                    self.resident_number)):
            raise ValueError("give at least one of kana_prefix, name, birth_date, "
                             "address_contains, resident_number")
        return self


class SearchHit(BaseModel):
    id: UUID = Field(description="the resident's id")
    resident_number: str = Field(
        description="宛名番号 (resident number): 10 digits with a Modulus 11 check digit")
    family_name: str = Field(description="氏 (family name) in kanji, as registered")
    given_name: str = Field(description="名 (given name) in kanji, as registered")
    family_name_kana: str = Field(
        description="氏 フリガナ (family name reading) in full-width katakana")
    given_name_kana: str = Field(
        description="名 フリガナ (given name reading) in full-width katakana")
    birth_date: date | None = Field(description="生年月日 (date of birth), ISO 8601")
    birth_date_partial: str | None = Field(
        description="a partly unknown date of birth: YYYY, YYYY-MM or XXXX; a trailing ~ means 頃 "
                    "(about)")
    address: str = Field(description="the current address")
    status: str = Field(
        description="resident, announced (転出 filed for a later day), moved_out, dead or removed")
    protected: bool = Field(
        description="under a 支援措置 (DV/stalking protection measure): the record is not "
                    "disclosed to third parties")


SearchPage = Page[SearchHit]


class MeasurePublic(BaseModel):
    id: UUID = Field(description="the measure's id")
    resident_id: UUID = Field(description="the resident's id (住民 record) in this municipality")
    starts_on: date = Field(description="the first day of the 支援措置")
    ends_on: date = Field(
        description="the last day (1 year from the start, extended a year at a time)")
    extensions: int = Field(description="how many times it was extended")


class AccessEntry(BaseModel):
    occurred_at: Any = Field(description="when it happened (ISO 8601, UTC)")
    actor: str = Field(
        description="who acted: the staff member's login, `<municipality>/<login>`, or a client id")
    actor_home: str = Field(
        description="the home municipality code of the actor (differs from the acting "
                    "municipality for staff under a support grant)")
    acting_municipality: str = Field(
        description="the municipality code in whose name the action was taken")
    purpose: str | None = Field(description="the stated purpose code of the read (X-Kyodo-Purpose)")
    action: str = Field(
        description="what was done (a verb of the audit vocabulary, e.g. `read`, `register`)")
    fields: list[str] = Field(
        description="the names of the fields read or changed (never their values)")
    grant_id: str | None = Field(default=None,
                                 description="the support grant the actor acted under")
    terminal: str | None = Field(default=None, description="the counter terminal, or "
                                 "client:<id> for a partner system")


class IncomingTransfer(BaseModel):
    id: UUID = Field(description="the transfer notice's id (転出証明書情報)")
    origin_municipality: str = Field(description="the municipality the person moved out of")
    planned_move_date: date = Field(description="the move date announced at the 転出")
    moved_out_on: date = Field(description="the date the 転出 was recorded")
    destination_address: str = Field(description="the address given as destination")
    destination_postal_code: str = Field(description="the destination's postal code")
    resident: ResidentState = Field(
        description="the person as registered in the origin municipality")
