"""Bulk assessment of a municipality for a fiscal year: one durable job row, requested here,
run by the worker (bulk_run), followed through its progress."""

from __future__ import annotations

import uuid
from uuid import UUID

from kyodo_common.errors import Conflict
from kyodo_tax.service_layer.context import TaxContext
from kyodo_tax.service_layer.lookups import rules_for, tax_config
from kyodo_tax.service_layer.ports import BulkJobStore, RegisterView


async def request_bulk_assessment(*, jobs: BulkJobStore, register: RegisterView, code: str,
                                  fiscal_year: int, actor: str, context: TaxContext) -> UUID:
    """A queued job; refused while another one for the same year is queued or running."""
    rules_for(context.rule_book, fiscal_year)
    await tax_config(register)
    job_id = uuid.uuid4()
    if not await jobs.add(job_id=job_id, code=code, fiscal_year=fiscal_year, actor=actor):
        active = await jobs.active(fiscal_year)
        raise Conflict(f"a bulk assessment of {fiscal_year} is in progress: job {active}")
    return job_id
