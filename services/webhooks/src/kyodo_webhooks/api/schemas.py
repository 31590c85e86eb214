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
    description: str | None = Field(default=None, max_length=200,
                                    description="what the subscription is for")


class Rotation(ApiModel):
    overlap_seconds: int = Field(
        default=86_400, description="how long the previous secret still signs (0 to 7 days)")


class Owner(BaseModel):
    subject: str = Field(description="the client or staff member who owns the subscription")
    home_municipality: str = Field(description="the owner's home municipality")
    kind: str = Field(description="client or staff")
    grant_id: str | None = Field(description="the support grant it was made under, if any")


class Health(BaseModel):
    consecutive_failures: int = Field(description="failed deliveries in a row")
    failing_since: str | None = Field(description="since when deliveries fail")
    next_probe_at: str | None = Field(description="when the next attempt is due while failing")
    last_success_at: str | None = Field(description="the last successful delivery")
    last_error: str | None = Field(description="the last error")


class SubscriptionPublic(BaseModel):
    id: str = Field(description="the subscription's id")
    municipality_code: str = Field(
        description="the municipality's 6-digit local government code (全国地方公共団体コード)")
    owner: Owner = Field(description="who made it")
    event_types: list[str] = Field(description="the event types delivered")
    filters: dict[str, Any] = Field(description="conditions on the events delivered")
    callback_url: str = Field(description="the HTTPS URL events are POSTed to")
    description: str | None = Field(description="what the subscription is for")
    state: str = Field(description="pending_approval | active | paused | ended")
    version: int = Field(
        description="the record's version, incremented on every change; its ETag is "
                    "W/\"<version>\"")
    created_at: str | None = Field(description="when it was made")
    approved_by: str | None = Field(description="the municipality's admin who consented")
    approved_at: str | None = Field(description="when it was approved")
    ended_by: str | None = Field(description="who ended it")
    ended_at: str | None = Field(description="when it was ended")
    health: Health = Field(description="how deliveries are going")
    previous_secret_valid_until: str | None = Field(
        description="until when the previous signing secret is still used")


class SubscriptionWithSecret(SubscriptionPublic):
    secret: str = Field(description="whsec_…: shown once, on creation and rotation")


class Attempt(BaseModel):
    attempt: int = Field(description="the attempt's number (1 = first)")
    at: str | None = Field(description="when it was made")
    duration_ms: int = Field(description="how long the callback took, ms")
    status: int | None = Field(description="the callback's HTTP status; null when no answer")
    outcome: str = Field(description="delivered, failed or dead")
    reason: str | None = Field(description="why it failed")


class DeliveryPublic(BaseModel):
    id: str = Field(description="the delivery's id")
    webhook_id: str = Field(description="the webhook-id header sent (the same on every attempt)")
    event_id: str = Field(description="the CloudEvent's id")
    event_type: str = Field(description="the CloudEvent's type")
    subject: str = Field(description="the event's subject (an id, never personal data)")
    state: str = Field(description="pending | delivered | dead")
    attempts: int = Field(description="attempts made")
    created_at: str | None = Field(description="when the delivery was queued")
    next_attempt_at: str | None = Field(description="when the next attempt is due")
    delivered_at: str | None = Field(description="when the callback accepted it")
    dead_at: str | None = Field(description="when retries were given up (dead letter)")
    last_status: int | None = Field(description="the last attempt's HTTP status")
    last_error: str | None = Field(description="the last attempt's error")
    log: list[Attempt] = Field(description="every attempt")


class Queued(BaseModel):
    delivery_id: str = Field(description="the queued delivery's id")
    state: str = Field(description="pending: the dispatcher will send it")
    webhook_id: str | None = Field(default=None, description="the webhook-id header it will carry")


class EventTypePublic(BaseModel):
    type: str = Field(description="the CloudEvents type, e.g. jp.kyodo.resident.moved_in.v1")
    service: str = Field(description="the producing service")
    scope: str = Field(description="the scope a client needs to subscribe")
    summary: str = Field(description="what the event means")
