"""Request and response bodies of the subscriptions API."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from kyodo_common.web import ApiModel


class NewSubscription(ApiModel):
    callback_url: str = Field(min_length=1, max_length=2048,
                              description="https URL the notifications are POSTed to")
    event_types: list[str] = Field(min_length=1, max_length=50,
                                   description="e.g. jp.kyodo.resident.moved_out.v1")
    filters: dict[str, str | int] | None = Field(
        default=None, description="narrow to non-personal attributes: disaster_id, fiscal_year")
    description: str | None = Field(default=None, max_length=200)


class Rotation(ApiModel):
    overlap_seconds: int = Field(
        default=86_400, description="how long the previous secret still signs (0 to 7 days)")


class Owner(BaseModel):
    subject: str
    home_municipality: str
    kind: str
    grant_id: str | None


class Health(BaseModel):
    consecutive_failures: int
    failing_since: str | None
    next_probe_at: str | None
    last_success_at: str | None
    last_error: str | None


class SubscriptionPublic(BaseModel):
    id: str
    municipality_code: str
    owner: Owner
    event_types: list[str]
    filters: dict[str, Any]
    callback_url: str
    description: str | None
    state: str = Field(description="pending_approval | active | paused | ended")
    version: int
    created_at: str | None
    approved_by: str | None
    approved_at: str | None
    ended_by: str | None
    ended_at: str | None
    health: Health
    previous_secret_valid_until: str | None


class SubscriptionWithSecret(SubscriptionPublic):
    secret: str = Field(description="whsec_…: shown once, on creation and rotation")


class Attempt(BaseModel):
    attempt: int
    at: str | None
    duration_ms: int
    status: int | None
    outcome: str
    reason: str | None


class DeliveryPublic(BaseModel):
    id: str
    webhook_id: str
    event_id: str
    event_type: str
    subject: str
    state: str = Field(description="pending | delivered | dead")
    attempts: int
    created_at: str | None
    next_attempt_at: str | None
    delivered_at: str | None
    dead_at: str | None
    last_status: int | None
    last_error: str | None
    log: list[Attempt]


class Queued(BaseModel):
    delivery_id: str
    state: str
    webhook_id: str | None = None


class EventTypePublic(BaseModel):
    type: str
    service: str
    scope: str
    summary: str
