"""Dependencies of the residents routes, and the pipeline every register command runs in.

Dependencies are ``async def``: FastAPI runs plain ``def`` ones in a thread pool, which costs
a thread hop per request and loses context variables set there.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from kyodo_common.assertion import Acting
from kyodo_common.crypto import FieldCipher
from kyodo_common.web import DatabaseDep, acting_for
from kyodo_common.write_pipeline import WritePipeline
from kyodo_residents.service_layer.unit_of_work import SOURCE, RegisterUnitOfWork


async def _cipher(request: Request) -> FieldCipher:
    cipher: FieldCipher = request.app.state.my_number_cipher
    return cipher


async def _pipeline(db: DatabaseDep) -> WritePipeline:
    return WritePipeline(db, source=SOURCE, unit_of_work=lambda code: RegisterUnitOfWork(
        db, municipality_code=code))


Db = DatabaseDep
Cipher = Annotated[FieldCipher, Depends(_cipher)]
Pipeline = Annotated[WritePipeline, Depends(_pipeline)]
Writer = Annotated[Acting, Depends(acting_for("residents:write"))]
Reader = Annotated[Acting, Depends(acting_for("residents:read"))]
MyNumberReader = Annotated[Acting, Depends(acting_for("mynumber:read"))]
