"""Queries on the read models, in the shapes the certificate rules take."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_certificates.adapters.tables import (
    damage_assessments,
    declared_disasters,
    municipalities,
    resident_snapshots,
    tax_assessments,
)
from kyodo_certificates.domain.damage_report import DeclaredDisaster
from kyodo_certificates.domain.people import Municipality, Registered
from kyodo_certificates.upstream.disaster import DamageAssessed
from kyodo_certificates.upstream.tax import TaxAssessed
from kyodo_common.db.engine import raw_connection
from kyodo_jp.household_order import member_order

_SNAPSHOT = sa.select(resident_snapshots.c.state, resident_snapshots.c.previous_address)


async def resident(session: AsyncSession, resident_id: UUID) -> Registered | None:
    row = (await session.execute(
        _SNAPSHOT.where(resident_snapshots.c.resident_id == resident_id))).first()
    return Registered.from_state(row.state, previous_address=row.previous_address) \
        if row else None


# Every 住民票 reads this: on the transaction's own asyncpg connection, past SQLAlchemy's
# statement machinery and its span (about 0.2 ms of the API's CPU a statement); row-level
# security filters it as any other statement of the transaction.
_WITH_HOUSEHOLD = (
    "SELECT state, previous_address, resident_id, status FROM resident_snapshots "
    "WHERE resident_id = $1 OR (status = 'resident' AND household_id = "
    "(SELECT household_id FROM resident_snapshots WHERE resident_id = $1))")


def _json(value: Any) -> Any:
    """A jsonb column as asyncpg gives it: text, or decoded where SQLAlchemy set a codec."""
    return json.loads(value) if isinstance(value, str) else value


async def with_household(session: AsyncSession, resident_id: UUID
                         ) -> tuple[Registered | None, list[Registered]]:
    """The person and their household's current residents in certificate order: one query."""
    rows = await (await raw_connection(session)).fetch(_WITH_HOUSEHOLD, resident_id)
    person, members = None, []
    for row in rows:
        registered = Registered.from_state(_json(row["state"]),
                                           previous_address=row["previous_address"])
        if row["resident_id"] == resident_id:
            person = registered
        if row["status"] == "resident" and registered.household_id is not None:
            members.append(registered)
    return person, sorted(members, key=member_order)


async def household(session: AsyncSession, household_id: UUID) -> list[Registered]:
    """The household's current residents in certificate order (DOMAIN §3)."""
    rows = (await session.execute(_SNAPSHOT.where(
        resident_snapshots.c.household_id == household_id,
        resident_snapshots.c.status == "resident"))).all()
    members = [Registered.from_state(r.state, previous_address=r.previous_address)
               for r in rows]
    return sorted(members, key=member_order)


async def all_visible(session: AsyncSession, resident_ids: list[UUID]) -> bool:
    """Whether row-level security shows this caller every one of these residents (a person
    under 支援措置 is hidden from callers who may not see them)."""
    visible = (await session.execute(sa.select(sa.func.count()).where(
        resident_snapshots.c.resident_id.in_(resident_ids)))).scalar()
    return visible == len(set(resident_ids))


async def household_has_protected_member(session: AsyncSession, household_id: UUID) -> bool:
    """Whether a current member is under 支援措置, including one this caller may not see."""
    return bool((await session.execute(sa.select(
        sa.func.household_has_protected_member(household_id)))).scalar())


def _configured(code: str, name: str, prefecture: str, config: Mapping[str, Any]
                ) -> Municipality:
    """From the tenant configuration identity published (TenantConfig, as JSON): events from
    before a setting existed leave its default (元年; 罹災証明書 and 被災証明書 free)."""
    return Municipality(code=code, name=name, prefecture=prefecture,
                        mayor_name=config.get("mayor_name"),
                        certificate_fee_yen=int(config.get("certificate_fee_yen", 300)),
                        fees_yen={str(k): int(v) for k, v in
                                  (config.get("certificate_fees_yen") or {}).items()},
                        gannen=bool(config.get("gannen", True)))


async def municipality(session: AsyncSession, code: str) -> Municipality | None:
    row = (await session.execute(sa.select(municipalities).where(
        municipalities.c.municipality_code == code))).first()
    if row is None:  # identity's MunicipalityConfigured has not arrived (issuing: a 409)
        return None
    return _configured(code, row.name, row.prefecture, row.config)


async def tax_assessment(session: AsyncSession, resident_id: UUID,
                         fiscal_year: int) -> TaxAssessed | None:
    row = (await session.execute(
        sa.select(tax_assessments.c.facts).where(
            tax_assessments.c.resident_id == resident_id,
            tax_assessments.c.fiscal_year == fiscal_year)
        # the person's own assessment, once there is one, over a ＊ record as a dependant
        .order_by(tax_assessments.c.dependant_of.is_(None).desc(),
                  tax_assessments.c.version.desc()).limit(1))).first()
    return TaxAssessed.model_validate(row.facts) if row else None


async def damage_assessment(session: AsyncSession, assessment_id: UUID) -> DamageAssessed | None:
    row = (await session.execute(sa.select(damage_assessments.c.facts).where(
        damage_assessments.c.assessment_id == assessment_id))).first()
    return DamageAssessed.model_validate(row.facts) if row else None


async def declared_disaster(session: AsyncSession, disaster_id: UUID) -> DeclaredDisaster | None:
    d = declared_disasters.c
    row = (await session.execute(sa.select(
        d.disaster_id, d.name, d.occurred_on, d.application_opens_on, d.application_closes_on,
    ).where(d.disaster_id == disaster_id))).first()
    return DeclaredDisaster(str(row.disaster_id), row.name, row.occurred_on,
                            row.application_opens_on, row.application_closes_on) if row else None
