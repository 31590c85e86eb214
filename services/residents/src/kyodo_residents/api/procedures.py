"""Routes of the register's procedures (異動): each builds its command for the pipeline."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from kyodo_common.web import IdempotencyKey, IfMatch, MunicipalityCode
from kyodo_residents.api.deps import Cipher, Pipeline, Writer
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
from kyodo_residents.service_layer import commands as c
from kyodo_residents.service_layer import handlers
from kyodo_residents.service_layer.placement import NewHousehold

router = APIRouter(prefix="/v1/municipalities/{code}/residents", tags=["procedures"])
Result = {"model": ProcedureResult}


@router.post("/move-ins", status_code=201, responses={201: Result})
async def move_in(code: MunicipalityCode, body: MoveInCreate, acting: Writer,
                  pipeline: Pipeline, key: IdempotencyKey = None) -> JSONResponse:
    """転入 (国内 or 国外), keyed from the application; late filings are accepted and flagged."""
    command = c.MoveIn(effective_date=body.effective_date, details=body.person.details(),
                       placement=body.household.placement(),
                       previous_address=body.previous_address,
                       from_abroad=body.kind == "abroad",
                       confirmed_not_duplicate=body.confirm_not_duplicate)
    return await pipeline.run(command, handlers.move_in, acting=acting, key=key,
                              fingerprint=("move-in", body.model_dump(mode="json")))


@router.post("/transfer-move-ins", status_code=201, responses={201: Result})
async def move_in_from_transfer(code: MunicipalityCode, body: TransferMoveInCreate,
                                acting: Writer, pipeline: Pipeline,
                                key: IdempotencyKey = None) -> JSONResponse:
    """転入 from another platform municipality: the clerk confirms the transfer notice."""
    command = c.MoveInFromTransfer(
        transfer_id=body.transfer_id, effective_date=body.effective_date,
        placement=body.household.placement() if body.household else None,
        with_my_number_card=body.with_my_number_card)
    return await pipeline.run(command, handlers.move_in_from_transfer, acting=acting, key=key,
                              fingerprint=("transfer-move-in", body.model_dump(mode="json")))


@router.post("/household-transfer-move-ins", status_code=201, responses={201: Result})
async def move_in_household_from_transfers(code: MunicipalityCode,
                                           body: HouseholdTransferMoveInCreate, acting: Writer,
                                           pipeline: Pipeline,
                                           key: IdempotencyKey = None) -> JSONResponse:
    """世帯全員の転入 from another platform municipality: its notices confirmed together."""
    command = c.MoveInHouseholdFromTransfers(
        transfer_ids=body.transfer_ids, effective_date=body.effective_date,
        with_my_number_card=body.with_my_number_card,
        new_household=NewHousehold(**body.new_household.model_dump())
        if body.new_household else None,
        head_transfer_id=body.head_transfer_id, relationships=body.relationships)
    return await pipeline.run(command, handlers.move_in_household_from_transfers,
                              acting=acting, key=key,
                              fingerprint=("household-transfer-move-in",
                                           body.model_dump(mode="json")))


@router.post("/births", status_code=201, responses={201: Result})
async def birth(code: MunicipalityCode, body: BirthCreate, acting: Writer, pipeline: Pipeline,
                key: IdempotencyKey = None) -> JSONResponse:
    """出生."""
    command = c.RecordBirth(details=body.person.details(), household_id=body.household_id,
                            relationship=body.relationship,
                            confirmed_not_duplicate=body.confirm_not_duplicate)
    return await pipeline.run(command, handlers.record_birth, acting=acting, key=key,
                              fingerprint=("birth", body.model_dump(mode="json")))


@router.post("/ex-officio-entries", status_code=201, responses={201: Result})
async def enter_ex_officio(code: MunicipalityCode, body: ExOfficioEntry, acting: Writer,
                           pipeline: Pipeline, key: IdempotencyKey = None) -> JSONResponse:
    """職権記載."""
    command = c.EnterExOfficio(effective_date=body.effective_date,
                               details=body.person.details(),
                               placement=body.household.placement(),
                               confirmed_not_duplicate=body.confirm_not_duplicate)
    return await pipeline.run(command, handlers.enter_ex_officio, acting=acting, key=key,
                              fingerprint=("ex-officio", body.model_dump(mode="json")))


@router.post("/{resident_id}/move-out", responses={200: Result})
async def move_out(code: MunicipalityCode, resident_id: UUID, body: MoveOutCreate,
                   acting: Writer, pipeline: Pipeline, version: IfMatch,
                   key: IdempotencyKey = None) -> JSONResponse:
    """転出 (国内 or 国外); to a platform municipality it also issues the transfer notice."""
    command = c.MoveOut(resident_id=resident_id, expected_version=version,
                        effective_date=body.effective_date,
                        destination=body.destination.destination(),
                        new_head_id=body.new_head_id, relationships=body.relationships)
    return await pipeline.run(command, handlers.move_out, acting=acting, key=key,
                              fingerprint=(f"move-out/{resident_id}",
                                           body.model_dump(mode="json")))


@router.post("/{resident_id}/death", responses={200: Result})
async def death(code: MunicipalityCode, resident_id: UUID, body: DeathCreate, acting: Writer,
                pipeline: Pipeline, version: IfMatch, key: IdempotencyKey = None
                ) -> JSONResponse:
    """死亡."""
    command = c.RecordDeath(resident_id=resident_id, expected_version=version,
                            effective_date=body.effective_date, new_head_id=body.new_head_id,
                            relationships=body.relationships)
    return await pipeline.run(command, handlers.record_death, acting=acting, key=key,
                              fingerprint=(f"death/{resident_id}",
                                           body.model_dump(mode="json")))


@router.post("/{resident_id}/ex-officio-removal", responses={200: Result})
async def remove_ex_officio(code: MunicipalityCode, resident_id: UUID, body: RemovalCreate,
                            acting: Writer, pipeline: Pipeline, version: IfMatch,
                            key: IdempotencyKey = None) -> JSONResponse:
    """職権消除."""
    command = c.RemoveExOfficio(resident_id=resident_id, expected_version=version,
                                effective_date=body.effective_date,
                                new_head_id=body.new_head_id, relationships=body.relationships)
    return await pipeline.run(command, handlers.remove_ex_officio, acting=acting, key=key,
                              fingerprint=(f"removal/{resident_id}",
                                           body.model_dump(mode="json")))


@router.post("/{resident_id}/my-number", responses={200: Result})
async def set_my_number(code: MunicipalityCode, resident_id: UUID, body: MyNumberSet,
                        acting: Writer, pipeline: Pipeline, cipher: Cipher, version: IfMatch,
                        key: IdempotencyKey = None) -> JSONResponse:
    """個人番号変更: the number is encrypted at rest and never echoed back."""
    command = c.SetMyNumber(resident_id=resident_id, expected_version=version,
                            my_number=body.my_number, effective_date=body.effective_date,
                            may_know_holders=acting.has_scope("mynumber:read"))
    # The fingerprint holds a keyed hash, not the number itself.
    payload = {"n": cipher.lookup_hash(body.my_number).hex(), "d": str(body.effective_date)}
    return await pipeline.run(command, handlers.SetMyNumberHandler(cipher), acting=acting,
                              key=key, fingerprint=(f"my-number/{resident_id}", payload))


@router.post("/households/{household_id}/relocation", responses={200: Result})
async def relocate(code: MunicipalityCode, household_id: UUID, body: RelocationCreate,
                   acting: Writer, pipeline: Pipeline, version: IfMatch,
                   key: IdempotencyKey = None) -> JSONResponse:
    """転居: the household moves within the municipality."""
    command = c.MoveWithin(household_id=household_id, expected_version=version,
                           effective_date=body.effective_date, postal_code=body.postal_code,
                           address=body.address)
    return await pipeline.run(command, handlers.move_within, acting=acting, key=key,
                              fingerprint=(f"relocation/{household_id}",
                                           body.model_dump(mode="json")))


@router.post("/households/{household_id}/move-out", responses={200: Result})
async def move_out_household(code: MunicipalityCode, household_id: UUID,
                             body: HouseholdMoveOutCreate, acting: Writer, pipeline: Pipeline,
                             version: IfMatch, key: IdempotencyKey = None) -> JSONResponse:
    """世帯全員の転出 (or of the members named): all or none, one event and, to a platform
    municipality, one transfer notice per person."""
    command = c.MoveOutHousehold(
        household_id=household_id, expected_version=version,
        effective_date=body.effective_date, destination=body.destination.destination(),
        members=body.members, new_head_id=body.new_head_id, relationships=body.relationships)
    return await pipeline.run(command, handlers.move_out_household, acting=acting, key=key,
                              fingerprint=(f"household-move-out/{household_id}",
                                           body.model_dump(mode="json")))


@router.post("/households/{household_id}/household-change", responses={200: Result})
async def change_household(code: MunicipalityCode, household_id: UUID,
                           body: HouseholdChangeCreate, acting: Writer, pipeline: Pipeline,
                           version: IfMatch, key: IdempotencyKey = None) -> JSONResponse:
    """世帯変更: a resident leaves their household and joins this one (If-Match: this
    household's ETag)."""
    command = c.ChangeHousehold(
        household_id=household_id, expected_version=version,
        effective_date=body.effective_date, resident_id=body.resident_id,
        relationship=body.relationship, new_head_id=body.new_head_id,
        relationships=body.relationships)
    return await pipeline.run(command, handlers.change_household, acting=acting, key=key,
                              fingerprint=(f"household-change/{household_id}",
                                           body.model_dump(mode="json")))


@router.post("/households/{household_id}/split", responses={200: Result})
async def split(code: MunicipalityCode, household_id: UUID, body: SplitCreate, acting: Writer,
                pipeline: Pipeline, version: IfMatch, key: IdempotencyKey = None
                ) -> JSONResponse:
    """世帯分離."""
    command = c.SplitHousehold(
        household_id=household_id, expected_version=version,
        effective_date=body.effective_date, members=body.members,
        new_head_id=body.new_head_id, relationships=body.relationships,
        remaining_head_id=body.remaining_head_id,
        remaining_relationships=body.remaining_relationships, postal_code=body.postal_code,
        address=body.address)
    return await pipeline.run(command, handlers.split_household, acting=acting, key=key,
                              fingerprint=(f"split/{household_id}",
                                           body.model_dump(mode="json")))


@router.post("/households/{household_id}/merge", responses={200: Result})
async def merge(code: MunicipalityCode, household_id: UUID, body: MergeCreate, acting: Writer,
                pipeline: Pipeline, version: IfMatch, key: IdempotencyKey = None
                ) -> JSONResponse:
    """世帯合併."""
    command = c.MergeHouseholds(household_id=household_id, expected_version=version,
                                other_household_id=body.other_household_id,
                                effective_date=body.effective_date,
                                relationships=body.relationships)
    return await pipeline.run(command, handlers.merge_households, acting=acting, key=key,
                              fingerprint=(f"merge/{household_id}",
                                           body.model_dump(mode="json")))


@router.post("/households/{household_id}/head-change", responses={200: Result})
async def change_head(code: MunicipalityCode, household_id: UUID, body: HeadChangeCreate,
                      acting: Writer, pipeline: Pipeline, version: IfMatch,
                      key: IdempotencyKey = None) -> JSONResponse:
    """世帯主変更."""
    command = c.ChangeHead(household_id=household_id, expected_version=version,
                           effective_date=body.effective_date, new_head_id=body.new_head_id,
                           relationships=body.relationships)
    return await pipeline.run(command, handlers.change_head, acting=acting, key=key,
                              fingerprint=(f"head-change/{household_id}",
                                           body.model_dump(mode="json")))
