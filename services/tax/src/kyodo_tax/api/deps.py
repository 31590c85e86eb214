"""Dependencies of the tax routes, and the one way a POST is made idempotent."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import JSONResponse

from kyodo_common.assertion import Acting
from kyodo_common.audit import record_access
from kyodo_common.auth import Principal
from kyodo_common.db import Database, UnitOfWork
from kyodo_common.web import DatabaseDep, acting_for, idempotent_post
from kyodo_common.web import Reply as Reply  # re-exported: the routes' actions return it
from kyodo_tax.service_layer.context import SOURCE, TaxContext


async def _context(request: Request) -> TaxContext:
    context: TaxContext = request.app.state.tax
    return context


Db = DatabaseDep
Context = Annotated[TaxContext, Depends(_context)]
Writer = Annotated[Acting, Depends(acting_for("tax:write"))]
Reader = Annotated[Acting, Depends(acting_for("tax:read"))]


async def idempotent(*, db: Database, code: str, caller: Principal, key: str | None,
                     route: str, payload: Any,
                     action: Callable[[UnitOfWork], Awaitable[Reply]]) -> JSONResponse:
    """kyodo_common.web.idempotent_post with this service's event source."""
    return await idempotent_post(db=db, source=SOURCE, code=code, caller=caller, key=key,
                                 route=route, payload=payload, action=action)


async def log_access(uow_or_session: Any, acting: Acting, *, code: str, action: str,
                     subject_type: str, subject_id: str, fields: list[str],
                     purpose: str | None) -> None:
    session = uow_or_session.session if isinstance(uow_or_session, UnitOfWork) \
        else uow_or_session
    await record_access(session, principal=acting.principal, acting_municipality=code,
                        action=action, subject_type=subject_type, subject_id=subject_id,
                        fields=fields, purpose=purpose, grant_id=acting.grant_id)
