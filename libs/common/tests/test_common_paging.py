"""The shared list envelope: cursors round-trip, foreign or malformed ones are 422 on `cursor`,
`limit` is bounded, and a route built on it pages a list in two pages without overlap."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID, uuid4

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from kyodo_common.errors import InvalidInput
from kyodo_common.paging import DEFAULT_LIMIT, MAX_LIMIT, Cursor, Keyset, Limit, Page
from kyodo_common.web import create_service_app, no_lifespan

BY_TIME = Keyset("test.by-time", (datetime, UUID))


def test_a_cursor_round_trips_every_kind_of_key_part() -> None:
    keyset = Keyset("test.all", (int, str, UUID, datetime, date, Decimal))
    key = (7, "ログイン", uuid4(), datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), date(2026, 4, 1),
           Decimal("1.50"))
    cursor = keyset.encode(*key)
    assert "=" not in cursor and "/" not in cursor and "+" not in cursor
    assert keyset.decode(cursor) == key
    assert keyset.decode(None) is None


@pytest.mark.parametrize("cursor", [
    "", "%%%", "bm90IGpzb24", base64.urlsafe_b64encode(b'{"a":1}').decode(),
    Keyset("test.other", (datetime, UUID)).encode(datetime.now(UTC), uuid4()),
    Keyset("test.by-time", (int,)).encode(3),
    base64.urlsafe_b64encode(b'["test.by-time","yesterday","x"]').decode(),
    base64.urlsafe_b64encode(b'["test.by-time",1,2]').decode(),
])
def test_a_malformed_or_foreign_cursor_is_refused_naming_cursor(cursor: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        BY_TIME.decode(cursor)
    assert refused.value.invalid_params == [{"name": "cursor",
                                             "reason": "not a cursor this list returned"}]


def test_page_keeps_limit_rows_and_points_after_the_last() -> None:
    rows = list(range(6))
    keyset = Keyset("test.int", (int,))
    shown, next_cursor = keyset.page(rows, 5, key=lambda r: (r,))
    assert shown == [0, 1, 2, 3, 4] and keyset.decode(next_cursor) == (4,)
    assert keyset.page(rows[:5], 5, key=lambda r: (r,)) == ([0, 1, 2, 3, 4], None)
    assert keyset.page([], 5, key=lambda r: (r,)) == ([], None)


NUMBERS = list(range(1, 121))
BY_NUMBER = Keyset("test.numbers", (int,))


def _app() -> TestClient:
    router = APIRouter()

    @router.get("/numbers", response_model=Page[int])
    async def numbers(limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> Page[int]:
        after = BY_NUMBER.decode(cursor)
        rows = [n for n in NUMBERS if after is None or n > after[0]][:limit + 1]
        items, next_cursor = BY_NUMBER.page(rows, limit, key=lambda n: (n,))
        return Page(items=items, next=next_cursor)

    app = create_service_app(title="t", routers=[router], lifespan=no_lifespan,
                             max_body_bytes=1000)
    return TestClient(app)


def test_a_route_pages_through_the_whole_list_with_the_cursor() -> None:
    client = _app()
    first = client.get("/numbers", params={"limit": 100}).json()
    assert first["items"] == NUMBERS[:100] and first["next"]
    second = client.get("/numbers", params={"limit": 100, "cursor": first["next"]}).json()
    assert second == {"items": NUMBERS[100:], "next": None}
    assert len(client.get("/numbers").json()["items"]) == DEFAULT_LIMIT


@pytest.mark.parametrize(("params", "name"), [
    ({"limit": 0}, "limit"), ({"limit": MAX_LIMIT + 1}, "limit"), ({"limit": "x"}, "limit"),
    ({"cursor": "not-a-cursor"}, "cursor"),
    ({"cursor": Keyset("test.other", (int,)).encode(3)}, "cursor"),
    ({"cursor": "x" * 2000}, "cursor"),
])
def test_limit_and_cursor_out_of_range_are_problems_naming_them(params: dict[str, object],
                                                               name: str) -> None:
    answer = _app().get("/numbers", params=params)
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert [p["name"] for p in answer.json()["invalid_params"]] == [name]


def test_the_envelope_schema_is_items_and_next() -> None:
    schema = _app().app.openapi()  # type: ignore[attr-defined]
    page = schema["components"]["schemas"]["Page_int_"]
    assert set(page["properties"]) == {"items", "next"}
    assert set(page["required"]) == {"items", "next"}
    params = {p["name"] for p in schema["paths"]["/numbers"]["get"]["parameters"]}
    assert params == {"limit", "cursor"}
