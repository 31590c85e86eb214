"""The write path's statements as they reach asyncpg (issue #22: CPU per registration): every
transaction begins in one statement after BEGIN, and the idempotency claim goes to the unit of
work's own connection instead of finding it again through the SQLAlchemy session."""

from __future__ import annotations

from typing import Any

import pytest

from kyodo_common import privacy
from kyodo_common.db.engine import _begin_sql
from kyodo_common.write_pipeline import TableKeys


def test_a_tenant_transaction_begins_with_one_select_for_both_settings() -> None:
    sql = _begin_sql("152048")
    assert sql.count(";") == 1  # BEGIN; and one statement
    assert sql.count("SELECT") == 1
    assert "set_config('kyodo.municipality', '152048', true)" in sql
    assert f"set_config('{privacy.SETTING}'," in sql


def test_a_platform_transaction_still_names_what_the_viewer_sees() -> None:
    assert _begin_sql(None) == f"BEGIN; SELECT {privacy.setting_call()}"


def test_a_bad_code_is_refused_before_any_sql() -> None:
    with pytest.raises(ValueError):
        _begin_sql("15204'")


class _Connection:
    def __init__(self) -> None:
        self.statements: list[str] = []

    async def fetchval(self, sql: str, *args: Any) -> Any:
        self.statements.append(sql)
        return args[2]  # the key: claimed


class _UnitOfWork:
    """No session: the claim must not need one."""

    municipality_code = "152048"

    def __init__(self) -> None:
        self.conn = _Connection()

    async def connection(self) -> _Connection:
        return self.conn


async def test_the_claim_uses_the_unit_of_works_connection() -> None:
    uow = _UnitOfWork()
    previous = await TableKeys().claim(uow, caller="152048:clerk", key="k1", fingerprint="f")
    assert previous is None
    [sql] = uow.conn.statements
    assert sql.startswith("INSERT INTO idempotency_keys")


def test_taking_a_pooled_connection_makes_no_span() -> None:
    from sqlalchemy.engine.base import Engine

    from kyodo_common.db import Database
    from kyodo_common.service import instrument_database

    instrument_database(Database("postgresql+asyncpg://u:p@127.0.0.1:1/x", pool_size=1))
    assert not hasattr(Engine.connect, "__wrapped__")


class _Begun:
    def __init__(self, in_transaction: bool) -> None:
        self.in_transaction = in_transaction

    def is_in_transaction(self) -> bool:
        return self.in_transaction

    def is_closed(self) -> bool:
        return False

    async def execute(self, sql: str) -> None:
        self.in_transaction = False


class _Session:
    """Only its info: asking it for its connection fails the test."""

    def __init__(self) -> None:
        self.info: dict[str, Any] = {}

    async def connection(self) -> Any:
        raise AssertionError("asked the session for its connection")


async def test_raw_connection_takes_the_connection_begin_began_on() -> None:
    from kyodo_common.db.engine import _BEGUN_ON, raw_connection, rollback

    session, begun = _Session(), _Begun(in_transaction=True)
    session.info[_BEGUN_ON] = begun
    assert await raw_connection(session) is begun  # type: ignore[arg-type]
    await rollback(session, begun)  # type: ignore[arg-type]
    assert _BEGUN_ON not in session.info  # forgotten before the session lets it go
    with pytest.raises(AssertionError):
        await raw_connection(session)  # type: ignore[arg-type]


async def test_a_connection_whose_transaction_ended_is_not_taken() -> None:
    from kyodo_common.db.engine import _BEGUN_ON, raw_connection

    session = _Session()
    session.info[_BEGUN_ON] = _Begun(in_transaction=False)
    with pytest.raises(AssertionError):
        await raw_connection(session)  # type: ignore[arg-type]
