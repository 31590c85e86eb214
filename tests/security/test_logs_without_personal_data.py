"""A failed statement's traceback in the log carries no parameter and no value of the row:
SQLAlchemy prints the parameters in its errors' messages, and PostgreSQL quotes the value it
refused ('invalid input syntax for type integer: "…"', 'Key (…)=(…) already exists')."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import asyncpg
import pytest
import sqlalchemy as sa

from kyodo_common.db import Database
from kyodo_common.logs import JsonFormatter, error_text
from kyodo_testing import Infrastructure

NAME = "山田花子"  # what must never reach the log
SANJO = "152048"


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """The log lines of uvicorn's error logger (which logs a request's unhandled error) as
    the services write them."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter("residents"))
    logger = logging.getLogger("uvicorn.error")
    logger.addHandler(handler)
    try:
        yield out
    finally:
        logger.removeHandler(handler)


def _log_unhandled(exc: BaseException) -> None:
    # What uvicorn does with an exception the app raised.
    logging.getLogger("uvicorn.error").error("Exception in ASGI application\n", exc_info=exc)


def _line(out: io.StringIO) -> dict[str, Any]:
    line: dict[str, Any] = json.loads(out.getvalue().splitlines()[-1])
    return line


@pytest.fixture(scope="module")
async def db(infrastructure: Infrastructure) -> AsyncIterator[Database]:
    database = Database(infrastructure.urls("residents")["DATABASE_URL"])
    yield database
    await database.dispose()


@pytest.mark.integration
@pytest.mark.parametrize(("statement", "value"), [
    # The server quotes the value it refused.
    ("SELECT CAST(:v AS integer)", f"{NAME}1980"),
    # The driver cannot encode the value, and says which it is.
    ("SELECT CAST(:v AS text)", f"{NAME}\ud800"),
    # The value is fine, the statement fails: SQLAlchemy's "[parameters: …]".
    ("SELECT CAST(:v AS text) WHERE 1/0 = 1", f"{NAME}東京都千代田区"),
])
async def test_a_failed_statement_logs_no_value(db: Database, captured: io.StringIO,
                                                statement: str, value: str) -> None:
    with pytest.raises(Exception) as failed:
        async with db.tenant_transaction(SANJO) as session:
            await session.execute(sa.text(statement), {"v": value})
    _log_unhandled(failed.value)
    line = _line(captured)
    assert NAME not in json.dumps(line, ensure_ascii=False)
    assert "Traceback" in line["error"]  # the traceback itself is kept: where it failed
    assert "DataError" in line["error"] or "DivisionByZero" in line["error"]


def test_a_driver_error_with_a_detail_is_logged_without_it(captured: io.StringIO) -> None:
    error = asyncpg.exceptions.UniqueViolationError(
        "duplicate key value violates unique constraint")
    error.detail = f"Key (family_name)=({NAME}) already exists."  # as the server sends it
    try:
        try:
            raise error
        except asyncpg.PostgresError as exc:
            raise RuntimeError("the unit of work failed") from exc
    except RuntimeError as exc:
        _log_unhandled(exc)
    line = _line(captured)
    assert NAME not in line["error"]
    assert "UniqueViolationError" in line["error"]
    assert "the unit of work failed" in line["error"]  # other errors keep their message


def test_the_error_kept_with_a_failed_job_or_dead_letter_holds_no_value() -> None:
    error = asyncpg.exceptions.InvalidTextRepresentationError(
        f'invalid input syntax for type integer: "{NAME}"')
    assert NAME not in error_text(error)
    assert error_text(error).startswith("InvalidTextRepresentationError: ")
    assert error_text(ValueError("no rate for 2031")) == "ValueError: no rate for 2031"
