"""被災者台帳 over HTTP: households of the surveyed houses and their support payments."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from kyodo_common.audit import record_acting
from kyodo_common.errors import InvalidInput
from kyodo_common.paging import DEFAULT_LIMIT, Cursor, Keyset, Limit
from kyodo_common.web import MunicipalityCode, Purpose
from kyodo_disaster.adapters.stores import SqlReads
from kyodo_disaster.api.deps import Context, Db, Reader
from kyodo_disaster.api.schemas.houses import GradeOut
from kyodo_disaster.api.schemas.ledger import LedgerEntryPublic, LedgerPage, Person, SupportOut
from kyodo_disaster.domain.support import UNDECIDED, rebuilding_methods
from kyodo_disaster.service_layer.common import disaster_or_404
from kyodo_disaster.service_layer.victims import LedgerEntry, victims_ledger

router = APIRouter(prefix="/v1/municipalities/{code}/disaster", tags=["victims"])
HOUSES_BY_ID = Keyset("disaster.victims", (UUID,))
Method = Annotated[str, Query(description="再建方法: undecided, build (建設・購入), repair, rent")]


@router.get("/disasters/{disaster_id}/victims", response_model=LedgerPage)
async def victims(code: MunicipalityCode, disaster_id: UUID, acting: Reader, purpose: Purpose,
                  db: Db, context: Context, rebuilding_method: Method = UNDECIDED,
                  limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> LedgerPage:
    """One entry per household of each surveyed house, with the 被災者生活再建支援金 its
    grade gives (基礎支援金, and 加算支援金 for the rebuilding method asked about)."""
    if rebuilding_method not in rebuilding_methods(context.rules.support):
        raise InvalidInput("rebuilding_method",
                           f"one of {', '.join(rebuilding_methods(context.rules.support))}")
    async with db.tenant_transaction(code) as session:
        reads = SqlReads(session)
        await disaster_or_404(reads.disasters, disaster_id)
        after = HOUSES_BY_ID.decode(cursor)
        entries, next_after = await victims_ledger(
            houses=reads.houses, residents=reads.residents, disaster_id=disaster_id,
            context=context,
            rebuilding_method=rebuilding_method, after=after[0] if after else None,
            limit=limit)
        await record_acting(session, acting, action="victims.read", subject_type="resident",
                            subject_ids=[str(m.resident_id) for e in entries
                                         for m in e.household.members],
                            fields=["name", "birth_date", "household", "grade", "support"],
                            purpose=purpose)
    return LedgerPage(items=[_public(e, rebuilding_method) for e in entries],
                      next=HOUSES_BY_ID.encode(next_after) if next_after else None)


def _public(entry: LedgerEntry, method: str) -> LedgerEntryPublic:
    house, household, support = entry.house, entry.household, entry.support
    return LedgerEntryPublic(
        house_id=house.id, address=house.address, grade=GradeOut.of(house.grade),
        survey_version=house.survey_version, surveyed_on=house.surveyed_on,
        household_id=household.household_id, household_size=household.household_size,
        head_resident_id=household.head_resident_id,
        members=[Person.of(m) for m in household.members],
        support=SupportOut(eligible=support.eligible, rebuilding_method=method,
                           base=support.base, additional=support.additional,
                           total=support.total, unverified_rules=list(support.unverified_rules)))
