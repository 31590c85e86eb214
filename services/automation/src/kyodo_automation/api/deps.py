"""Dependencies of the automation routes, and the one way a POST is made idempotent."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import JSONResponse

from kyodo_automation.service_layer.context import SOURCE, AutomationContext
from kyodo_common.assertion import Acting
from kyodo_common.auth import Principal
from kyodo_common.db import Database, UnitOfWork
from kyodo_common.errors import NotFound
from kyodo_common.web import DatabaseDep, acting_for, idempotent_post
from kyodo_common.web import Reply as Reply  # re-exported: the routes' actions return it


async def _context(request: Request) -> AutomationContext:
    context: AutomationContext = request.app.state.automation
    return context


Db = DatabaseDep
Context = Annotated[AutomationContext, Depends(_context)]
Reader = Annotated[Acting, Depends(acting_for("automation:read"))]
Author = Annotated[Acting, Depends(acting_for("automation:write"))]
Approver = Annotated[Acting, Depends(acting_for("automation:approve"))]

SCENARIO_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


def scenario_name(scenario: str) -> str:
    """A name in a URL that no scenario could have is a scenario that does not exist."""
    if not SCENARIO_NAME.match(scenario):
        raise NotFound("the scenario")
    return scenario


async def idempotent(*, db: Database, code: str, caller: Principal, key: str | None,
                     route: str, payload: Any,
                     action: Callable[[UnitOfWork], Awaitable[Reply]]) -> JSONResponse:
    """kyodo_common.web.idempotent_post with this service's event source."""
    return await idempotent_post(db=db, source=SOURCE, code=code, caller=caller, key=key,
                                 route=route, payload=payload, action=action)
