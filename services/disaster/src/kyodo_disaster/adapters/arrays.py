"""``column = ANY($1)``: one array parameter however many values (IN would bind each one,
and asyncpg allows 32,767 parameters per statement; an import names thousands)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, UUID

_TYPES: dict[str, Any] = {"uuid": UUID(as_uuid=True), "text": sa.Text()}


def any_of(column: sa.ColumnElement[Any], values: Collection[Any],
           kind: str = "uuid") -> sa.ColumnElement[bool]:
    parameter = sa.bindparam(None, list(values), type_=ARRAY(_TYPES[kind]))
    return column == sa.any_(parameter)
