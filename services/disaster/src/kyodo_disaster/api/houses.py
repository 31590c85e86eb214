"""被災住家台帳 over HTTP: houses, who lives there, and their surveys."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from kyodo_common.clock import today_in_japan
from kyodo_common.db import UnitOfWork
from kyodo_common.errors import InvalidInput
from kyodo_common.paging import DEFAULT_LIMIT, Cursor, Keyset, Limit, Page
from kyodo_common.web import IdempotencyKey, IfMatch, MunicipalityCode, Purpose, etag
from kyodo_disaster.adapters.audit import Actor, record
from kyodo_disaster.adapters.houses import history, house_from_row, houses_of
from kyodo_disaster.adapters.residents import occupants_at, residents_by_id
from kyodo_disaster.adapters.stores import SqlDisasters, SqlHouses, SqlStores
from kyodo_disaster.api.deps import (
    Context,
    Db,
    Reader,
    Reply,
    Writer,
    idempotent,
)
from kyodo_disaster.api.schemas.houses import (
    HouseCreate,
    HousePage,
    HousePublic,
    OccupantsSet,
    SurveyCreate,
)
from kyodo_disaster.api.schemas.ledger import OccupantSearch, Person
from kyodo_disaster.domain.addresses import Area, address_key
from kyodo_disaster.service_layer.common import disaster_or_404, house_or_404
from kyodo_disaster.service_layer.context import SOURCE
from kyodo_disaster.service_layer.houses import OUTSIDE_AREA, register_house, set_occupants
from kyodo_disaster.service_layer.surveys import record_survey
from kyodo_jp.postal import InvalidPostalCode, parse_postal_code

PREFIX = "/v1/municipalities/{code}/disaster"
router = APIRouter(prefix=PREFIX, tags=["houses"])
HOUSES_BY_ID = Keyset("disaster.houses", (UUID,))
OCCUPANTS_BY_ID = Keyset("disaster.occupants", (UUID,))


def _house_location(code: str, house_id: object) -> str:
    return f"/v1/municipalities/{code}/disaster/houses/{house_id}"


def _postal(value: str) -> str:
    try:
        return parse_postal_code(value)
    except InvalidPostalCode:
        raise InvalidInput("postal_code", "a postal code has 7 digits (999-9999)") from None


@router.post("/disasters/{disaster_id}/houses", status_code=201, response_model=HousePublic)
async def add_house(code: MunicipalityCode, disaster_id: UUID, body: HouseCreate,
                    acting: Writer, db: Db, key: IdempotencyKey = None) -> JSONResponse:
    """The house enters the ledger with the residents registered at its address."""

    async def action(uow: UnitOfWork) -> Reply:
        stores = SqlStores(uow)
        disaster = await disaster_or_404(stores.disasters, disaster_id, for_update=True)
        house = await register_house(stores, actor=Actor.of(acting), disaster=disaster,
                                     postal_code=_postal(body.postal_code),
                                     address=body.address)
        return 201, HousePublic.of(house).model_dump(mode="json"), {
            "ETag": etag(house.version), "Location": _house_location(code, house.id)}

    return await idempotent(db=db, code=code, caller=acting.principal, key=key,
                            route="disaster.add_house",
                            payload=[str(disaster_id), body.model_dump(mode="json")],
                            action=action, location=lambda b: _house_location(code, b["id"]))


@router.get("/disasters/{disaster_id}/houses", response_model=HousePage)
async def list_houses(code: MunicipalityCode, disaster_id: UUID, acting: Reader,
                      purpose: Purpose, db: Db, limit: Limit = DEFAULT_LIMIT,
                      cursor: Cursor = None) -> HousePage:
    """The ledger's houses in id order (keyset pages)."""
    after = HOUSES_BY_ID.decode(cursor)
    async with db.tenant_transaction(code) as session:
        await disaster_or_404(SqlDisasters(session), disaster_id)
        rows = await houses_of(session, disaster_id, after=after[0] if after else None,
                               limit=limit + 1)
        shown, next_cursor = HOUSES_BY_ID.page(rows, limit, key=lambda r: (r.id,))
        page = [house_from_row(r) for r in shown]
        await record(session, Actor.of(acting), action="house.listed", subject_type="house",
                     subject_ids=[str(h.id) for h in page], fields=["address", "occupants"],
                     purpose=purpose)
    return HousePage(items=[HousePublic.of(h) for h in page], next=next_cursor)


@router.get("/houses/{house_id}", response_model=HousePublic)
async def get_house(code: MunicipalityCode, house_id: UUID, acting: Reader, purpose: Purpose,
                    db: Db) -> JSONResponse:
    """The house with its whole survey history (一次調査, then each 二次調査)."""
    async with db.tenant_transaction(code) as session:
        house = await house_or_404(SqlHouses(session), house_id)
        surveys = await history(session, house_id)
        await record(session, Actor.of(acting), action="house.read", subject_type="house",
                     subject_ids=[str(house.id)], fields=["address", "occupants", "surveys"],
                     purpose=purpose)
    return JSONResponse(HousePublic.of(house, surveys).model_dump(mode="json"),
                        headers={"ETag": etag(house.version)})


@router.put("/houses/{house_id}/occupants", response_model=HousePublic)
async def put_occupants(code: MunicipalityCode, house_id: UUID, body: OccupantsSet,
                        acting: Writer, db: Db, expected: IfMatch) -> JSONResponse:
    """Corrects who lived in the house (If-Match)."""
    async with UnitOfWork(db, source=SOURCE, municipality_code=code) as uow:
        house = await set_occupants(SqlStores(uow), actor=Actor.of(acting), house_id=house_id,
                                    expected_version=expected, resident_ids=body.resident_ids)
        await uow.commit()
    return JSONResponse(HousePublic.of(house).model_dump(mode="json"),
                        headers={"ETag": etag(house.version)})


@router.post("/houses/{house_id}/surveys", status_code=201, response_model=HousePublic)
async def add_survey(code: MunicipalityCode, house_id: UUID, body: SurveyCreate,
                     acting: Writer, db: Db, context: Context, expected: IfMatch,
                     key: IdempotencyKey = None) -> JSONResponse:
    """Records a survey (If-Match: the house as read); a re-survey keeps the earlier ones."""

    async def action(uow: UnitOfWork) -> Reply:
        house, _ = await record_survey(SqlStores(uow), actor=Actor.of(acting), house_id=house_id,
                                       expected_version=expected, survey=body.survey(),
                                       context=context, today=today_in_japan())
        surveys = await history(uow.session, house_id)
        return 201, HousePublic.of(house, surveys).model_dump(mode="json"), {
            "ETag": etag(house.version)}

    return await idempotent(db=db, code=code, caller=acting.principal, key=key,
                            route="disaster.add_survey",
                            payload=[str(house_id), expected, body.model_dump(mode="json")],
                            action=action)


@router.post("/disasters/{disaster_id}/occupants/search", response_model=Page[Person])
async def search_occupants(code: MunicipalityCode, disaster_id: UUID, body: OccupantSearch,
                           acting: Reader, purpose: Purpose, db: Db) -> Page[Person]:
    """Residents registered at an address inside the affected area, and nowhere else: the
    lookup a support grant lends stops at the disaster's area. In resident id order."""
    after = OCCUPANTS_BY_ID.decode(body.cursor)
    postal_code = _postal(body.postal_code)
    async with db.tenant_transaction(code) as session:
        disaster = await disaster_or_404(SqlDisasters(session), disaster_id)
        if not Area(disaster.affected_area).contains(postal_code=postal_code,
                                                     address=body.address):
            raise InvalidInput("address", OUTSIDE_AREA)
        key = address_key(body.address)
        # The people of one address: few, so the keyset pages the list in memory.
        ids, next_cursor = OCCUPANTS_BY_ID.page(
            [i for i in sorted((await occupants_at(session, [key])).get(key, []))
             if after is None or i > after[0]], body.limit, key=lambda i: (i,))
        people = await residents_by_id(session, ids)
        await record(session, Actor.of(acting), action="occupants.searched",
                     subject_type="resident", subject_ids=[str(i) for i in ids],
                     fields=["name", "birth_date", "household"], purpose=purpose)
    return Page(items=[Person.of(people[i]) for i in ids], next=next_cursor)
