"""What a partner receives: a CloudEvents 1.0 notification (structured JSON) that names what
changed and carries no personal data, signed per Standard Webhooks."""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache

from standardwebhooks import Webhook

CONTENT_TYPE = "application/cloudevents+json"
SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret


def notification(*, event_id: str, event_type: str, source: str, subject: str, time: datetime,
                 municipality: str) -> bytes:
    """The body, exactly as sent and signed: the CloudEvents context attributes and the
    municipality extension, no data (the partner fetches the subject with its own token)."""
    return json.dumps({
        "specversion": "1.0", "id": event_id, "type": event_type, "source": source,
        "subject": subject, "time": time.isoformat(), "municipality": municipality,
    }, separators=(",", ":"), ensure_ascii=False).encode()


def new_secret() -> str:
    """A signing secret as Standard Webhooks writes them: whsec_ and base64 of 32 bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def signature_header(secrets_in_force: Sequence[str], message_id: str, timestamp: datetime,
                     body: bytes) -> str:
    """One signature per secret in force, space-separated: during a rotation's overlap the
    receiver verifies with either the old or the new secret."""
    return " ".join(_signer(s).sign(message_id, timestamp, body) for s in secrets_in_force)


@lru_cache(maxsize=1024)
def _signer(secret: str) -> Webhook:
    """A secret's signer, made once (decoding the secret cost as much as signing)."""
    return Webhook(secret)


def headers(secrets_in_force: Sequence[str], message_id: str, timestamp: datetime,
            body: bytes) -> dict[str, str]:
    return {
        "content-type": CONTENT_TYPE,
        "webhook-id": message_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": signature_header(secrets_in_force, message_id, timestamp, body),
    }
