"""災害の宣言: a disaster as the municipality declares it, and its application window."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from kyodo_common.errors import InvalidInput
from kyodo_disaster.domain.addresses import area_entry
from kyodo_disaster.domain.calendar import add_months
from kyodo_disaster.domain.kinds import DisasterKind
from kyodo_disaster.domain.rules import WindowRules

MAX_AREA_ENTRIES = 500


@dataclass
class Disaster:
    id: UUID
    municipality_code: str
    name: str
    kind: DisasterKind
    occurred_on: date
    affected_area: list[str]
    application_opens_on: date
    application_closes_on: date
    version: int

    def accepts_applications_on(self, day: date) -> bool:
        return self.application_opens_on <= day <= self.application_closes_on


def check_occurred_on(occurred_on: date, *, today: date) -> None:
    if occurred_on > today:
        raise InvalidInput("occurred_on", "a disaster is declared after it occurred")


def check_window(*, occurred_on: date, opens_on: date, closes_on: date, rules: WindowRules,
                 extension: bool = False, today: date | None = None) -> None:
    """申請期間: opens on or after the disaster (within a month), lasts 1–3 months; an
    extension may reach further but never closes a window before today."""
    if opens_on < occurred_on:
        raise InvalidInput("application_opens_on", "the window opens on or after the disaster")
    if opens_on > add_months(occurred_on, rules.opens_within_months):
        raise InvalidInput("application_opens_on",
                           f"the window opens within {rules.opens_within_months} month(s) "
                           "of the disaster")
    if closes_on < add_months(opens_on, rules.min_months):
        raise InvalidInput("application_closes_on",
                           f"the window stays open at least {rules.min_months} month(s)")
    longest = rules.max_extended_months if extension else rules.max_months
    if closes_on > add_months(opens_on, longest):
        raise InvalidInput("application_closes_on",
                           f"the window lasts at most {longest} months"
                           + ("" if extension else " when declared (extend it later)"))
    if extension and today is not None and closes_on < today:
        raise InvalidInput("application_closes_on", "a window cannot be closed in the past")


def checked_area(entries: Sequence[str]) -> list[str]:
    """町名/地区 names and postal codes as given, without blanks and duplicates."""
    kept: list[str] = []
    keys: set[str] = set()
    for index, entry in enumerate(entries):
        text = entry.strip()
        if not text:
            raise InvalidInput(f"affected_area.{index}", "an empty area entry")
        key = area_entry(text)
        if key not in keys:
            keys.add(key)
            kept.append(text)
    if not kept:
        raise InvalidInput("affected_area", "name at least one 町名, 地区 or postal code")
    if len(kept) > MAX_AREA_ENTRIES:
        raise InvalidInput("affected_area", f"at most {MAX_AREA_ENTRIES} entries")
    return kept
