"""Dependencies of the disaster routes, and the one way a POST is made idempotent.

Dependencies are ``async def``: FastAPI runs plain ``def`` ones in a thread pool.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import JSONResponse

from kyodo_common.assertion import Acting
from kyodo_common.auth import Principal
from kyodo_common.db import UnitOfWork
from kyodo_common.web import (
    DatabaseDep,
    acting_for,
    etag,
    idempotent_post,
)
from kyodo_common.web import (
    Reply as Reply,  # re-exported: the routes' actions return it
)
from kyodo_disaster.service_layer.context import SOURCE, DisasterContext


async def _context(request: Request) -> DisasterContext:
    context: DisasterContext = request.app.state.disaster
    return context


Db = DatabaseDep
Context = Annotated[DisasterContext, Depends(_context)]
Writer = Annotated[Acting, Depends(acting_for("disaster:write"))]
Reader = Annotated[Acting, Depends(acting_for("disaster:read"))]
Auditor = Annotated[Acting, Depends(acting_for("audit:read"))]


async def idempotent(*, db: Db, code: str, caller: Principal, key: str | None, route: str,
                     payload: Any, action: Callable[[UnitOfWork], Awaitable[Reply]],
                     location: Callable[[Any], str] | None = None) -> JSONResponse:
    """kyodo_common.web.idempotent_post; a repeat also gets the first ETag and Location."""
    return await idempotent_post(db=db, source=SOURCE, code=code, caller=caller, key=key,
                                 route=route, payload=payload, action=action,
                                 replayed_headers=lambda body: _replayed_headers(body, location))


def _replayed_headers(body: Any, location: Callable[[Any], str] | None) -> dict[str, str]:
    headers: dict[str, str] = {}
    if isinstance(body, dict):
        if isinstance(body.get("version"), int):
            headers["ETag"] = etag(body["version"])
        if location is not None and "id" in body:
            headers["Location"] = location(body)
    return headers
