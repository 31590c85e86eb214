"""Disaster support's commands: what disaster-support staff ask for.

Each is frozen, built by a route, and run by one handler (service_layer.handlers) through
kyodo_common's write pipeline. ``actor`` is who asks (their records name them);
``expected_version`` the version they read (If-Match), None when they sent none.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from kyodo_common.write_pipeline import Command
from kyodo_disaster.domain.actor import Actor
from kyodo_disaster.domain.kinds import DisasterKind
from kyodo_disaster.domain.survey import SurveyInput


@dataclass(frozen=True)
class DeclareDisaster(Command):
    """災害の宣言."""

    actor: Actor
    name: str
    kind: DisasterKind
    occurred_on: date
    affected_area: Sequence[str]
    opens_on: date
    closes_on: date


@dataclass(frozen=True)
class AmendDisaster(Command):
    """Widen the affected area or extend the application window."""

    actor: Actor
    disaster_id: uuid.UUID
    expected_version: int | None
    affected_area: Sequence[str] | None
    closes_on: date | None


@dataclass(frozen=True)
class RegisterHouse(Command):
    """A house enters the ledger with the residents registered at its address."""

    actor: Actor
    disaster_id: uuid.UUID
    postal_code: str
    address: str


@dataclass(frozen=True)
class SetOccupants(Command):
    """Correct who lived in the house."""

    actor: Actor
    house_id: uuid.UUID
    expected_version: int | None
    resident_ids: Sequence[uuid.UUID]


@dataclass(frozen=True)
class RecordSurvey(Command):
    """A survey of the house (a re-survey keeps the earlier ones)."""

    actor: Actor
    house_id: uuid.UUID
    expected_version: int | None
    survey: SurveyInput


@dataclass(frozen=True)
class ImportSurveys(Command):
    """現地調査票: a field-survey file's rows; with ``dry_run`` only checked."""

    actor: Actor
    disaster_id: uuid.UUID
    text: str
    dry_run: bool


@dataclass(frozen=True)
class ApplyForCertificate(Command):
    """交付申請 of a 罹災証明書 for a house."""

    actor: Actor
    house_id: uuid.UUID
    applicant_resident_id: uuid.UUID
    copies: int


@dataclass(frozen=True)
class StartCertificateJob(Command):
    """Queue the marking of a list of applications ready for issuance."""

    actor: Actor
    application_ids: Sequence[uuid.UUID]
