"""Dependencies and the one way every register procedure is run over HTTP.

Dependencies are ``async def``: FastAPI runs plain ``def`` ones in a thread pool, which costs
a thread hop per request and loses context variables set there.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import JSONResponse

from kyodo_common.assertion import Acting
from kyodo_common.audit import stage_accesses
from kyodo_common.crypto import FieldCipher
from kyodo_common.db import UnitOfWork
from kyodo_common.web import DatabaseDep, Reply, acting_for, idempotent_post
from kyodo_residents.api.schemas import ProcedureResult
from kyodo_residents.service_layer.common import Outcome

SOURCE = "kyodo/residents"


async def _cipher(request: Request) -> FieldCipher:
    cipher: FieldCipher = request.app.state.my_number_cipher
    return cipher


Db = DatabaseDep
Cipher = Annotated[FieldCipher, Depends(_cipher)]
Writer = Annotated[Acting, Depends(acting_for("residents:write"))]
Reader = Annotated[Acting, Depends(acting_for("residents:read"))]
MyNumberReader = Annotated[Acting, Depends(acting_for("mynumber:read"))]


async def run_procedure(
    *, db: Db, code: str, acting: Acting, key: str | None, route: str, payload: Any,
    procedure: Callable[[UnitOfWork], Awaitable[Outcome]], fields: Sequence[str] = ("register",),
    status: int = 200,
) -> JSONResponse:
    """Idempotency key, the procedure, its access-log entries and the response: one transaction."""

    async def action(uow: UnitOfWork) -> Reply:
        outcome = await procedure(uow)
        stage_accesses(uow.staged, principal=acting.principal, acting_municipality=code,
                       action=outcome.event.reason, subject_type="resident",
                       subject_ids=[str(state.resident_id) for state in outcome.states],
                       fields=fields, purpose=None, grant_id=acting.grant_id)
        body = ProcedureResult(reason=outcome.event.reason,
                               effective_date=outcome.event.effective_date,
                               late_filing=outcome.event.late_filing,
                               residents=outcome.states).model_dump(mode="json")
        return status, body, {}

    return await idempotent_post(db=db, source=SOURCE, code=code, caller=acting.principal,
                                 key=key, route=route, payload=payload, action=action)
