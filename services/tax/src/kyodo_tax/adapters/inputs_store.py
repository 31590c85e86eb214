"""Loading what many persons' assessments need in three statements per chunk."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from functools import cache, lru_cache, partial
from uuid import UUID

import asyncpg

from kyodo_common.db.rls import in_force_today
from kyodo_tax.adapters.tables import DEPENDANT_COLUMNS
from kyodo_tax.domain.ages import assessment_date
from kyodo_tax.domain.facts import Dependants, Disability, Spouse, Widowhood
from kyodo_tax.domain.inputs import Declaration, FiledReport, Household
from kyodo_tax.domain.instalments import CollectionPlan, Instalment, Method, SwitchReason
from kyodo_tax.domain.residence import DependantOnJanuaryFirst
from kyodo_tax.domain.versions import PreviousAssessment

# The household as one text value ("general,none,none,f,1,0,…"): one value to decode per row
# instead of twelve, and the key of a cache of Household objects (they repeat).
_FACTS = ("concat_ws(',', spouse, disability, widowhood, working_student::text, "
          + ", ".join(DEPENDANT_COLUMNS) + ") AS household")
_REPORTS = f"""
    SELECT platform_person_id, employer_number, salary_income, social_insurance,
           other_deductions, collection, left_on, {_FACTS}
    FROM salary_reports
    WHERE fiscal_year = $1 AND superseded_by IS NULL AND platform_person_id = ANY($2::uuid[])
"""  # noqa: S608 - column names are constants
_DECLARATIONS = f"""
    SELECT DISTINCT ON (platform_person_id) platform_person_id, version, salary_revenue,
           pension_revenue, other_income, social_insurance, other_deductions,
           dependant_persons, {_FACTS}
    FROM declarations
    WHERE fiscal_year = $1 AND platform_person_id = ANY($2::uuid[])
    ORDER BY platform_person_id, version DESC
"""  # noqa: S608
_PREVIOUS = """
    SELECT DISTINCT ON (platform_person_id) platform_person_id, id, version, inputs_hash, total,
           collection, instalments::text AS instalments, switched_on, switch_reason
    FROM assessments
    WHERE fiscal_year = $1 AND platform_person_id = ANY($2::uuid[])
    ORDER BY platform_person_id, version DESC
"""

# The declared spouses and dependants resident here at the end of 1 January (the bulk job's
# rule, per record then per person), and whether each filed anything of their own. Never a
# person under 支援措置 today: the event is keyed by the supporter, who may be the very person
# they are protected from, and it would carry their address.
_DEPENDANTS = f"""
    SELECT r.platform_person_id, r.resident_id, r.postal_code, r.address,
           EXISTS (SELECT 1 FROM salary_reports s WHERE s.fiscal_year = $1
                   AND s.superseded_by IS NULL AND s.platform_person_id = r.platform_person_id)
           OR EXISTS (SELECT 1 FROM declarations d WHERE d.fiscal_year = $1
                      AND d.platform_person_id = r.platform_person_id) AS declared
    FROM (
        SELECT DISTINCT ON (platform_person_id) *
        FROM (
            SELECT DISTINCT ON (resident_id) resident_id, platform_person_id, status,
                   postal_code, address, effective_date, version
            FROM register_history
            WHERE effective_date <= $2 AND platform_person_id = ANY($3::uuid[])
            ORDER BY resident_id, effective_date DESC, version DESC
        ) per_record
        WHERE status = 'resident'
        ORDER BY platform_person_id, effective_date DESC, version DESC
    ) r
    WHERE NOT EXISTS (SELECT 1 FROM protected_people p
                      WHERE p.platform_person_id = r.platform_person_id
                      AND {in_force_today("p.protected_from", "p.protected_until")})
"""  # noqa: S608 - constants

_SPOUSE = {s.value: s for s in Spouse}
_DISABILITY = {d.value: d for d in Disability}
_WIDOWHOOD = {w.value: w for w in Widowhood}
_METHOD = {m.value: m for m in Method}
_NO_DEPENDANTS = (0,) * len(DEPENDANT_COLUMNS)


@lru_cache(maxsize=4096)
def household_of(packed: str) -> Household:
    """Households repeat (most are one of a few hundred shapes): one immutable object each."""
    spouse, disability, widowhood, student, *counts = packed.split(",")
    numbers = tuple(int(c) for c in counts)
    return Household(
        spouse=_SPOUSE[spouse],
        dependants=Dependants() if numbers == _NO_DEPENDANTS else Dependants(*numbers),
        disability=_DISABILITY[disability], widowhood=_WIDOWHOOD[widowhood],
        working_student=student in ("true", "t"),
    )


async def reports_of(conn: asyncpg.Connection, fiscal_year: int,
                     persons: Sequence[UUID]) -> dict[UUID, list[FiledReport]]:
    found: dict[UUID, list[FiledReport]] = {}
    for row in await conn.fetch(_REPORTS, fiscal_year, persons):
        found.setdefault(row["platform_person_id"], []).append(FiledReport(
            employer_number=row["employer_number"], salary_income=row["salary_income"],
            social_insurance=row["social_insurance"], other_deductions=row["other_deductions"],
            household=household_of(row["household"]), collection=_METHOD[row["collection"]],
            left_on=row["left_on"]))
    return found


async def declarations_of(conn: asyncpg.Connection, fiscal_year: int,
                          persons: Sequence[UUID]) -> dict[UUID, Declaration]:
    return {row["platform_person_id"]: Declaration(
        version=row["version"], salary_revenue=row["salary_revenue"],
        pension_revenue=row["pension_revenue"], other_income=row["other_income"],
        social_insurance=row["social_insurance"], other_deductions=row["other_deductions"],
        household=household_of(row["household"]),
        dependant_persons=tuple(row["dependant_persons"]))
        for row in await conn.fetch(_DECLARATIONS, fiscal_year, persons)}


async def dependants_on_january_first(conn: asyncpg.Connection, fiscal_year: int,
                                      persons: Sequence[UUID]
                                      ) -> dict[UUID, DependantOnJanuaryFirst]:
    rows = await conn.fetch(_DEPENDANTS, fiscal_year, assessment_date(fiscal_year), persons)
    return {row["platform_person_id"]: DependantOnJanuaryFirst(*row) for row in rows}


def plan_from_json(text: str, switched_on: date | None,
                   switch_reason: str | None) -> CollectionPlan:
    items = json.loads(text)
    return CollectionPlan.of(
        [Instalment(i["year"], i["month"], i["amount"], _METHOD[i["method"]]) for i in items],
        switched_on, SwitchReason(switch_reason) if switch_reason else None)


@cache
def _template(periods: tuple[tuple[int, int], ...], methods: tuple[Method, ...]) -> str:
    return "[" + ",".join(
        f'{{{{"year":{y},"month":{m},"amount":{{}},"method":"{method.value}"}}}}'
        for (y, m), method in zip(periods, methods, strict=True)) + "]"


def plan_to_json(plan: CollectionPlan) -> str:
    """Written for every assessment of a bulk run: a cached template per calendar and method,
    filled with the amounts (a tenth of what json.dumps of the instalments costs)."""
    return _template(plan.periods, plan.methods).format(*plan.amounts)


async def previous_of(conn: asyncpg.Connection, fiscal_year: int,
                      persons: Sequence[UUID]) -> dict[UUID, PreviousAssessment]:
    return {row["platform_person_id"]: PreviousAssessment(
        id=row["id"], version=row["version"], inputs_hash=row["inputs_hash"],
        total=row["total"], collection=_METHOD[row["collection"]],
        plan_source=partial(plan_from_json, row["instalments"], row["switched_on"],
                            row["switch_reason"]))
        for row in await conn.fetch(_PREVIOUS, fiscal_year, persons)}
