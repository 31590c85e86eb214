"""The disaster service's house events as certificates receives them, delivered through the
worker's own subscriptions."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from kyodo_disaster_events import (
    CertificateRequest,
    DisasterRef,
    HouseDamageAssessed,
    HouseDamageReassessed,
)

from kyodo_certificates.worker import SUBSCRIPTIONS
from kyodo_common.db import Database
from kyodo_common.events import DomainEvent

from .certificates_kit import envelope
from .conftest import NAGAOKA

FLOOD = DisasterRef(disaster_id=uuid.uuid4(), name="令和6年7月大雨災害", kind="flood",
                    kind_label="水害", occurred_on=date(2024, 7, 25))
ADDRESS = "新潟県長岡市大手通2丁目6番地"


def assessed(householder: uuid.UUID | None, **changes: Any) -> HouseDamageAssessed:
    values: dict[str, Any] = {
        "house_id": uuid.uuid4(), "version": 1, "municipality_code": NAGAOKA,
        "disaster": FLOOD, "address": ADDRESS, "postal_code": "9400062", "grade": "半壊",
        "grade_code": "half", "surveyed_on": date(2024, 8, 2), "survey_version": 1,
        "survey_kind": "一次調査", "method": "現地調査",
        "occupant_resident_ids": (householder,) if householder else (),
        "householder_resident_id": householder, "applicant_resident_id": householder,
        "certificate_requested": householder is not None,
        "requests": (CertificateRequest(application_id=uuid.uuid4(),
                                        applicant_resident_id=householder, copies=1),)
        if householder else ()}
    values.update(changes)
    return HouseDamageAssessed(**values)


def reassessed(first: HouseDamageAssessed, **changes: Any) -> HouseDamageReassessed:
    values: dict[str, Any] = {
        **first.model_dump(), "version": first.version + 1,
        "survey_version": first.survey_version + 1, "survey_kind": "二次調査",
        "surveyed_on": date(2024, 9, 10), "previous_grade": first.grade,
        "previous_grade_code": first.grade_code,
        "previous_survey_version": first.survey_version}
    values.update(changes)
    return HouseDamageReassessed(**values)


async def deliver(db: Database, *events: DomainEvent) -> None:
    """As the worker does: the subscribed handler in the publishing municipality's
    transaction (the inbox is bypassed, so a redelivery reaches the handler again)."""
    by_type = {s.event: s for s in SUBSCRIPTIONS}
    for event in events:
        async with db.tenant_transaction(NAGAOKA) as session:
            await by_type[type(event)].handler(session, event, envelope(NAGAOKA))
