"""Typed domain events: small, immutable, past tense, versioned."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict


class DomainEvent(BaseModel):
    """Base of every event a service publishes; subclasses live in the service's `events` module.

    ``event_type`` is the CloudEvents type (``jp.kyodo.resident.registered.v1``), ``topic`` the
    Kafka topic of the producing service and aggregate, and ``subject`` the aggregate id that
    keys the message, so one aggregate's events stay in order.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_type: ClassVar[str]
    topic: ClassVar[str]

    @property
    def subject(self) -> str:
        raise NotImplementedError
