"""Reading the register: now or as of a date, households, search (reads are access-logged)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from kyodo_residents_events import ResidentState

from kyodo_common.clock import today_in_japan
from kyodo_common.errors import NotFound
from kyodo_common.paging import Keyset
from kyodo_common.privacy import sees_protected
from kyodo_common.web import MunicipalityCode, Purpose, etag
from kyodo_jp.kana import SEPARATOR as KANA_SEPARATOR
from kyodo_residents.adapters.repository import (
    household_from_row,
    person_from_row,
    state_of,
)
from kyodo_residents.adapters.views import RegisterViews
from kyodo_residents.api.deps import Cipher, Db, MyNumberReader, Reader
from kyodo_residents.api.schemas import (
    HouseholdPublic,
    ResidentPublic,
    SearchHit,
    SearchPage,
    SearchQuery,
)
from kyodo_residents.domain.model import in_force
from kyodo_residents.domain.names import normalize_kana

router = APIRouter(prefix="/v1/municipalities/{code}/residents", tags=["register"])
BY_KANA = Keyset("residents.search", (str, UUID))
AsOf = Query(default=None, description="the register as it stood at the end of that day")


@router.get("/households/{household_id}", response_model=HouseholdPublic)
async def household(code: MunicipalityCode, household_id: UUID, acting: Reader,
                    purpose: Purpose, db: Db, as_of: date | None = AsOf) -> JSONResponse:
    """世帯: the household and its members in certificate order, now or as of a date."""
    async with db.tenant_transaction(code) as session:
        views = RegisterViews(session)
        row = await views.household(household_id)
        if row is None:
            raise NotFound("household")
        current = household_from_row(row)
        if as_of is None:
            current.members = await views.current_members(household_id)
            today = today_in_japan()
            states = [state_of(m, current.household_number, today=today)
                      for m in current.ordered_members()]
            body = _household_body(current.__dict__, states)
        else:
            states = await views.members_as_of(household_id, as_of)
            past = await views.household_as_of(household_id, as_of)
            if past is None:
                raise NotFound("household on that date")
            body = _household_body(past, states)
        if not states and body["dissolved_on"] is None and not sees_protected():
            # Row-level security left out every member of a household that has members: one of
            # protected people only (支援措置), whose address is theirs.
            raise NotFound("household")
        today = today_in_japan()
        await views.log_reads(acting, code, purpose, [s.resident_id for s in states],
                        ["household"], protected={s.resident_id for s in states
                                                  if _in_force(s, today)})
    return JSONResponse(body, headers={"ETag": etag(body["version"])})


def _in_force(state: ResidentState, day: date) -> bool:
    return in_force(state.protected_from, state.protected_until, day)


def _household_body(values: dict[str, Any], states: list[ResidentState]) -> dict[str, Any]:
    public = HouseholdPublic.model_validate({**{k: values[k] for k in (
        "id", "household_number", "head_id", "postal_code", "address", "formed_on",
        "dissolved_on", "version")}, "members": states})
    return public.model_dump(mode="json")


@router.post("/search", response_model=SearchPage)
async def search(code: MunicipalityCode, query: SearchQuery, acting: Reader, purpose: Purpose,
                 db: Db) -> SearchPage:
    """Search by フリガナ prefix, 氏名 prefix (kanji as registered), birth date, address or
    宛名番号 (all given must match); keyset pages in フリガナ order."""
    # kana_full joins the readings with an ASCII space; normalize_kana makes it full-width.
    prefix = normalize_kana(query.kana_prefix).replace(KANA_SEPARATOR, " ") \
        if query.kana_prefix else None
    async with db.tenant_transaction(code) as session:
        views = RegisterViews(session)
        rows = await views.search(
            municipality_code=code, kana_prefix=prefix, name_prefix=query.name,
            birth_date=query.birth_date,
            address_contains=query.address_contains, resident_number=query.resident_number,
            include_former=query.include_former, after=BY_KANA.decode(query.cursor),
            limit=query.limit + 1)
        page, next_cursor = BY_KANA.page(rows, query.limit, key=lambda r: (r.kana_full, r.id))
        # 支援措置: row-level security has left out the protected people this caller may not
        # see (kyodo_common.privacy); the ones it may see are marked.
        today = today_in_japan()
        hits = [SearchHit(**{f: getattr(r, f) for f in SearchHit.model_fields
                             if f != "protected"},
                          protected=in_force(r.protected_from, r.protected_until, today))
                for r in page]
        await views.log_reads(acting, code, purpose, [h.id for h in hits], ["search"],
                        protected={h.id for h in hits if h.protected})
    return SearchPage(items=hits, next=next_cursor)


@router.get("/{resident_id}", response_model=ResidentPublic)
async def read_resident(code: MunicipalityCode, resident_id: UUID, acting: Reader, purpose: Purpose,
               db: Db, as_of: date | None = AsOf) -> JSONResponse:
    """A resident now, or as registered at the end of a given day (the 1 January rule)."""
    async with db.tenant_transaction(code) as session:
        views = RegisterViews(session)
        if as_of is not None:
            state = await views.resident_as_of(resident_id, as_of)
            if state is None:
                raise NotFound("resident on that date")
            # Flagged by the measure in force now (the past state may predate it).
            now = await views.protection_now(resident_id)
            protected_now = now is not None and in_force(now.protected_from, now.protected_until,
                                                         today_in_japan())
            await views.log_reads(acting, code, purpose, [resident_id], ["register"],
                            protected={resident_id} if protected_now else set())
            return JSONResponse(state)
        row = await views.resident(resident_id)
        if row is None:
            raise NotFound("resident")
        protected = person_from_row(row).protected_on(today_in_japan())
        await views.log_reads(acting, code, purpose, [resident_id], ["register"],
                        protected={resident_id} if protected else set())
    public = ResidentPublic.from_row(row, protected=protected)
    return JSONResponse(public.model_dump(mode="json"), headers={"ETag": etag(public.version)})


@router.get("/{resident_id}/my-number")
async def read_my_number(code: MunicipalityCode, resident_id: UUID, acting: MyNumberReader,
                         purpose: Purpose, db: Db, cipher: Cipher) -> dict[str, str | None]:
    """個人番号: only with the mynumber:read scope and a stated purpose; always access-logged."""
    async with db.tenant_transaction(code) as session:
        views = RegisterViews(session)
        row = await views.my_number_cipher(resident_id)
        if row is None:
            raise NotFound("resident")
        await views.log_reads(acting, code, purpose, [resident_id], ["my_number"])
    number = cipher.decrypt(row.my_number_cipher, bound_to=str(resident_id)) \
        if row.my_number_cipher else None
    return {"my_number": number}
