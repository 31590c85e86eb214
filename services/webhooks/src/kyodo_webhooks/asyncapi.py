"""The AsyncAPI 3.0 document of what partners receive: one POST per notification to the
subscription's callback URL, a CloudEvent (structured JSON) without personal data, signed per
Standard Webhooks. ``python -m kyodo_webhooks.asyncapi`` prints it; the committed copy is
contracts/webhooks/asyncapi.yaml (tests/contract/test_webhooks_asyncapi.py keeps them equal)."""

from __future__ import annotations

import sys
from typing import Any

import yaml

from kyodo_webhooks.domain.catalogue import PING, TYPES
from kyodo_webhooks.domain.notification import CONTENT_TYPE

_HEADERS = {
    "type": "object",
    "properties": {
        "content-type": {"type": "string", "const": CONTENT_TYPE},
        "webhook-id": {"type": "string", "description": (
            "The message's id (a UUID): the same on every retry and redelivery of it; "
            "deduplicate by it (delivery is at least once).")},
        "webhook-timestamp": {"type": "string", "pattern": "^[0-9]+$", "description": (
            "Unix seconds of this attempt; refuse one more than 5 minutes away from now.")},
        "webhook-signature": {"type": "string", "description": (
            "Space-separated `v1,<base64 HMAC-SHA256>` of `{webhook-id}.{webhook-timestamp}."
            "{body}` with the subscription's secret (base64 after `whsec_`); during a "
            "rotation's overlap one per secret in force: accept if any matches.")},
    },
    "required": ["content-type", "webhook-id", "webhook-timestamp", "webhook-signature"],
}


def _payload(event_type: str, subject: str) -> dict[str, Any]:
    return {
        "type": "object", "additionalProperties": False,
        "properties": {
            "specversion": {"type": "string", "const": "1.0"},
            "id": {"type": "string", "description": "the event's id on the platform"},
            "type": {"type": "string", "const": event_type},
            "source": {"type": "string", "format": "uri",
                       "description": "the service: {base}/v1/municipalities/{code}/{service}"},
            "subject": {"type": "string", "format": "uri", "description": (
                f"the resource's URL, {subject}: GET it with your own token, scope and "
                "X-Kyodo-Purpose (the read is in the town's access log)")},
            "time": {"type": "string", "format": "date-time"},
            "municipality": {"type": "string", "pattern": "^[0-9]{6}$",
                             "description": "全国地方公共団体コード of the town"},
        },
        "required": ["specversion", "id", "type", "source", "subject", "time", "municipality"],
    }


def _name(event_type: str) -> str:
    return "".join(p.capitalize() for p in event_type.removeprefix("jp.kyodo.")
                   .removesuffix(".v1").replace(".", "_").split("_"))


def document() -> dict[str, Any]:
    messages: dict[str, Any] = {}
    kinds: list[tuple[str, str, str, str | None]] = [
        (t.name, t.summary, f"{{base}}/v1/municipalities/{{code}}/{t.path_template}", t.scope)
        for t in TYPES.values()]
    kinds.append((PING, "a test notification (POST …/subscriptions/{id}/ping)",
                  "{base}/v1/municipalities/{code}/webhooks/subscriptions/{id}", None))
    for event_type, summary, subject, scope in kinds:
        description = summary + (f". Subscribing needs {scope}." if scope else ".")
        messages[_name(event_type)] = {
            "name": event_type, "title": event_type, "summary": summary,
            "description": description, "contentType": CONTENT_TYPE,
            "headers": {"$ref": "#/components/schemas/WebhookHeaders"},
            "payload": _payload(event_type, subject),
            "bindings": {"http": {"bindingVersion": "0.3.0"}},
        }
    refs = {name: {"$ref": f"#/components/messages/{name}"} for name in messages}
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Kyodo partner notifications (webhooks)", "version": "1",
            "description": (
                "What a partner's system receives for its subscription "
                "(POST /v1/municipalities/{code}/webhooks/subscriptions): one HTTP POST per "
                "notification to its callback URL. No personal data: fetch the subject with "
                "your own token. At least once, in order per subject; answer 2xx within 15 s; "
                "anything else (or a redirect, or no answer) is retried with exponential "
                "backoff and jitter for at least 24 hours, then dead-lettered (see the "
                "delivery log, redeliver from there). A person under 支援措置 is never "
                "announced. `kyodo webhooks listen` verifies and prints deliveries locally."),
        },
        "defaultContentType": CONTENT_TYPE,
        "channels": {
            "callback": {
                "address": "{callback_url}",
                "title": "The subscription's callback URL",
                "parameters": {"callback_url": {
                    "description": "the https URL given when subscribing (public addresses "
                                   "only; redirects are not followed)"}},
                "messages": refs,
                "bindings": {"http": {"bindingVersion": "0.3.0"}},
            },
        },
        "operations": {
            "notify": {
                "action": "send", "channel": {"$ref": "#/channels/callback"},
                "summary": "The platform POSTs each notification to the callback URL.",
                "bindings": {"http": {"method": "POST", "bindingVersion": "0.3.0"}},
                "messages": [{"$ref": f"#/channels/callback/messages/{n}"} for n in messages],
            },
        },
        "components": {"schemas": {"WebhookHeaders": _HEADERS}, "messages": messages},
    }


def dump() -> str:
    return str(yaml.safe_dump(document(), sort_keys=False, allow_unicode=True, width=100))


if __name__ == "__main__":
    sys.stdout.write(dump())
