"""Dependencies of the disaster routes: the database, the rules, the callers, the pipeline.

Dependencies are ``async def``: FastAPI runs plain ``def`` ones in a thread pool.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from kyodo_common.assertion import Acting
from kyodo_common.web import DatabaseDep, acting_for
from kyodo_common.write_pipeline import WritePipeline
from kyodo_disaster.service_layer.context import SOURCE, DisasterContext
from kyodo_disaster.service_layer.handlers import DisasterHandlers


async def _context(request: Request) -> DisasterContext:
    context: DisasterContext = request.app.state.disaster
    return context


Db = DatabaseDep
Context = Annotated[DisasterContext, Depends(_context)]
Writer = Annotated[Acting, Depends(acting_for("disaster:write"))]
Reader = Annotated[Acting, Depends(acting_for("disaster:read"))]
Auditor = Annotated[Acting, Depends(acting_for("audit:read"))]


async def _pipeline(db: DatabaseDep) -> WritePipeline:
    return WritePipeline(db, source=SOURCE)


async def _handlers(context: Context) -> DisasterHandlers:
    return DisasterHandlers(context)


Pipeline = Annotated[WritePipeline, Depends(_pipeline)]
Handlers = Annotated[DisasterHandlers, Depends(_handlers)]
