"""Routes of the register's procedures (異動): each a POST with its own rules and event."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from kyodo_common.clock import today_in_japan
from kyodo_common.db import UnitOfWork
from kyodo_common.web import IdempotencyKey, IfMatch, MunicipalityCode
from kyodo_residents.api.deps import Cipher, Db, Writer, run_procedure
from kyodo_residents.api.schemas import (
    BirthCreate,
    DeathCreate,
    ExOfficioEntry,
    HeadChangeCreate,
    HouseholdChangeCreate,
    HouseholdMoveOutCreate,
    HouseholdTransferMoveInCreate,
    MergeCreate,
    MoveInCreate,
    MoveOutCreate,
    MyNumberSet,
    ProcedureResult,
    RelocationCreate,
    RemovalCreate,
    SplitCreate,
    TransferMoveInCreate,
)
from kyodo_residents.service_layer import households, life, moves, records
from kyodo_residents.service_layer.common import Outcome
from kyodo_residents.service_layer.placement import NewHousehold

router = APIRouter(prefix="/v1/municipalities/{code}/residents", tags=["procedures"])
Result = {"model": ProcedureResult}


@router.post("/move-ins", status_code=201, responses={201: Result})
async def move_in(code: MunicipalityCode, body: MoveInCreate, acting: Writer, db: Db,
                  key: IdempotencyKey = None) -> JSONResponse:
    """転入 (国内 or 国外), keyed from the application; late filings are accepted and flagged."""
    async def procedure(uow: UnitOfWork) -> Outcome:
        return await moves.move_in(uow=uow, today=today_in_japan(),
                                   effective_date=body.effective_date,
                                   details=body.person.details(),
                                   placement=body.household.placement(),
                                   previous_address=body.previous_address,
                                   from_abroad=body.kind == "abroad",
                                   confirmed_not_duplicate=body.confirm_not_duplicate)
    return await run_procedure(db=db, code=code, acting=acting, key=key, route="move-in",
                               payload=body.model_dump(mode="json"), procedure=procedure,
                               status=201)


@router.post("/transfer-move-ins", status_code=201, responses={201: Result})
async def move_in_from_transfer(code: MunicipalityCode, body: TransferMoveInCreate,
                                acting: Writer, db: Db, key: IdempotencyKey = None
                                ) -> JSONResponse:
    """転入 from another platform municipality: the clerk confirms the transfer notice."""
    async def procedure(uow: UnitOfWork) -> Outcome:
        return await moves.move_in_from_transfer(
            uow=uow, today=today_in_japan(), transfer_id=body.transfer_id,
            effective_date=body.effective_date,
            placement=body.household.placement() if body.household else None,
            with_my_number_card=body.with_my_number_card)
    return await run_procedure(db=db, code=code, acting=acting, key=key,
                               route="transfer-move-in", payload=body.model_dump(mode="json"),
                               procedure=procedure, status=201)


@router.post("/household-transfer-move-ins", status_code=201, responses={201: Result})
async def move_in_household_from_transfers(code: MunicipalityCode,
                                           body: HouseholdTransferMoveInCreate, acting: Writer,
                                           db: Db, key: IdempotencyKey = None) -> JSONResponse:
    """世帯全員の転入 from another platform municipality: its notices confirmed together."""
    async def procedure(uow: UnitOfWork) -> Outcome:
        return await moves.move_in_household_from_transfers(
            uow=uow, today=today_in_japan(), transfer_ids=body.transfer_ids,
            effective_date=body.effective_date, with_my_number_card=body.with_my_number_card,
            new_household=NewHousehold(**body.new_household.model_dump())
            if body.new_household else None,
            head_transfer_id=body.head_transfer_id, relationships=body.relationships)
    return await run_procedure(db=db, code=code, acting=acting, key=key,
                               route="household-transfer-move-in",
                               payload=body.model_dump(mode="json"), procedure=procedure,
                               status=201)


@router.post("/births", status_code=201, responses={201: Result})
async def birth(code: MunicipalityCode, body: BirthCreate, acting: Writer, db: Db,
                key: IdempotencyKey = None) -> JSONResponse:
    """出生."""
    async def procedure(uow: UnitOfWork) -> Outcome:
        return await life.birth(uow=uow, today=today_in_japan(), details=body.person.details(),
                                household_id=body.household_id, relationship=body.relationship,
                                confirmed_not_duplicate=body.confirm_not_duplicate)
    return await run_procedure(db=db, code=code, acting=acting, key=key, route="birth",
                               payload=body.model_dump(mode="json"), procedure=procedure,
                               status=201)


@router.post("/ex-officio-entries", status_code=201, responses={201: Result})
async def enter_ex_officio(code: MunicipalityCode, body: ExOfficioEntry, acting: Writer, db: Db,
                           key: IdempotencyKey = None) -> JSONResponse:
    """職権記載."""
    async def procedure(uow: UnitOfWork) -> Outcome:
        return await records.enter_ex_officio(uow=uow, today=today_in_japan(),
                                              effective_date=body.effective_date,
                                              details=body.person.details(),
                                              placement=body.household.placement(),
                                              confirmed_not_duplicate=body.confirm_not_duplicate)
    return await run_procedure(db=db, code=code, acting=acting, key=key, route="ex-officio",
                               payload=body.model_dump(mode="json"), procedure=procedure,
                               status=201)


@router.post("/{resident_id}/move-out", responses={200: Result})
async def move_out(code: MunicipalityCode, resident_id: UUID, body: MoveOutCreate,
                   acting: Writer, db: Db, version: IfMatch, key: IdempotencyKey = None
                   ) -> JSONResponse:
    """転出 (国内 or 国外); to a platform municipality it also issues the transfer notice."""
    async def procedure(uow: UnitOfWork) -> Outcome:
        return await moves.move_out(uow=uow, today=today_in_japan(), resident_id=resident_id,
                                    expected_version=version,
                                    effective_date=body.effective_date,
                                    destination=body.destination.destination(),
                                    new_head_id=body.new_head_id,
                                    relationships=body.relationships)
    return await run_procedure(db=db, code=code, acting=acting, key=key,
                               route=f"move-out/{resident_id}",
                               payload=body.model_dump(mode="json"), procedure=procedure)


@router.post("/{resident_id}/death", responses={200: Result})
async def death(code: MunicipalityCode, resident_id: UUID, body: DeathCreate, acting: Writer,
                db: Db, version: IfMatch, key: IdempotencyKey = None) -> JSONResponse:
    """死亡."""
    async def procedure(uow: UnitOfWork) -> Outcome:
        return await life.death(uow=uow, today=today_in_japan(), resident_id=resident_id,
                                expected_version=version, effective_date=body.effective_date,
                                new_head_id=body.new_head_id, relationships=body.relationships)
    return await run_procedure(db=db, code=code, acting=acting, key=key,
                               route=f"death/{resident_id}",
                               payload=body.model_dump(mode="json"), procedure=procedure)


@router.post("/{resident_id}/ex-officio-removal", responses={200: Result})
async def remove_ex_officio(code: MunicipalityCode, resident_id: UUID, body: RemovalCreate,
                            acting: Writer, db: Db, version: IfMatch,
                            key: IdempotencyKey = None) -> JSONResponse:
    """職権消除."""
    async def procedure(uow: UnitOfWork) -> Outcome:
        return await records.remove_ex_officio(
            uow=uow, today=today_in_japan(), resident_id=resident_id, expected_version=version,
            effective_date=body.effective_date, new_head_id=body.new_head_id,
            relationships=body.relationships)
    return await run_procedure(db=db, code=code, acting=acting, key=key,
                               route=f"removal/{resident_id}",
                               payload=body.model_dump(mode="json"), procedure=procedure)


@router.post("/{resident_id}/my-number", responses={200: Result})
async def set_my_number(code: MunicipalityCode, resident_id: UUID, body: MyNumberSet,
                        acting: Writer, db: Db, cipher: Cipher, version: IfMatch,
                        key: IdempotencyKey = None) -> JSONResponse:
    """個人番号変更: the number is encrypted at rest and never echoed back."""
    async def procedure(uow: UnitOfWork) -> Outcome:
        return await records.set_my_number(uow=uow, today=today_in_japan(), cipher=cipher,
                                           resident_id=resident_id, expected_version=version,
                                           my_number=body.my_number,
                                           effective_date=body.effective_date,
                                           may_know_holders=acting.has_scope("mynumber:read"))
    # The fingerprint holds a keyed hash, not the number itself.
    payload = {"n": cipher.lookup_hash(body.my_number).hex(), "d": str(body.effective_date)}
    return await run_procedure(db=db, code=code, acting=acting, key=key,
                               route=f"my-number/{resident_id}", payload=payload,
                               procedure=procedure, fields=("my_number",))


@router.post("/households/{household_id}/relocation", responses={200: Result})
async def relocate(code: MunicipalityCode, household_id: UUID, body: RelocationCreate,
                   acting: Writer, db: Db, version: IfMatch, key: IdempotencyKey = None
                   ) -> JSONResponse:
    """転居: the household moves within the municipality."""
    async def procedure(uow: UnitOfWork) -> Outcome:
        return await moves.relocate(uow=uow, today=today_in_japan(), household_id=household_id,
                                    expected_version=version,
                                    effective_date=body.effective_date,
                                    postal=body.postal_code, address=body.address)
    return await run_procedure(db=db, code=code, acting=acting, key=key,
                               route=f"relocation/{household_id}",
                               payload=body.model_dump(mode="json"), procedure=procedure)


@router.post("/households/{household_id}/move-out", responses={200: Result})
async def move_out_household(code: MunicipalityCode, household_id: UUID,
                             body: HouseholdMoveOutCreate, acting: Writer, db: Db,
                             version: IfMatch, key: IdempotencyKey = None) -> JSONResponse:
    """世帯全員の転出 (or of the members named): all or none, one event and, to a platform
    municipality, one transfer notice per person."""
    async def procedure(uow: UnitOfWork) -> Outcome:
        return await moves.move_out_household(
            uow=uow, today=today_in_japan(), household_id=household_id,
            expected_version=version, effective_date=body.effective_date,
            destination=body.destination.destination(), members=body.members,
            new_head_id=body.new_head_id, relationships=body.relationships)
    return await run_procedure(db=db, code=code, acting=acting, key=key,
                               route=f"household-move-out/{household_id}",
                               payload=body.model_dump(mode="json"), procedure=procedure)


@router.post("/households/{household_id}/household-change", responses={200: Result})
async def change_household(code: MunicipalityCode, household_id: UUID,
                           body: HouseholdChangeCreate, acting: Writer, db: Db,
                           version: IfMatch, key: IdempotencyKey = None) -> JSONResponse:
    """世帯変更: a resident leaves their household and joins this one (If-Match: this
    household's ETag)."""
    async def procedure(uow: UnitOfWork) -> Outcome:
        return await households.change_household(
            uow=uow, today=today_in_japan(), household_id=household_id,
            expected_version=version, effective_date=body.effective_date,
            resident_id=body.resident_id, relationship=body.relationship,
            new_head_id=body.new_head_id, relationships=body.relationships)
    return await run_procedure(db=db, code=code, acting=acting, key=key,
                               route=f"household-change/{household_id}",
                               payload=body.model_dump(mode="json"), procedure=procedure)


@router.post("/households/{household_id}/split", responses={200: Result})
async def split(code: MunicipalityCode, household_id: UUID, body: SplitCreate, acting: Writer,
                db: Db, version: IfMatch, key: IdempotencyKey = None) -> JSONResponse:
    """世帯分離."""
    async def procedure(uow: UnitOfWork) -> Outcome:
        return await households.split(
            uow=uow, today=today_in_japan(), household_id=household_id,
            expected_version=version, effective_date=body.effective_date, members=body.members,
            new_head_id=body.new_head_id, relationships=body.relationships,
            remaining_head_id=body.remaining_head_id,
            remaining_relationships=body.remaining_relationships, postal=body.postal_code,
            address=body.address)
    return await run_procedure(db=db, code=code, acting=acting, key=key,
                               route=f"split/{household_id}",
                               payload=body.model_dump(mode="json"), procedure=procedure)


@router.post("/households/{household_id}/merge", responses={200: Result})
async def merge(code: MunicipalityCode, household_id: UUID, body: MergeCreate, acting: Writer,
                db: Db, version: IfMatch, key: IdempotencyKey = None) -> JSONResponse:
    """世帯合併."""
    async def procedure(uow: UnitOfWork) -> Outcome:
        return await households.merge(
            uow=uow, today=today_in_japan(), household_id=household_id,
            expected_version=version, other_household_id=body.other_household_id,
            effective_date=body.effective_date, relationships=body.relationships)
    return await run_procedure(db=db, code=code, acting=acting, key=key,
                               route=f"merge/{household_id}",
                               payload=body.model_dump(mode="json"), procedure=procedure)


@router.post("/households/{household_id}/head-change", responses={200: Result})
async def change_head(code: MunicipalityCode, household_id: UUID, body: HeadChangeCreate,
                      acting: Writer, db: Db, version: IfMatch, key: IdempotencyKey = None
                      ) -> JSONResponse:
    """世帯主変更."""
    async def procedure(uow: UnitOfWork) -> Outcome:
        return await households.change_head(
            uow=uow, today=today_in_japan(), household_id=household_id,
            expected_version=version, effective_date=body.effective_date,
            new_head_id=body.new_head_id, relationships=body.relationships)
    return await run_procedure(db=db, code=code, acting=acting, key=key,
                               route=f"head-change/{household_id}",
                               payload=body.model_dump(mode="json"), procedure=procedure)
