"""The register's units of work: kyodo_common's, with the register's store. A request's
(``RegisterUnitOfWork``) begins and commits its transaction; an event handler's
(``RegisterInboxUnitOfWork``) is the inbox's transaction, which the inbox commits."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from kyodo_common.db import Database, UnitOfWork
from kyodo_common.events.stores import InboxUnitOfWork
from kyodo_residents.adapters.store import RegisterStore

SOURCE = "kyodo/residents"


class RegisterUnitOfWork(UnitOfWork):
    """``uow.store`` reads and stages the register's rows in this transaction."""

    def __init__(self, db: Database, *, municipality_code: str) -> None:
        super().__init__(db, source=SOURCE, municipality_code=municipality_code)
        self.store = RegisterStore(self)


class RegisterInboxUnitOfWork(InboxUnitOfWork):
    """An event handler's: ``uow.store`` in the inbox's transaction."""

    @cached_property
    def store(self) -> RegisterStore:
        return RegisterStore(self)


def store_of(uow: Any) -> RegisterStore:
    """The unit of work's store; a plain kyodo_common UnitOfWork (a script's, a fixture's)
    gets the real one."""
    store = getattr(uow, "store", None)
    return store if store is not None else RegisterStore(uow)
