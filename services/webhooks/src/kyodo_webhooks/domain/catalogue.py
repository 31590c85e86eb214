"""The event types a partner may subscribe to: the scope its client needs to read what the
notification names, and the URL of the resource (the notification's subject).

The URL is built from ids only (never a name, an address or a number of the register): a
partner fetches the resource with its own token, scope and purpose, so that read is in the
town's access log like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import kyodo_disaster_events as disaster
import kyodo_residents_events as residents
import kyodo_tax_events as tax

from kyodo_common.events import DomainEvent


@dataclass(frozen=True)
class EventType:
    event: type[DomainEvent]
    service: str
    scope: str  # the read scope the subscriber must hold (and the fetch will need)
    path: Callable[[Any], str]  # the resource's path after /v1/municipalities/{code}/
    summary: str
    path_template: str  # the same, as documented

    @property
    def name(self) -> str:
        return str(self.event.event_type)


def _resident(event: residents.ResidentRegisterChanged) -> str:
    return f"residents/{event.subject_id}"


def _transfer(event: residents.TransferNoticeIssued) -> str:
    return f"residents/transfers/incoming/{event.transfer_id}"


def _assessment(event: tax.TaxAssessmentChanged) -> str:
    return f"tax/assessments/{event.assessment_id}"


def _disaster(event: disaster.DisasterDeclared) -> str:
    return f"disaster/disasters/{event.disaster_id}"


def _house(event: disaster.HouseDamageAssessed) -> str:
    return f"disaster/houses/{event.house_id}"


_RESIDENT_SUMMARIES = {
    residents.ResidentRegistered: "a resident was entered in the register",
    residents.ResidentMovedIn: "転入: a resident moved in",
    residents.ResidentBorn: "出生: a birth was registered",
    residents.ResidentMovedOut: "転出: a resident moved out",
    residents.ResidentDied: "死亡: a death was registered",
    residents.ResidentRelocated: "転居: a resident moved within the town",
    residents.ResidentHouseholdSplit: "世帯分離",
    residents.ResidentHouseholdMerged: "世帯合併",
    residents.ResidentHouseholdChanged: "世帯変更",
    residents.ResidentHeadChanged: "世帯主変更",
    residents.ResidentRemoved: "職権消除",
}

TYPES: dict[str, EventType] = {
    t.name: t for t in (
        *(EventType(e, "residents", "residents:read", _resident, s, "residents/{resident_id}")
          for e, s in _RESIDENT_SUMMARIES.items()),
        EventType(residents.TransferNoticeIssued, "residents", "residents:read", _transfer,
                  "転出証明書情報: a resident of another town moves here (incoming transfer)",
                  "residents/transfers/incoming/{transfer_id}"),
        EventType(tax.TaxAssessed, "tax", "tax:read", _assessment, "当初賦課",
                  "tax/assessments/{assessment_id}"),
        EventType(tax.TaxAssessmentCorrected, "tax", "tax:read", _assessment, "更正",
                  "tax/assessments/{assessment_id}"),
        EventType(disaster.DisasterDeclared, "disaster", "disaster:read", _disaster,
                  "a disaster was declared", "disaster/disasters/{disaster_id}"),
        EventType(disaster.HouseDamageAssessed, "disaster", "disaster:read", _house,
                  "住家被害認定", "disaster/houses/{house_id}"),
        EventType(disaster.HouseDamageReassessed, "disaster", "disaster:read", _house,
                  "再調査", "disaster/houses/{house_id}"),
    )
}
# Not offered: My Number changes (mynumber:read is never a client's) and protection changes
# (支援措置 is never a partner's to know).
PING = "jp.kyodo.webhooks.ping.v1"


def resource_url(public_url: str, code: str, path: str) -> str:
    """The notification's subject: the resource at the platform's public address."""
    return f"{public_url.rstrip('/')}/v1/municipalities/{code}/{path}"


def source_url(public_url: str, code: str, service: str) -> str:
    return f"{public_url.rstrip('/')}/v1/municipalities/{code}/{service}"
