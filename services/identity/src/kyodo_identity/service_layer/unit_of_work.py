"""Identity's units of work: kyodo_common's for a municipality, PlatformUnit for the platform's
pseudo-tenant; each carries the store (``uow.store``) and the directory of other towns' staff
(``uow.directory``) the handlers use. The event handler's (``IdentityInboxUnitOfWork``) is the
inbox's transaction, which the inbox commits, with the declared disasters over it."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any

from kyodo_common.db import Database, UnitOfWork
from kyodo_common.events.stores import InboxUnitOfWork
from kyodo_identity.adapters.directory import StaffDirectory
from kyodo_identity.adapters.platform_unit import PlatformUnit
from kyodo_identity.adapters.read_models import SqlDeclaredDisasters
from kyodo_identity.adapters.store import IdentityStore
from kyodo_identity.domain.platform import PLATFORM_CODE

SOURCE = "kyodo/identity"


class IdentityUnitOfWork(UnitOfWork):
    def __init__(self, db: Database, *, municipality_code: str) -> None:
        super().__init__(db, source=SOURCE, municipality_code=municipality_code)
        self.store = IdentityStore(self)
        self.directory = StaffDirectory(db)


class IdentityInboxUnitOfWork(InboxUnitOfWork):
    """The event handler's: ``uow.declared_disasters`` in the inbox's transaction."""

    @cached_property
    def declared_disasters(self) -> SqlDeclaredDisasters:
        return SqlDeclaredDisasters(self.session)


def units_of_work(db: Database) -> Callable[[str], Any]:
    """The pipeline's factory: the platform's unit for its pseudo-code, else the town's."""

    def open_unit(code: str) -> Any:
        if code == PLATFORM_CODE:
            return PlatformUnit(db)
        return IdentityUnitOfWork(db, municipality_code=code)

    return open_unit
