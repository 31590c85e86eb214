"""Tax's units of work: kyodo_common's, with the tax stores over their transaction. A
request's (``TaxUnitOfWork``, the write pipeline's) begins and commits it; an event
handler's (``TaxInboxUnitOfWork``) is the inbox's transaction, which the inbox commits.
Handlers take their stores from here (``uow.assessments``), never build them."""

from __future__ import annotations

from functools import cached_property

from kyodo_common.db import Database, UnitOfWork
from kyodo_common.events.stores import InboxUnitOfWork
from kyodo_tax.adapters.assessments import SqlAssessments
from kyodo_tax.adapters.bulk_jobs import SqlBulkJobs
from kyodo_tax.adapters.declarations import SqlDeclarations
from kyodo_tax.adapters.read_models import SqlReadModels
from kyodo_tax.adapters.register_view import SqlRegister
from kyodo_tax.adapters.salary_imports import SqlSalaryImports
from kyodo_tax.service_layer.context import SOURCE


class TaxUnitOfWork(UnitOfWork):
    def __init__(self, db: Database, *, municipality_code: str) -> None:
        super().__init__(db, source=SOURCE, municipality_code=municipality_code)

    @cached_property
    def assessments(self) -> SqlAssessments:
        return SqlAssessments(self.session)

    @cached_property
    def register(self) -> SqlRegister:
        return SqlRegister(self.session)

    @cached_property
    def declarations(self) -> SqlDeclarations:
        return SqlDeclarations(self.session)

    @cached_property
    def bulk_jobs(self) -> SqlBulkJobs:
        return SqlBulkJobs(self.session)

    @cached_property
    def salary_imports(self) -> SqlSalaryImports:
        return SqlSalaryImports(self.session)


class TaxInboxUnitOfWork(InboxUnitOfWork):
    @cached_property
    def read_models(self) -> SqlReadModels:
        return SqlReadModels(self.session)
