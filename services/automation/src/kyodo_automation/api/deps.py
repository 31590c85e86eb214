"""Dependencies of the automation routes: the database, the callers, the write pipeline."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, Request

from kyodo_automation.service_layer.context import SOURCE, AutomationContext
from kyodo_automation.service_layer.unit_of_work import AutomationUnitOfWork
from kyodo_common.assertion import Acting
from kyodo_common.errors import NotFound
from kyodo_common.web import DatabaseDep, acting_for
from kyodo_common.write_pipeline import WritePipeline


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


async def _pipeline(db: DatabaseDep) -> WritePipeline:
    return WritePipeline(db, source=SOURCE, unit_of_work=lambda code: AutomationUnitOfWork(
        db, municipality_code=code))


Pipeline = Annotated[WritePipeline, Depends(_pipeline)]
