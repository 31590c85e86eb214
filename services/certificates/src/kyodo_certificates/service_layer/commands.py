"""The certificates service's commands: each built by a route (or the issuance) and run by
one handler (service_layer/handlers.py) through kyodo_common.write_pipeline."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from kyodo_common.assertion import Acting
from kyodo_common.write_pipeline import Command

if TYPE_CHECKING:
    from kyodo_certificates.service_layer.drafts import Compose, Draft
    from kyodo_certificates.service_layer.issuing import Copy


@dataclass(frozen=True)
class Counter:
    """Where the copies are printed: the terminal and printer of the issue number."""

    terminal: str
    printer: str


@dataclass(frozen=True)
class IssueCertificate(Command):
    """交付 of ``copies`` copies of one certificate: ``compose`` decides what it prints."""

    kind: str  # the route's: residence, tax, damage, damage_report
    compose: Compose
    copies: int
    counter: Counter
    purpose: str
    payload: Any  # the request's body as JSON: with the route, what the key's fingerprint is


@dataclass(frozen=True)
class StoreIssuance(Command):
    """The drawn copies of an issuance, to be signed, sealed and stored with its events."""

    issuance_id: uuid.UUID
    today: date
    draft: Draft
    made: list[Copy]
    counter: Counter
    purpose: str
    acting: Acting
    # Milliseconds the handler spent signing and sealing, for Server-Timing (filled by it).
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class VoidCertificate(Command):
    """無効にする: from then on, verification of the copy answers "voided"."""

    certificate_id: uuid.UUID
    reason: str
    acting: Acting  # the issuer, or a manager, may void it
