"""`kyodo webhooks listen`: a local receiver for a partner's developer. It verifies each
notification's Standard Webhooks signature with the subscription's secret, prints it, and
answers 204 (401 to a bad signature, so the platform's delivery log shows it). A webhook-id it
has already seen is printed as a duplicate: at-least-once delivery means a receiver dedupes."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
MAX_BODY = 1_000_000


@dataclass
class Listener:
    """The ASGI app: ``secrets`` verify (any one of them: a rotation's overlap), ``show``
    prints one line per request."""

    secrets: Sequence[str]
    show: Callable[[str], None] = print
    seen: set[str] = field(default_factory=set)
    verified: int = 0
    refused: int = 0
    duplicates: int = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "lifespan":
                while (await receive())["type"] != "lifespan.shutdown":
                    await send({"type": "lifespan.startup.complete"})
                await send({"type": "lifespan.shutdown.complete"})
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if len(body) > MAX_BODY:
                await _answer(send, 413)
                return
            if not message.get("more_body"):
                break
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        await _answer(send, self.handle(scope["method"], headers, body))

    def handle(self, method: str, headers: dict[str, str], body: bytes) -> int:
        if method != "POST":
            return 405
        try:
            event = self.verify(headers, body)
        except WebhookVerificationError as exc:
            self.refused += 1
            self.show(f"REFUSED  {headers.get('webhook-id', '-')}  {exc}")
            return 401
        message_id = headers["webhook-id"]
        if message_id in self.seen:
            self.duplicates += 1
            self.show(f"DUPLICATE {message_id}")
            return 204
        self.seen.add(message_id)
        self.verified += 1
        self.show("  ".join(str(event.get(k, "-")) for k in ("time", "type", "subject"))
                  + f"  webhook-id={message_id}")
        return 204

    def verify(self, headers: dict[str, str], body: bytes) -> dict[str, Any]:
        error: WebhookVerificationError | None = None
        for secret in self.secrets:
            try:
                Webhook(secret).verify(body, headers, json_parse=False)
            except WebhookVerificationError as exc:
                error = exc
                continue
            parsed = json.loads(body)
            return parsed if isinstance(parsed, dict) else {}
        raise error or WebhookVerificationError("no secret to verify with")


async def _answer(send: Send, status: int) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})


def listen(secrets: Sequence[str], host: str, port: int) -> None:
    import uvicorn

    uvicorn.run(Listener(secrets), host=host, port=port, log_level="warning",
                lifespan="off")
