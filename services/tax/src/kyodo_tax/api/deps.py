"""Dependencies of the tax routes: the database, the rules, the callers, the write pipeline."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from kyodo_common.assertion import Acting
from kyodo_common.audit import record_access
from kyodo_common.db import UnitOfWork
from kyodo_common.web import DatabaseDep, acting_for
from kyodo_common.write_pipeline import WritePipeline
from kyodo_tax.service_layer.context import SOURCE, TaxContext
from kyodo_tax.service_layer.handlers import TaxHandlers
from kyodo_tax.service_layer.unit_of_work import TaxUnitOfWork


async def _context(request: Request) -> TaxContext:
    context: TaxContext = request.app.state.tax
    return context


Db = DatabaseDep
Context = Annotated[TaxContext, Depends(_context)]
Writer = Annotated[Acting, Depends(acting_for("tax:write"))]
Reader = Annotated[Acting, Depends(acting_for("tax:read"))]


async def _pipeline(db: DatabaseDep) -> WritePipeline:
    return WritePipeline(db, source=SOURCE, unit_of_work=lambda code: TaxUnitOfWork(
        db, municipality_code=code))


async def _handlers(context: Context) -> TaxHandlers:
    return TaxHandlers(context)


Pipeline = Annotated[WritePipeline, Depends(_pipeline)]
Handlers = Annotated[TaxHandlers, Depends(_handlers)]


async def log_access(uow_or_session: Any, acting: Acting, *, code: str, action: str,
                     subject_type: str, subject_id: str, fields: list[str],
                     purpose: str | None) -> None:
    session = uow_or_session.session if isinstance(uow_or_session, UnitOfWork) \
        else uow_or_session
    await record_access(session, principal=acting.principal, acting_municipality=code,
                        action=action, subject_type=subject_type, subject_id=subject_id,
                        fields=fields, purpose=purpose, grant_id=acting.grant_id)
