"""被災住家台帳 over HTTP: houses, who lives there, and their surveys."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from kyodo_common.audit import record_acting
from kyodo_common.errors import InvalidInput
from kyodo_common.paging import DEFAULT_LIMIT, Cursor, Keyset, Limit, Page
from kyodo_common.web import IdempotencyKey, IfMatch, MunicipalityCode, Purpose, etag
from kyodo_disaster.adapters.houses import history, house_from_row, houses_of
from kyodo_disaster.adapters.residents import occupants_at, residents_by_id
from kyodo_disaster.adapters.stores import SqlDisasters, SqlHouses
from kyodo_disaster.api.deps import Db, Handlers, Pipeline, Reader, Writer
from kyodo_disaster.api.schemas.houses import (
    HouseCreate,
    HousePage,
    HousePublic,
    OccupantsSet,
    SurveyCreate,
)
from kyodo_disaster.api.schemas.ledger import OccupantSearch, Person
from kyodo_disaster.domain.actor import Actor
from kyodo_disaster.domain.addresses import Area, address_key
from kyodo_disaster.service_layer import handlers
from kyodo_disaster.service_layer.commands import RecordSurvey, RegisterHouse, SetOccupants
from kyodo_disaster.service_layer.common import disaster_or_404, house_or_404
from kyodo_disaster.service_layer.houses import OUTSIDE_AREA
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
                    acting: Writer, pipeline: Pipeline, key: IdempotencyKey = None
                    ) -> JSONResponse:
    """The house enters the ledger with the residents registered at its address."""
    command = RegisterHouse(actor=Actor.of(acting), disaster_id=disaster_id,
                            postal_code=_postal(body.postal_code), address=body.address)
    return await pipeline.run(command, handlers.add_house, acting=acting, key=key,
                              fingerprint=("disaster.add_house",
                                           [str(disaster_id), body.model_dump(mode="json")]))


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
        await record_acting(session, acting, action="house.listed", subject_type="house",
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
        await record_acting(session, acting, action="house.read", subject_type="house",
                            subject_ids=[str(house.id)], fields=["address", "occupants", "surveys"],
                            purpose=purpose)
    return JSONResponse(HousePublic.of(house, surveys).model_dump(mode="json"),
                        headers={"ETag": etag(house.version)})


@router.put("/houses/{house_id}/occupants", response_model=HousePublic)
async def put_occupants(code: MunicipalityCode, house_id: UUID, body: OccupantsSet,
                        acting: Writer, pipeline: Pipeline, expected: IfMatch) -> JSONResponse:
    """Corrects who lived in the house (If-Match)."""
    command = SetOccupants(actor=Actor.of(acting), house_id=house_id,
                           expected_version=expected, resident_ids=body.resident_ids)
    return await pipeline.update(command, handlers.correct_occupants, acting=acting)


@router.post("/houses/{house_id}/surveys", status_code=201, response_model=HousePublic)
async def add_survey(code: MunicipalityCode, house_id: UUID, body: SurveyCreate,
                     acting: Writer, pipeline: Pipeline, bound: Handlers, expected: IfMatch,
                     key: IdempotencyKey = None) -> JSONResponse:
    """Records a survey (If-Match: the house as read); a re-survey keeps the earlier ones."""
    command = RecordSurvey(actor=Actor.of(acting), house_id=house_id,
                           expected_version=expected, survey=body.survey())
    return await pipeline.run(command, bound.record_survey, acting=acting, key=key,
                              fingerprint=("disaster.add_survey",
                                           [str(house_id), expected,
                                            body.model_dump(mode="json")]))


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
        await record_acting(session, acting, action="occupants.searched",
                            subject_type="resident", subject_ids=[str(i) for i in ids],
                            fields=["name", "birth_date", "household"], purpose=purpose)
    return Page(items=[Person.of(people[i]) for i in ids], next=next_cursor)
