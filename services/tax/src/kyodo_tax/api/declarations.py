"""住民税申告: a person's declaration (a new version each time)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from kyodo_common.db import UnitOfWork
from kyodo_common.web import IdempotencyKey, MunicipalityCode
from kyodo_tax.adapters.declarations import SqlDeclarations
from kyodo_tax.adapters.register_view import SqlRegister
from kyodo_tax.api.deps import Db, Reply, Writer, idempotent, log_access
from kyodo_tax.api.schemas import DeclarationCreate, DeclarationPublic
from kyodo_tax.service_layer.declarations import declare

router = APIRouter(prefix="/v1/municipalities/{code}/tax/declarations", tags=["tax"])


@router.post("", status_code=201, response_model=DeclarationPublic)
async def file_declaration(code: MunicipalityCode, body: DeclarationCreate, acting: Writer,
                           db: Db, key: IdempotencyKey = None) -> JSONResponse:
    """Stores the declaration; POST …/tax/assessments then assesses (or corrects) with it."""
    declaration = body.declaration()

    async def action(uow: UnitOfWork) -> Reply:
        declared = await declare(declarations=SqlDeclarations(uow.session),
                                 register=SqlRegister(uow.session), code=code,
                                 fiscal_year=body.fiscal_year,
                                 platform_person_id=body.platform_person_id,
                                 declaration=declaration, actor=acting.principal.subject)
        await log_access(uow, acting, code=code, action="declaration.filed",
                         subject_type="taxpayer", subject_id=str(body.platform_person_id),
                         fields=["declaration"], purpose=None)
        d = declaration.household.dependants
        public = DeclarationPublic(
            id=declared.id, version=declared.version, fiscal_year=body.fiscal_year,
            platform_person_id=body.platform_person_id,
            spouse=declaration.household.spouse.value,
            dependants={"general": d.general, "specified": d.specified, "elderly": d.elderly,
                        "elderly_cohabiting": d.elderly_cohabiting, "under_16": d.under_16})
        return 201, public.model_dump(mode="json"), {}

    return await idempotent(db=db, code=code, caller=acting.principal, key=key,
                            route="tax.declarations",
                            payload=body.model_dump(mode="json"), action=action)
