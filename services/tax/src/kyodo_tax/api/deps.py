"""Dependencies of the tax routes, and the one way a POST is made idempotent."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse

from kyodo_common import idempotency
from kyodo_common.assertion import Acting
from kyodo_common.audit import record_access
from kyodo_common.db import Database, UnitOfWork
from kyodo_common.web import DatabaseDep, acting_for
from kyodo_tax.service_layer.context import SOURCE, TaxContext


async def _context(request: Request) -> TaxContext:
    context: TaxContext = request.app.state.tax
    return context


Db = DatabaseDep
Context = Annotated[TaxContext, Depends(_context)]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key")]
Writer = Annotated[Acting, Depends(acting_for("tax:write"))]
Reader = Annotated[Acting, Depends(acting_for("tax:read"))]

Reply = tuple[int, Any, dict[str, str]]


async def idempotent(*, db: Database, code: str, key: str | None, route: str, payload: Any,
                     action: Callable[[UnitOfWork], Awaitable[Reply]]) -> JSONResponse:
    """The key, the change and the stored response in one transaction; a repeat gets the first
    response again and changes nothing."""
    valid_key = idempotency.validate_key(key)
    fingerprint = idempotency.fingerprint(route, payload)
    async with UnitOfWork(db, source=SOURCE, municipality_code=code) as uow:
        previous = await idempotency.claim(uow.session, municipality_code=code, key=valid_key,
                                           request_fingerprint=fingerprint)
        if previous is not None:
            return JSONResponse(previous.body, status_code=previous.status)
        status, body, headers = await action(uow)
        idempotency.stage_response(uow.staged, municipality_code=code, key=valid_key,
                                   status=status, body=body)
        await uow.commit()
    return JSONResponse(body, status_code=status, headers=headers)


async def log_access(uow_or_session: Any, acting: Acting, *, code: str, action: str,
                     subject_type: str, subject_id: str, fields: list[str],
                     purpose: str | None) -> None:
    session = uow_or_session.session if isinstance(uow_or_session, UnitOfWork) \
        else uow_or_session
    await record_access(session, principal=acting.principal, acting_municipality=code,
                        action=action, subject_type=subject_type, subject_id=subject_id,
                        fields=fields, purpose=purpose, grant_id=acting.grant_id)
