"""Keyset pagination cursors: the last row's sort key, opaque to the caller."""

from __future__ import annotations

import base64
import json
from typing import Any

from kyodo_common.errors import InvalidInput


def encode(*values: Any) -> str:
    raw = json.dumps(list(values), separators=(",", ":"), ensure_ascii=False, default=str)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str, *, arity: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("after", "not a cursor this service returned") from exc
    if not isinstance(values, list) or len(values) != arity:
        raise InvalidInput("after", "not a cursor this service returned")
    return values


def decode_int(cursor: str) -> int:
    (value,) = decode(cursor, arity=1)
    if not isinstance(value, int):
        raise InvalidInput("after", "not a cursor this service returned")
    return value


def decode_str(cursor: str) -> str:
    (value,) = decode(cursor, arity=1)
    if not isinstance(value, str):
        raise InvalidInput("after", "not a cursor this service returned")
    return value
