"""Residents and municipalities as the read models know them (from other services' events)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from kyodo_certificates.domain.kinds import FREE_KINDS
from kyodo_common.clock import today_in_japan


def protected_on(state: Mapping[str, Any], day: date) -> bool:
    """支援措置 on that day, by the measure's dates the register's state carries (a measure
    that starts or ends after the event counts on its dates); states from before the dates
    travelled carry the flag as it was on the event's day."""
    starts, ends = _day(state.get("protected_from")), _day(state.get("protected_until"))
    if starts is None or ends is None:
        return bool(state.get("protected"))
    return starts <= day <= ends


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


@dataclass(frozen=True)
class Registered:
    """A resident from the register's events (ResidentState), plus what the read model adds."""

    resident_id: UUID
    resident_number: str
    status: str
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    latin_name: str | None
    birth_date: date | None
    birth_date_partial: str | None
    sex: str
    nationality: str
    household_id: UUID | None
    relationship: str | None
    postal_code: str
    address: str
    address_since: date | None
    became_resident_on: date | None
    left_on: date | None
    protected: bool
    previous_address: str | None = None  # 異動前住所: before the last move within the town
    moved_in_from: str | None = None  # 転入前住所: before moving into the town (register events)
    honseki: str | None = None  # not in the register's events yet: printed when it is

    @classmethod
    def from_state(cls, state: Mapping[str, Any], *,
                   previous_address: str | None = None, today: date | None = None
                   ) -> Registered:
        return cls(
            resident_id=UUID(str(state["resident_id"])),
            resident_number=state["resident_number"], status=state["status"],
            family_name=state["family_name"], given_name=state["given_name"],
            family_name_kana=state["family_name_kana"],
            given_name_kana=state["given_name_kana"], latin_name=state.get("latin_name"),
            birth_date=_day(state.get("birth_date")),
            birth_date_partial=state.get("birth_date_partial"), sex=state["sex"],
            nationality=state.get("nationality", "JP"),
            household_id=UUID(str(state["household_id"])) if state.get("household_id")
            else None,
            relationship=state.get("relationship"), postal_code=state["postal_code"],
            address=state["address"], address_since=_day(state.get("address_since")),
            became_resident_on=_day(state.get("became_resident_on")),
            left_on=_day(state.get("left_on")),
            protected=protected_on(state, today or today_in_japan()),
            previous_address=state.get("previous_address") or previous_address,
            moved_in_from=state.get("moved_in_from"),
            honseki=state.get("honseki"),
        )

    @property
    def name(self) -> str:
        return f"{self.family_name}　{self.given_name}"

    @property
    def kana(self) -> str:
        return f"{self.family_name_kana}　{self.given_name_kana}"

    @property
    def foreign(self) -> bool:
        return self.nationality != "JP"

    @property
    def is_resident(self) -> bool:
        # announced: a 転出 filed for a later day; registered here until that day
        return self.status in ("resident", "announced")


@dataclass(frozen=True)
class Municipality:
    """A tenant's name, mayor, fees and 元年 display, from identity's MunicipalityConfigured."""

    code: str
    name: str
    prefecture: str
    mayor_name: str | None
    certificate_fee_yen: int  # of a kind the town sets no fee of its own for (not a free one)
    fees_yen: Mapping[str, int] = field(default_factory=dict)  # per kind, as configured
    gannen: bool = True  # 元年 for year 1 (DOMAIN §2: common practice, configurable)

    def fee_for(self, kind: str) -> int:
        """The fee of one copy: the town's own for the kind, else 0 for a free kind, else the
        town's certificate fee."""
        if kind in self.fees_yen:
            return self.fees_yen[kind]
        return 0 if kind in FREE_KINDS else self.certificate_fee_yen

    @property
    def mayor_title(self) -> str:
        """三条市長, 粟島浦村長: the head of the municipality is named after it."""
        return f"{self.name}長"

    @property
    def issuer(self) -> str:
        return f"{self.mayor_title}　{self.mayor_name}" if self.mayor_name else self.mayor_title
