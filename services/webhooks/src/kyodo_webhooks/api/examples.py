"""Examples of the webhooks API, by operation id, for the published OpenAPI document
(kyodo_common.openapi; tests/contract checks each against its schema).

三条市 (152048)'s tax-system partner subscribes to 転入 and 転出 events, to fetch each
resident with its own token (events carry ids, never personal data).
"""

from __future__ import annotations

from typing import Any

from kyodo_common.openapi import Example

CODE = "152048"  # 三条市
CLIENT = "152048-5f2c8e1a9b7d3c6e4a0f1b2d"
ADMIN = "9d4c2b71-05e8-4f3a-bb6e-2a7c1d9e8f40"
SUBSCRIPTION = "7f3c1a9e-2b4d-4f8a-9c1e-3a5b7d9f0e2c"
DELIVERY = "2d4f6a8c-1e3b-4d7f-8a0c-9e1b3d5f7a46"
WEBHOOK_ID = DELIVERY  # the webhook-id header is the delivery id
EVENT_TYPES = ["jp.kyodo.resident.moved_in.v1", "jp.kyodo.resident.moved_out.v1"]
HEALTHY = {"consecutive_failures": 0, "failing_since": None, "next_probe_at": None,
           "last_success_at": "2026-12-01T01:20:03Z", "last_error": None}
PUBLIC: dict[str, Any] = {
    "id": SUBSCRIPTION, "municipality_code": CODE,
    "owner": {"subject": CLIENT, "home_municipality": CODE, "kind": "client", "grant_id": None},
    "event_types": EVENT_TYPES, "filters": {}, "callback_url": "https://zeimu.example.jp/kyodo/events",
    "description": "税務システム: 転入・転出の反映", "state": "active", "version": 2,
    "created_at": "2026-11-02T00:15:00Z", "approved_by": ADMIN,
    "approved_at": "2026-11-02T04:40:12Z", "ended_by": None, "ended_at": None,
    "health": HEALTHY, "previous_secret_valid_until": None}
QUEUED = {"delivery_id": DELIVERY, "state": "pending", "webhook_id": WEBHOOK_ID}

EXAMPLES: dict[str, Example] = {
    "event_types": Example(
        "the event types a partner may subscribe to",
        response={"items": [{"type": "jp.kyodo.resident.moved_in.v1", "service": "residents",
                             "scope": "residents:read",
                             "summary": "転入: a resident moved in"}], "next": None}),
    "subscribe": Example(
        "the tax-system partner subscribes; the town's admin approves it next",
        request={"callback_url": "https://zeimu.example.jp/kyodo/events",
                 "event_types": EVENT_TYPES, "description": "税務システム: 転入・転出の反映"},
        response={**PUBLIC, "state": "pending_approval", "version": 1, "approved_by": None,
                  "approved_at": None, "health": {**HEALTHY, "last_success_at": None},
                  "secret": "whsec_MfKQ9r8GKYqXjU5i0Bv2t3ZHkWwP1r3sd6Zx4sY8bLc="}),
    "list_subscriptions": Example("三条市's subscriptions",
                                  response={"items": [PUBLIC], "next": None}),
    "get_subscription": Example("one subscription", response=PUBLIC),
    "end_subscription": Example("the partner stops", response={
        **PUBLIC, "state": "ended", "version": 3, "ended_by": CLIENT,
        "ended_at": "2026-12-01T03:00:00Z"}),
    "approve_subscription": Example("the town's admin consents", response=PUBLIC),
    "pause_subscription": Example("deliveries held during the partner's maintenance",
                                  response={**PUBLIC, "state": "paused", "version": 3}),
    "resume_subscription": Example("deliveries resume, in order",
                                   response={**PUBLIC, "version": 4}),
    "rotate_secret": Example(
        "a new signing secret; the old one signs too for a day",
        request={"overlap_seconds": 86400},
        response={**PUBLIC, "version": 3, "previous_secret_valid_until": "2026-12-02T01:00:00Z",
                  "secret": "whsec_3q2+7w9Lx0vNcT8bYgR1hF5kZsJ4mDaP6uE2iO9yWQk="}),
    "ping": Example("a test delivery to the callback", response=QUEUED),
    "deliveries": Example(
        "the delivery log: delivered at the second attempt",
        response={"items": [{
            "id": DELIVERY, "webhook_id": WEBHOOK_ID,
            "event_id": "0f8e2b6a-4c1d-4e3f-9a5b-7d2c1e0f3a8b",
            "event_type": "jp.kyodo.resident.moved_in.v1",
            "subject": "21f70ff6-9d03-4ce5-8036-80a36ca7aa59", "state": "delivered",
            "attempts": 2, "created_at": "2026-11-16T00:42:10Z", "next_attempt_at": None,
            "delivered_at": "2026-11-16T00:42:41Z", "dead_at": None, "last_status": 204,
            "last_error": None,
            "log": [{"attempt": 1, "at": "2026-11-16T00:42:11Z", "duration_ms": 10000,
                     "status": None, "outcome": "failed", "reason": "timeout"},
                    {"attempt": 2, "at": "2026-11-16T00:42:41Z", "duration_ms": 182,
                     "status": 204, "outcome": "delivered", "reason": None}]}],
            "next": None}),
    "redeliver": Example("a dead delivery sent again", response=QUEUED),
}
