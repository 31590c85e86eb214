"""Staged writes: the one statement a unit of work sends at commit (shape and refusals)."""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest

from kyodo_common.db.staged import StagedWrites, to_json


def test_each_table_and_column_set_becomes_one_cte_in_staging_order() -> None:
    staged = StagedWrites()
    household = uuid.uuid4()
    staged.insert("households", [{"id": household, "address": "三条市"}])
    staged.insert("residents", [{"id": uuid.uuid4(), "household_id": household},
                                {"id": uuid.uuid4(), "household_id": household}])
    staged.update("idempotency_keys", [{"municipality_code": "152048", "key": "k",
                                        "status": 201, "body": {"ok": True}}],
                  key=("municipality_code", "key"))
    sql, parameters = staged.statement()
    assert sql.index("INSERT INTO households") < sql.index("INSERT INTO residents") \
        < sql.index("UPDATE idempotency_keys")
    assert "w0 AS (INSERT INTO households (id, address) SELECT id, address FROM " \
           "jsonb_populate_recordset(NULL::households, $1::jsonb))" in sql
    assert ("SET status = s.status, body = s.body FROM jsonb_populate_recordset("
            "NULL::idempotency_keys, $3::jsonb) AS s WHERE t.municipality_code = "
            "s.municipality_code AND t.key = s.key") in sql
    assert len(parameters) == 3
    assert len(json.loads(parameters[1])) == 2  # both residents in one parameter


def test_rows_with_other_columns_get_their_own_cte() -> None:
    staged = StagedWrites()
    staged.update("residents", [{"id": 1, "address": "a"}, {"id": 2, "address": "b",
                                                            "my_number_hash": b"\x01"}])
    sql, parameters = staged.statement()
    assert sql.count("UPDATE residents") == 2
    assert [len(json.loads(p)) for p in parameters] == [1, 1]


def test_consecutive_stagings_of_the_same_shape_share_a_cte() -> None:
    staged = StagedWrites()
    staged.insert("outbox", [{"event_id": 1}])
    staged.insert("outbox", [{"event_id": 2}])
    sql, parameters = staged.statement()
    assert sql.count("INSERT INTO outbox") == 1
    assert json.loads(parameters[0]) == [{"event_id": 1}, {"event_id": 2}]


def test_values_are_encoded_for_postgresql_input() -> None:
    encoded = json.loads(to_json([{"id": uuid.UUID(int=1), "on": date(2026, 1, 1),
                                   "cipher": b"\x00\xff", "name": "三条"}]))
    assert encoded == [{"id": "00000000-0000-0000-0000-000000000001", "on": "2026-01-01",
                        "cipher": "\\x00ff", "name": "三条"}]
    with pytest.raises(TypeError):
        to_json([{"x": object()}])


@pytest.mark.parametrize("table", ["residents; DROP TABLE x", "Residents", "a.b", ""])
def test_identifiers_that_are_not_plain_are_refused(table: str) -> None:
    with pytest.raises(ValueError, match="identifier"):
        StagedWrites().insert(table, [{"id": 1}])
    with pytest.raises(ValueError, match="identifier"):
        StagedWrites().insert("residents", [{table: 1}])


def test_an_update_needs_its_key_and_something_to_set() -> None:
    with pytest.raises(ValueError, match="needs"):
        StagedWrites().update("residents", [{"address": "a"}])
    with pytest.raises(ValueError, match="needs"):
        StagedWrites().update("residents", [{"id": 1}])
    with pytest.raises(ValueError, match="columns that find"):
        StagedWrites().update("residents", [{"id": 1, "address": "a"}], key=())


def test_nothing_staged_is_false_and_empty_row_lists_stage_nothing() -> None:
    staged = StagedWrites()
    staged.insert("residents", [])
    assert not staged
    staged.insert("residents", [{"id": 1}])
    assert staged
