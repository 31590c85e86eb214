"""Effective dates and filing deadlines of the register's procedures (DOMAIN.md §3)."""

from __future__ import annotations

from datetime import date, timedelta

from kyodo_common.errors import InvalidInput

FILING_DEADLINE_DAYS = 14
SPECIAL_MOVE_IN_DAYS = 30


def check_effective_date(effective: date, *, today: date, may_be_future: bool = False) -> None:
    """異動日 may not be after the processing date, except for an announced 転出."""
    if effective > today and not may_be_future:
        raise InvalidInput("effective_date", "the effective date is after today's processing date")


def is_late(effective: date, *, today: date, days: int = FILING_DEADLINE_DAYS) -> bool:
    """Filed after the deadline: accepted, but flagged."""
    return today > effective + timedelta(days=days)


def check_special_move_in(*, planned_move_date: date, today: date) -> None:
    """特例転入 (with a My Number card): within 30 days of the announced move date."""
    if today > planned_move_date + timedelta(days=SPECIAL_MOVE_IN_DAYS):
        raise InvalidInput("transfer_id", "the transfer notice expired: more than 30 days after "
                                          "the announced move date")


def check_not_before(effective: date, earliest: date, *, field: str, reason: str) -> None:
    """Dates of one register checked against each other: 422 naming the field, nothing done."""
    if effective < earliest:
        raise InvalidInput(field, f"{reason} ({earliest.isoformat()})")


def check_move_in_after_move_out(effective: date, *, moved_out_on: date) -> None:
    """A 転入 from a transfer notice is not before the 転出 it follows (its announced date):
    the person would be registered in two towns on the same days."""
    check_not_before(effective, moved_out_on, field="effective_date",
                     reason="the move-in is before the move-out it follows")


def check_joins_after_formed(effective: date, *, formed_on: date,
                             field: str = "effective_date") -> None:
    """Nobody joins a household before it was formed."""
    check_not_before(effective, formed_on, field=field,
                     reason="the household was formed after this date")


def is_announced(effective: date, *, today: date) -> bool:
    """A 転出 for a later day: the person stays registered, announced, until that day."""
    return effective > today
