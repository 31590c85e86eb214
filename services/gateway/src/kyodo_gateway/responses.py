"""Responses the gateway writes itself over raw ASGI: JSON and RFC 9457 problems."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from kyodo_common.errors import PROBLEM_JSON, Problem
from kyodo_gateway.asgi import Send

_JSON = b"application/json"


async def send_json(send: Send, status: int, body: Mapping[str, Any], *,
                    content_type: bytes = _JSON,
                    headers: Mapping[str, str] | None = None) -> None:
    payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    raw = [(b"content-type", content_type), (b"content-length", str(len(payload)).encode())]
    raw += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": payload})


async def send_problem(send: Send, problem: Problem, instance: str | None) -> None:
    await send_json(send, problem.status, problem.body(instance),
                    content_type=PROBLEM_JSON.encode(), headers=problem.headers)
