"""Automation's units of work: kyodo_common's, with automation's stores over their
transaction. A request's (``AutomationUnitOfWork``, the write pipeline's) begins and commits
it; an event handler's (``AutomationInboxUnitOfWork``) is the inbox's transaction, which the
inbox commits. Handlers take their stores from here (``uow.runs``), never build them."""

from __future__ import annotations

from functools import cached_property

from kyodo_automation.adapters.stores import SqlHumanQueue, SqlRuns, SqlScenarios, SqlTriggers
from kyodo_automation.service_layer.context import SOURCE
from kyodo_common.db import Database, UnitOfWork
from kyodo_common.events.stores import InboxUnitOfWork


class AutomationUnitOfWork(UnitOfWork):
    def __init__(self, db: Database, *, municipality_code: str) -> None:
        super().__init__(db, source=SOURCE, municipality_code=municipality_code)

    @cached_property
    def scenarios(self) -> SqlScenarios:
        return SqlScenarios(self.session)

    @cached_property
    def runs(self) -> SqlRuns:
        return SqlRuns(self.session)

    @cached_property
    def queue(self) -> SqlHumanQueue:
        return SqlHumanQueue(self.session)


class AutomationInboxUnitOfWork(InboxUnitOfWork):
    @cached_property
    def triggers(self) -> SqlTriggers:
        return SqlTriggers(self.session)
