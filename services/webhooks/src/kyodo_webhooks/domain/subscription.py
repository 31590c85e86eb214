"""A subscription's rules: which event types a caller may subscribe to, the filters, the
municipality's consent, and who may manage it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kyodo_common.assertion import Acting
from kyodo_common.errors import Forbidden, InvalidInput
from kyodo_webhooks.domain.catalogue import TYPES

SUBSCRIBE = "webhooks:subscribe"  # a partner's client (or staff) subscribes, sees its own
MANAGE = "webhooks:manage"  # the town's admin: sees, approves and ends every subscription
MAX_TYPES = 50
# Non-personal attributes of events a subscription may narrow to (value compared equal).
FILTERS: dict[str, type] = {"disaster_id": uuid.UUID, "fiscal_year": int}


def event_types(requested: Iterable[str], acting: Acting) -> list[str]:
    """Known types, each readable with the caller's scopes (what the partner will need to
    fetch the resource the notification names)."""
    unique = sorted(set(requested))
    if not unique:
        raise InvalidInput("event_types", "at least one event type is required")
    if len(unique) > MAX_TYPES:
        raise InvalidInput("event_types", f"at most {MAX_TYPES} event types")
    for name in unique:
        if name not in TYPES:
            raise InvalidInput("event_types", f"unknown event type {name!r}")
    missing = sorted({TYPES[n].scope for n in unique} - set(acting.scopes))
    if missing:
        raise Forbidden(f"these event types need the scope {', '.join(missing)}, "
                             "which you do not hold for this municipality",
                        invalid_params=[{"name": "event_types",
                                       "reason": f"needs {', '.join(missing)}"}])
    return unique


def filters(given: Mapping[str, Any] | None) -> dict[str, str]:
    """Filters as stored (strings), each a known attribute with a value of its type."""
    out: dict[str, str] = {}
    for name, value in (given or {}).items():
        kind = FILTERS.get(name)
        if kind is None:
            raise InvalidInput(f"filters.{name}", f"unknown filter; known: {', '.join(FILTERS)}")
        try:
            out[name] = str(kind(value))
        except (TypeError, ValueError) as exc:
            raise InvalidInput(f"filters.{name}", f"expected a {kind.__name__}") from exc
    return out


def filterable(event: Any, event_type: str) -> dict[str, str]:
    """The attributes of an event that filters compare, as strings."""
    found: dict[str, str] = {}
    if event_type.startswith("jp.kyodo.disaster."):
        value = event.disaster_id if event_type.endswith(".declared.v1") \
            else event.disaster.disaster_id
        found["disaster_id"] = str(value)
    if event_type.startswith("jp.kyodo.tax."):
        found["fiscal_year"] = str(event.fiscal_year)
    return found


def matches(stored: Mapping[str, str], attributes: Mapping[str, str]) -> bool:
    """An event passes when each filter it has an attribute for is equal; filters on
    attributes an event type lacks do not apply to it."""
    return all(attributes.get(name, value) == value for name, value in stored.items())


def initial_state(acting: Acting) -> str:
    """Consent: the town's admin subscribing gives it, and so does a support grant the town
    made; otherwise the subscription waits for the admin's approval."""
    if acting.grant_id is not None or acting.has_scope(MANAGE):
        return "active"
    return "pending_approval"


@dataclass(frozen=True)
class Owner:
    subject: str
    home: str

    @classmethod
    def of(cls, acting: Acting) -> Owner:
        return cls(acting.principal.subject, acting.principal.home_municipality)


def may_manage(acting: Acting, row: Any) -> bool:
    """The admin (home staff with webhooks:manage), or the subscription's own client."""
    if acting.has_scope(MANAGE) and acting.grant_id is None:
        return True
    return bool(row["owner_subject"] == acting.principal.subject
                and row["owner_home"] == acting.principal.home_municipality)
