"""`kyodo webhooks listen`: verifies signatures, prints deliveries, marks duplicates."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx
from typer.testing import CliRunner

from kyodo_launcher.cli import app
from kyodo_launcher.webhooks_listen import Listener
from kyodo_webhooks.domain.notification import headers, new_secret, notification

BODY = notification(event_id="e-1", event_type="jp.kyodo.resident.moved_out.v1",
                    source="https://kyodo.example/v1/municipalities/152048/residents",
                    subject="https://kyodo.example/v1/municipalities/152048/residents/r-1",
                    time=datetime(2026, 12, 7, tzinfo=UTC), municipality="152048")


def _post(listener: Listener, sent: dict[str, str], body: bytes = BODY) -> int:
    async def run() -> int:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=listener),
                                     base_url="http://listener") as client:
            return (await client.post("/", content=body, headers=sent)).status_code

    return asyncio.run(run())


def test_a_signed_delivery_is_printed_once_and_a_duplicate_is_marked() -> None:
    secret, lines = new_secret(), []
    listener = Listener([secret], show=lines.append)
    sent = headers([secret], "msg-1", datetime.now(UTC), BODY)
    assert _post(listener, sent) == 204
    assert _post(listener, sent) == 204
    assert lines[0].endswith("webhook-id=msg-1")
    assert "jp.kyodo.resident.moved_out.v1" in lines[0] and "residents/r-1" in lines[0]
    assert lines[1] == "DUPLICATE msg-1"
    assert (listener.verified, listener.duplicates) == (1, 1)


def test_a_bad_signature_or_body_is_refused_and_either_overlapping_secret_verifies() -> None:
    old, new, lines = new_secret(), new_secret(), []
    listener = Listener([new, old], show=lines.append)
    assert _post(listener, headers([old], "msg-2", datetime.now(UTC), BODY)) == 204
    forged = headers([new_secret()], "msg-3", datetime.now(UTC), BODY)
    assert _post(listener, forged) == 401
    tampered = headers([new], "msg-4", datetime.now(UTC), BODY)
    assert _post(listener, tampered, BODY.replace(b"r-1", b"r-2")) == 401
    assert listener.refused == 2 and lines[-1].startswith("REFUSED  msg-4")


def test_the_command_is_there() -> None:
    result = CliRunner().invoke(app, ["webhooks", "listen", "--help"])
    assert result.exit_code == 0 and "--secret" in result.output
