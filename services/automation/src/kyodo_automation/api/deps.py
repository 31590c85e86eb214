"""Dependencies of the automation routes, and the one way a POST is made idempotent."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse

from kyodo_automation.service_layer.context import SOURCE, AutomationContext
from kyodo_common import idempotency
from kyodo_common.assertion import Acting
from kyodo_common.db import Database, UnitOfWork
from kyodo_common.errors import NotFound
from kyodo_common.web import DatabaseDep, acting_for


async def _context(request: Request) -> AutomationContext:
    context: AutomationContext = request.app.state.automation
    return context


Db = DatabaseDep
Context = Annotated[AutomationContext, Depends(_context)]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key")]
Reader = Annotated[Acting, Depends(acting_for("automation:read"))]
Author = Annotated[Acting, Depends(acting_for("automation:write"))]
Approver = Annotated[Acting, Depends(acting_for("automation:approve"))]

Reply = tuple[int, Any, dict[str, str]]
SCENARIO_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


def scenario_name(scenario: str) -> str:
    """A name in a URL that no scenario could have is a scenario that does not exist."""
    if not SCENARIO_NAME.match(scenario):
        raise NotFound("the scenario")
    return scenario


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
        await idempotency.remember(uow.session, key=valid_key, status=status, body=body)
        await uow.commit()
    return JSONResponse(body, status_code=status, headers=headers)
