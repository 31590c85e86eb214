"""Damaged houses and their surveys: loaded into the House aggregate, written in bulk."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Collection, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_disaster.adapters.arrays import any_of
from kyodo_disaster.adapters.tables import houses, surveys
from kyodo_disaster.domain.addresses import address_key
from kyodo_disaster.domain.grades import Grade
from kyodo_disaster.domain.house import House, SurveyRecord
from kyodo_disaster.domain.survey import Method, SurveyInput, SurveyKind


def house_from_row(row: sa.Row[Any]) -> House:
    m = row._mapping
    return House(id=m["id"], disaster_id=m["disaster_id"], postal_code=m["postal_code"],
                 address=m["address"], occupant_ids=list(m["occupant_ids"]),
                 version=m["version"], survey_version=m["survey_version"],
                 grade=Grade.from_code(m["grade"]) if m["grade"] else None,
                 damage_ratio=m["damage_ratio"], surveyed_on=m["surveyed_on"],
                 survey_kind=SurveyKind.parse(m["survey_kind"]) if m["survey_kind"] else None,
                 method=Method.parse(m["method"]) if m["method"] else None)


async def load_house(session: AsyncSession, house_id: uuid.UUID, *,
                     for_update: bool = False) -> House | None:
    query = sa.select(houses).where(houses.c.id == house_id)
    if for_update:
        query = query.with_for_update()
    row = (await session.execute(query)).first()
    return house_from_row(row) if row is not None else None


async def houses_by_id(session: AsyncSession, ids: Collection[uuid.UUID]
                       ) -> dict[uuid.UUID, House]:
    """These houses, locked for the change (in id order, so two jobs never deadlock)."""
    rows = (await session.execute(
        sa.select(houses).where(any_of(houses.c.id, ids)).order_by(houses.c.id)
        .with_for_update())).all()
    return {row.id: house_from_row(row) for row in rows}


async def houses_at(session: AsyncSession, disaster_id: uuid.UUID,
                    keys: Collection[str]) -> dict[str, House]:
    """The disaster's houses at these address keys, locked for the change."""
    if not keys:
        return {}
    rows = (await session.execute(
        sa.select(houses).where(houses.c.disaster_id == disaster_id,
                                any_of(houses.c.address_key, keys, "text"))
        .order_by(houses.c.id).with_for_update())).all()
    return {row.address_key: house_from_row(row) for row in rows}


async def insert_houses(session: AsyncSession, new: Sequence[House], *, code: str) -> None:
    if new:
        await session.execute(sa.insert(houses), [{
            "id": h.id, "municipality_code": code, "disaster_id": h.disaster_id,
            "postal_code": h.postal_code, "address": h.address,
            "address_key": address_key(h.address), "occupant_ids": h.occupant_ids,
            "survey_version": 0, "version": h.version} for h in new])


async def save_houses(session: AsyncSession, changed: Sequence[House]) -> None:
    if not changed:
        return
    await session.execute(
        sa.update(houses).where(houses.c.id == sa.bindparam("b_id")).values(
            version=sa.bindparam("b_version"), survey_version=sa.bindparam("b_survey_version"),
            grade=sa.bindparam("b_grade"), damage_ratio=sa.bindparam("b_damage_ratio"),
            surveyed_on=sa.bindparam("b_surveyed_on"), survey_kind=sa.bindparam("b_kind"),
            method=sa.bindparam("b_method"), occupant_ids=sa.bindparam("b_occupants")),
        [{"b_id": h.id, "b_version": h.version, "b_survey_version": h.survey_version,
          "b_grade": h.grade.code if h.grade else None, "b_damage_ratio": h.damage_ratio,
          "b_surveyed_on": h.surveyed_on, "b_kind": h.survey_kind.code if h.survey_kind else None,
          "b_method": h.method.code if h.method else None, "b_occupants": h.occupant_ids}
         for h in changed])


def fingerprint(address: str, survey: SurveyInput) -> str:
    """What a re-imported row must match to count as the survey already recorded."""
    facts = [address_key(address), survey.kind.code, survey.method.code,
             str(survey.damage_ratio), survey.surveyed_on.isoformat(), survey.applicant_agrees,
             survey.appeal_reason or "",
             [[p.file_name, p.taken_at.isoformat(), p.sha256] for p in survey.photos]]
    return hashlib.sha256(json.dumps(facts, ensure_ascii=False).encode()).hexdigest()


async def insert_surveys(session: AsyncSession, records: Sequence[tuple[SurveyRecord, str]],
                         *, code: str, disaster_id: uuid.UUID) -> None:
    if records:
        await session.execute(sa.insert(surveys), [{
            "id": r.id, "municipality_code": code, "disaster_id": disaster_id,
            "house_id": r.house_id, "version": r.version, "kind": r.input.kind.code,
            "method": r.input.method.code, "damage_ratio": r.input.damage_ratio,
            "grade": r.grade.code, "surveyed_on": r.input.surveyed_on, "surveyor": r.surveyor,
            "surveyor_home": r.surveyor_home, "grant_id": r.grant_id,
            "survey_ref": r.input.survey_ref, "appeal_reason": r.input.appeal_reason,
            "applicant_agrees": r.input.applicant_agrees,
            "photos": [{"file_name": p.file_name, "taken_at": p.taken_at.isoformat(),
                        "sha256": p.sha256} for p in r.input.photos],
            "fingerprint": print_} for r, print_ in records])


async def recorded_refs(session: AsyncSession, disaster_id: uuid.UUID,
                        refs: Collection[str]) -> dict[str, str]:
    """survey_ref → fingerprint of the surveys already recorded under these references."""
    if not refs:
        return {}
    rows = (await session.execute(
        sa.select(surveys.c.survey_ref, surveys.c.fingerprint)
        .where(surveys.c.disaster_id == disaster_id, any_of(surveys.c.survey_ref, refs, "text")))
    ).all()
    return {ref: print_ for ref, print_ in rows}


async def history(session: AsyncSession, house_id: uuid.UUID) -> list[sa.Row[Any]]:
    return list((await session.execute(
        sa.select(surveys).where(surveys.c.house_id == house_id)
        .order_by(surveys.c.version))).all())


async def surveyed_houses(session: AsyncSession, disaster_id: uuid.UUID, *,
                          after: uuid.UUID | None, limit: int) -> list[House]:
    """The disaster's surveyed houses in id order, after a previous page's last."""
    query = sa.select(houses).where(houses.c.disaster_id == disaster_id,
                                    houses.c.survey_version > 0)
    if after is not None:
        query = query.where(houses.c.id > after)
    rows = (await session.execute(query.order_by(houses.c.id).limit(limit))).all()
    return [house_from_row(r) for r in rows]


async def houses_of(session: AsyncSession, disaster_id: uuid.UUID, *,
                    after: uuid.UUID | None, limit: int) -> list[Any]:
    """The disaster's houses in id order, after a previous page's last."""
    query = sa.select(houses).where(houses.c.disaster_id == disaster_id)
    if after is not None:
        query = query.where(houses.c.id > after)
    return list((await session.execute(query.order_by(houses.c.id).limit(limit))).all())
