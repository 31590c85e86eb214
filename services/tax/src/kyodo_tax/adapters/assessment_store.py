"""Writing assessments and their events: a binary COPY and one INSERT … SELECT per table and
chunk, in the unit of work's transaction.

The event payloads are built here as plain dicts rather than through the pydantic models:
at 280,000 events per bulk run the models' validation would be most of the run. A unit test
checks that both give the same JSON (test_tax_events.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import asyncpg
from kyodo_tax_events import TOPIC, TaxAssessed, TaxAssessmentCorrected

from kyodo_common.events.outbox import current_trace_headers
from kyodo_tax.adapters.ids import time_ordered_ids
from kyodo_tax.adapters.inputs_store import plan_to_json
from kyodo_tax.domain.residence import DependantOnJanuaryFirst, Taxpayer
from kyodo_tax.domain.versions import Outcome

RESULT_INTEGERS = (
    "salary_revenue", "salary_income", "pension_revenue", "pension_income", "other_income",
    "total_income", "deduction_basic", "deduction_social_insurance", "deduction_spouse",
    "deduction_dependants", "deduction_disability", "deduction_widowhood",
    "deduction_working_student", "deduction_other", "deductions_total", "taxable_base",
    "income_levy_municipal_gross", "income_levy_prefectural_gross", "personal_difference",
    "adjustment_credit_municipal", "adjustment_credit_prefectural", "income_levy_municipal",
    "income_levy_prefectural", "per_capita_municipal", "per_capita_prefectural",
    "forest_environment_tax", "household_size", "per_capita_limit", "income_levy_limit",
)
RESULT_FLAGS = ("personal_exemption", "per_capita_exempt", "income_levy_exempt",
                "designated_city")
COLUMNS = (
    "id", "municipality_code", "fiscal_year", "platform_person_id", "version", "resident_id",
    "resident_number", "january_first_postal_code", "january_first_address", "rules",
    "inputs_hash", "spouse", "dependants", "disability", "widowhood", "working_student",
    "minor", "aged_65_or_over", *RESULT_INTEGERS, *RESULT_FLAGS, "unverified_rules", "total",
    "previous_total", "difference", "collection", "instalments", "job_id", "assessed_on",
)
# COPY cannot write a table under row-level security, so each chunk is copied (binary) into a
# temporary table of the transaction and moved with one INSERT … SELECT, which RLS checks.
_STAGE = """
    CREATE TEMP TABLE IF NOT EXISTS staged_assessments
        (LIKE assessments INCLUDING DEFAULTS) ON COMMIT DELETE ROWS;
    CREATE TEMP TABLE IF NOT EXISTS staged_events
        (event_id uuid, key text, type text, data text) ON COMMIT DELETE ROWS;
"""
_MOVE_ASSESSMENTS = "INSERT INTO assessments SELECT * FROM staged_assessments"
_MOVE_EVENTS = """
    INSERT INTO outbox (event_id, municipality_code, topic, key, type, source, subject, time,
                        traceparent, tracestate, data)
    SELECT event_id, $1, $2, key, type, $3, key, $4, $5, $6, data::jsonb FROM staged_events
"""


@dataclass(frozen=True, slots=True)
class Assessed:
    """A new version ready to be written: who, the outcome, and its new id."""

    id: UUID
    taxpayer: Taxpayer
    outcome: Outcome
    # The declared spouse and dependants registered here on 1 January (the event carries them)
    dependants: tuple[DependantOnJanuaryFirst, ...] = ()


def event_data(item: Assessed, *, municipality_code: str, assessed_on: date) -> dict[str, Any]:
    """The JSON of TaxAssessed / TaxAssessmentCorrected (their model_dump(mode="json"))."""
    r, t, o = item.outcome.result, item.taxpayer, item.outcome
    d = o.facts.dependants
    data: dict[str, Any] = {
        "assessment_id": str(item.id), "municipality_code": municipality_code,
        "fiscal_year": r.fiscal_year, "version": o.version,
        "platform_person_id": str(t.platform_person_id), "resident_id": str(t.resident_id),
        "resident_number": t.resident_number, "january_first_address": t.address,
        "january_first_postal_code": t.postal_code,
        "amounts": {
            "salary_revenue": r.salary_revenue, "salary_income": r.salary_income,
            "pension_revenue": r.pension_revenue, "pension_income": r.pension_income,
            "other_income": r.other_income, "total_income": r.total_income,
            "deductions_total": r.deductions_total, "taxable_base": r.taxable_base,
            "income_levy_municipal": r.income_levy_municipal,
            "income_levy_prefectural": r.income_levy_prefectural,
            "per_capita_municipal": r.per_capita_municipal,
            "per_capita_prefectural": r.per_capita_prefectural,
            "forest_environment_tax": r.forest_environment_tax, "total": r.total,
            "non_taxable": r.non_taxable, "spouse": o.facts.spouse.value,
            "dependants": d.count, "dependants_under_16": d.under_16,
        },
        "assessed_on": assessed_on.isoformat(),
        "dependant_persons": [
            {"platform_person_id": str(p.platform_person_id), "resident_id": str(p.resident_id),
             "january_first_address": p.address, "january_first_postal_code": p.postal_code,
             "declared": p.declared} for p in item.dependants],
    }
    if o.previous is not None:
        data.update(previous_version=o.previous.version, previous_total=o.previous.total,
                    difference=o.difference)
    return data


_quote = json.JSONEncoder(ensure_ascii=False).encode


def event_json(item: Assessed, *, municipality_code: str, assessed_on: date) -> str:
    """event_data as JSON text, written out directly: json.dumps of the dict costs three times
    as much, 280,000 times a run. Only the strings go through the JSON encoder (quoting)."""
    r, t, o = item.outcome.result, item.taxpayer, item.outcome
    d = o.facts.dependants
    # Almost no one names dependants by person: no join for the empty list (280,000 times)
    persons = ",".join(_dependant_json(p) for p in item.dependants) if item.dependants else ""
    text = (
        f'{{"assessment_id":"{item.id}","municipality_code":"{municipality_code}",'
        f'"fiscal_year":{r.fiscal_year},"version":{o.version},'
        f'"platform_person_id":"{t.platform_person_id}","resident_id":"{t.resident_id}",'
        f'"resident_number":{_quote(t.resident_number)},'
        f'"january_first_address":{_quote(t.address)},'
        f'"january_first_postal_code":{_quote(t.postal_code)},"amounts":{{'
        f'"salary_revenue":{r.salary_revenue},"salary_income":{r.salary_income},'
        f'"pension_revenue":{r.pension_revenue},"pension_income":{r.pension_income},'
        f'"other_income":{r.other_income},"total_income":{r.total_income},'
        f'"deductions_total":{r.deductions_total},"taxable_base":{r.taxable_base},'
        f'"income_levy_municipal":{r.income_levy_municipal},'
        f'"income_levy_prefectural":{r.income_levy_prefectural},'
        f'"per_capita_municipal":{r.per_capita_municipal},'
        f'"per_capita_prefectural":{r.per_capita_prefectural},'
        f'"forest_environment_tax":{r.forest_environment_tax},"total":{r.total},'
        f'"non_taxable":{"true" if r.total == 0 else "false"},'
        f'"spouse":"{o.facts.spouse.value}","dependants":{d.count},'
        f'"dependants_under_16":{d.under_16}}},"assessed_on":"{assessed_on.isoformat()}",'
        f'"dependant_persons":[{persons}]'
    )
    if o.previous is not None:
        text += (f',"previous_version":{o.previous.version},'
                 f'"previous_total":{o.previous.total},"difference":{o.difference}')
    return text + "}"


def _dependant_json(p: DependantOnJanuaryFirst) -> str:
    return (f'{{"platform_person_id":"{p.platform_person_id}","resident_id":"{p.resident_id}",'
            f'"january_first_address":{_quote(p.address)},'
            f'"january_first_postal_code":{_quote(p.postal_code)},'
            f'"declared":{"true" if p.declared else "false"}}}')


def _row(item: Assessed, municipality_code: str, job_id: UUID | None,
         assessed_on: date) -> tuple[Any, ...]:
    r, t, o, f = item.outcome.result, item.taxpayer, item.outcome, item.outcome.facts
    d = f.dependants
    return (
        item.id, municipality_code, r.fiscal_year, t.platform_person_id, o.version,
        t.resident_id, t.resident_number, t.postal_code, t.address, o.rules_name,
        o.inputs_hash, f.spouse.value,
        [d.general, d.specified, d.elderly, d.elderly_cohabiting, d.under_16,
         d.disabled_general, d.disabled_special, d.disabled_special_cohabiting],
        f.disability.value, f.widowhood.value, f.working_student, f.minor, f.aged_65_or_over,
        r.salary_revenue, r.salary_income, r.pension_revenue, r.pension_income, r.other_income,
        r.total_income, r.deduction_basic, r.deduction_social_insurance, r.deduction_spouse,
        r.deduction_dependants, r.deduction_disability, r.deduction_widowhood,
        r.deduction_working_student, r.deduction_other, r.deductions_total, r.taxable_base,
        r.income_levy_municipal_gross, r.income_levy_prefectural_gross, r.personal_difference,
        r.adjustment_credit_municipal, r.adjustment_credit_prefectural,
        r.income_levy_municipal, r.income_levy_prefectural, r.per_capita_municipal,
        r.per_capita_prefectural, r.forest_environment_tax, r.household_size,
        r.per_capita_limit, r.income_levy_limit,
        r.personal_exemption, r.per_capita_exempt, r.income_levy_exempt, r.designated_city,
        list(r.unverified_rules), r.total, o.previous_total, o.difference, o.collection.value,
        plan_to_json(o.plan), job_id, assessed_on,
    )


async def write_assessments(conn: asyncpg.Connection, items: Sequence[Assessed], *,
                            municipality_code: str, job_id: UUID | None, assessed_on: date,
                            source: str, lap: Callable[[str], None] = lambda _: None) -> None:
    """The assessments and one event each (TaxAssessed or TaxAssessmentCorrected); ``lap``
    is told when each stage ends (the benchmark's breakdown)."""
    if not items:
        return
    rows = [_row(i, municipality_code, job_id, assessed_on) for i in items]
    lap("encode assessments")
    await conn.execute(_STAGE)
    await conn.copy_records_to_table("staged_assessments", records=rows, columns=COLUMNS)
    await conn.execute(_MOVE_ASSESSMENTS)
    lap("insert assessments")
    events = [(event_id, str(i.taxpayer.platform_person_id),
               (TaxAssessmentCorrected if i.outcome.is_correction else TaxAssessed).event_type,
               event_json(i, municipality_code=municipality_code, assessed_on=assessed_on))
              for event_id, i in zip(time_ordered_ids(len(items)), items, strict=True)]
    lap("encode events")
    trace = current_trace_headers()
    await conn.copy_records_to_table("staged_events", records=events,
                                     columns=("event_id", "key", "type", "data"))
    await conn.execute(_MOVE_EVENTS, municipality_code, TOPIC, source, datetime.now(UTC),
                       trace.get("traceparent"), trace.get("tracestate"))
    lap("insert events (outbox)")
