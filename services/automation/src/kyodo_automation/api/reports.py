"""削減時間の報告: items processed, hours saved and failure rate per scenario for a month."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from kyodo_automation.adapters.stores import finished_by_scenario
from kyodo_automation.api.deps import Db, Reader
from kyodo_automation.domain.time_saved import ScenarioMonth, month_bounds, report
from kyodo_common.web import MunicipalityCode

router = APIRouter(prefix="/v1/municipalities/{code}/automation/reports", tags=["automation"])


@router.get("/time-saved")
async def time_saved(code: MunicipalityCode, reader: Reader, db: Db,
                     month: Annotated[str, Query(pattern=r"^2\d{3}-(0[1-9]|1[0-2])$",
                                                 description="YYYY-MM")]) -> dict[str, Any]:
    """Runs finished in the month (Japan time): the hours a person would have spent on the
    items processed, at the minutes per item each scenario declared when it ran."""
    start, end = month_bounds(month)
    async with db.tenant_transaction(code) as session:
        rows = await finished_by_scenario(session, start, end)
    return report(month, [ScenarioMonth(scenario=row.scenario, runs=row.runs,
                                        items_done=int(row.done or 0),
                                        items_failed=int(row.failed or 0),
                                        minutes_per_item=float(row.per_item),
                                        minutes_saved=float(row.minutes or 0))
                          for row in rows])
