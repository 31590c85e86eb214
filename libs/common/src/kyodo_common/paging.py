"""One list envelope for every service: ``{"items": [...], "next": <cursor or null>}``.

A route declares its sort key once as a :class:`Keyset` (a name and the types of the key's
parts), fetches ``limit + 1`` rows ordered by that key after the decoded position, and hands
them to :meth:`Keyset.page`. Keyset paging (``WHERE key > :position ORDER BY key LIMIT n``)
stays stable while rows are inserted and never scans past skipped rows as OFFSET does.

The cursor is base64url JSON of ``[name, *key]``. It is opaque to callers but not secret (the
caller may read every row it points past); what matters is that a malformed cursor, or one
another list issued, is refused as a 422 naming ``cursor`` instead of silently restarting.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Generic, TypeVar
from uuid import UUID

from fastapi import Query
from pydantic import BaseModel, Field

from .errors import InvalidInput

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_CURSOR_LENGTH = 1024

Limit = Annotated[int, Query(
    ge=1, le=MAX_LIMIT, description=f"items per page (1–{MAX_LIMIT}, default {DEFAULT_LIMIT})")]
Cursor = Annotated[str | None, Query(
    max_length=MAX_CURSOR_LENGTH,
    description="the `next` of the previous page; omit for the first page")]


class Page(BaseModel, Generic[T]):
    """A page of a list; ``next`` fetches the following page and is null on the last."""

    items: list[T] = Field(description="this page's items, in the list's order")
    next: str | None = Field(description="pass as `cursor` for the next page; null on the last")


_FOREIGN = "not a cursor this list returned"

# How each kind of key part travels in JSON and comes back.
_DUMP: dict[type, Callable[[Any], Any]] = {
    int: int, str: str, UUID: str, datetime: datetime.isoformat, date: date.isoformat,
    Decimal: str}
_LOAD: dict[type, Callable[[Any], Any]] = {
    int: lambda v: v if isinstance(v, int) and not isinstance(v, bool) else _bad(),
    str: lambda v: v if isinstance(v, str) else _bad(),
    UUID: lambda v: UUID(v) if isinstance(v, str) else _bad(),
    datetime: lambda v: datetime.fromisoformat(v) if isinstance(v, str) else _bad(),
    date: lambda v: date.fromisoformat(v) if isinstance(v, str) else _bad(),
    Decimal: lambda v: Decimal(v) if isinstance(v, str) else _bad()}


def _bad() -> Any:
    raise ValueError(_FOREIGN)


@dataclass(frozen=True)
class Keyset:
    """The sort key of one list: ``name`` tells its cursors apart from other lists'."""

    name: str
    parts: tuple[type, ...]

    def __post_init__(self) -> None:
        unknown = [t for t in self.parts if t not in _LOAD]
        if unknown or not self.parts:
            raise TypeError(f"keyset {self.name}: unsupported key parts {unknown}")

    def encode(self, *key: Any) -> str:
        if len(key) != len(self.parts):
            raise ValueError(f"keyset {self.name} has {len(self.parts)} parts, got {len(key)}")
        raw = [self.name, *(_DUMP[t](v) for t, v in zip(self.parts, key, strict=True))]
        text = json.dumps(raw, separators=(",", ":"), ensure_ascii=False)
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    def decode(self, cursor: str | None) -> tuple[Any, ...] | None:
        """The position after which the page starts; None for the first page."""
        if cursor is None:
            return None
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            raw = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")).decode())
            if (not isinstance(raw, list) or len(raw) != len(self.parts) + 1
                    or raw[0] != self.name):
                _bad()
            return tuple(_LOAD[t](v) for t, v in zip(self.parts, raw[1:], strict=True))
        except (ValueError, UnicodeError, binascii.Error, InvalidOperation, TypeError) as exc:
            raise InvalidInput("cursor", _FOREIGN) from exc

    def page(self, rows: Sequence[R], limit: int,
             key: Callable[[R], tuple[Any, ...]]) -> tuple[list[R], str | None]:
        """Rows fetched with ``LIMIT limit + 1``: this page's rows and the next page's cursor."""
        shown = list(rows[:limit])
        more = len(rows) > limit and bool(shown)
        return shown, (self.encode(*key(shown[-1])) if more else None)
