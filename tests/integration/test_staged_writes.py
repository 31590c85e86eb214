"""Staged writes against real tables: one statement, foreign keys, row-level security, upserts."""

from __future__ import annotations

import uuid
from datetime import date

import asyncpg
import pytest
import sqlalchemy as sa

from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database, UnitOfWork
from kyodo_common.db.engine import raw_connection
from kyodo_common.db.staged import insert_new, upsert
from kyodo_jp.checkdigits import is_valid_resident_number
from kyodo_residents.adapters import repository
from kyodo_residents.service_layer.register import register_resident

from .conftest import NAGAOKA, SANJO
from .factories import new_resident

pytestmark = pytest.mark.integration


def _household(number: str) -> dict[str, object]:
    return {"id": uuid.uuid4(), "municipality_code": SANJO, "household_number": number,
            "postal_code": "9550000", "address": "三条市元町1番", "formed_on": date(2026, 4, 1),
            "version": 1}


def _resident(household_id: object, **extra: object) -> dict[str, object]:
    return {"id": uuid.uuid4(), "municipality_code": SANJO, "resident_number": "9000000001",
            "platform_person_id": uuid.uuid4(), "status": "resident", "family_name": "三条",
            "given_name": "太郎", "family_name_kana": "サンジョウ", "given_name_kana": "タロウ",
            "sex": "male", "nationality": "JP", "household_id": household_id,
            "birth_date": date(1980, 5, 5),
            "postal_code": "9550000", "address": "三条市元町1番", "registered_on": date(2026, 4, 1),
            "version": 1, **extra}


async def _count(db: Database, sql: str, **params: object) -> int:
    async with db.tenant_transaction(SANJO) as session:
        return int((await session.execute(sa.text(sql), params)).scalar_one())


async def test_a_parent_and_its_child_in_one_flush_commit_together(
        residents_db: Database) -> None:
    household = _household(f"H{uuid.uuid4().int % 10**8:08d}")
    resident = _resident(household["id"], my_number_hash=b"\x01\x02")
    async with UnitOfWork(residents_db, source="test", municipality_code=SANJO) as uow:
        uow.staged.insert("households", [household])
        uow.staged.insert("residents", [resident])  # references the household staged above
        await uow.commit()
    assert await _count(residents_db, "SELECT count(*) FROM residents WHERE id = :id "
                        "AND household_id = :h AND my_number_hash = '\\x0102'::bytea",
                        id=resident["id"], h=household["id"]) == 1


async def test_a_flush_refused_by_row_level_security_writes_nothing(
        residents_db: Database) -> None:
    household = _household(f"H{uuid.uuid4().int % 10**8:08d}")
    stranger = {**_household(f"H{uuid.uuid4().int % 10**8:08d}"), "municipality_code": NAGAOKA}
    async with UnitOfWork(residents_db, source="test", municipality_code=SANJO) as uow:
        uow.staged.insert("households", [household])
        uow.staged.insert("households", [stranger])
        with pytest.raises(asyncpg.exceptions.InsufficientPrivilegeError):
            await uow.commit()
    assert await _count(residents_db, "SELECT count(*) FROM households WHERE id = :id",
                        id=household["id"]) == 0


async def test_updates_find_their_rows_by_key_and_touch_no_other(residents_db: Database) -> None:
    first, second = (_household(f"H{uuid.uuid4().int % 10**8:08d}") for _ in range(2))
    async with UnitOfWork(residents_db, source="test", municipality_code=SANJO) as uow:
        uow.staged.insert("households", [first, second])
        await uow.commit()
    async with UnitOfWork(residents_db, source="test", municipality_code=SANJO) as uow:
        uow.staged.update("households", [{"id": first["id"], "address": "三条市新町2番",
                                          "version": 2}])
        await uow.commit()
    assert await _count(residents_db, "SELECT count(*) FROM households WHERE id = :id AND "
                        "address = '三条市新町2番' AND version = 2", id=first["id"]) == 1
    assert await _count(residents_db, "SELECT count(*) FROM households WHERE id = :id AND "
                        "address = '三条市元町1番' AND version = 1", id=second["id"]) == 1


async def test_an_upsert_keeps_the_newer_version_and_insert_new_ignores_repeats(
        residents_db: Database) -> None:
    household = _household(f"H{uuid.uuid4().int % 10**8:08d}")
    newer = {**household, "address": "三条市新町2番", "version": 3}
    older = {**household, "address": "三条市旧町", "version": 2}
    async with residents_db.tenant_transaction(SANJO) as session:
        raw = await raw_connection(session)
        await insert_new(raw, "households", [household])
        await insert_new(raw, "households", [household])  # a repeat: nothing happens
        await upsert(raw, "households", [newer], conflict=("id",), newer_by="version")
        await upsert(raw, "households", [older], conflict=("id",), newer_by="version")
    assert await _count(residents_db, "SELECT count(*) FROM households WHERE id = :id AND "
                        "address = '三条市新町2番' AND version = 3", id=household["id"]) == 1


async def test_numbers_from_reserved_blocks_stay_unique_valid_and_survive_a_restart(
        residents_db: Database) -> None:
    numbers: list[str] = []
    for n in range(repository.SERIAL_BLOCK + 8):  # more than one block
        if n == repository.SERIAL_BLOCK // 2:
            repository._serials.clear()  # a restarted process: its block's rest is a gap
        async with UnitOfWork(residents_db, source="test", municipality_code=SANJO) as uow:
            state = await register_resident(uow=uow, **new_resident(), today=today_in_japan())
            await uow.commit()
        numbers.append(state.resident_number)
    assert len(set(numbers)) == len(numbers)
    assert all(is_valid_resident_number(number) for number in numbers)
    assert await _count(residents_db, "SELECT count(DISTINCT household_number) FROM households "
                        "WHERE head_id IN (SELECT id FROM residents WHERE resident_number = "
                        "ANY(:n))", n=numbers) == len(numbers)
