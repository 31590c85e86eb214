"""住民税申告: a person's declaration (a new version each time)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from kyodo_common.web import IdempotencyKey, MunicipalityCode
from kyodo_tax.api.deps import Pipeline, Writer
from kyodo_tax.api.schemas import DeclarationCreate, DeclarationPublic
from kyodo_tax.service_layer import handlers
from kyodo_tax.service_layer.commands import FileDeclaration

router = APIRouter(prefix="/v1/municipalities/{code}/tax/declarations", tags=["tax"])


@router.post("", status_code=201, response_model=DeclarationPublic)
async def file_declaration(code: MunicipalityCode, body: DeclarationCreate, acting: Writer,
                           pipeline: Pipeline, key: IdempotencyKey = None) -> JSONResponse:
    """Stores the declaration; POST …/tax/assessments then assesses (or corrects) with it."""
    command = FileDeclaration(fiscal_year=body.fiscal_year,
                              platform_person_id=body.platform_person_id,
                              declaration=body.declaration(), actor=acting.principal.subject)
    return await pipeline.run(command, handlers.file_declaration, acting=acting, key=key,
                              fingerprint=("tax.declarations", body.model_dump(mode="json")))
