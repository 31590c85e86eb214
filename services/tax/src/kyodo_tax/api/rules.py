"""The rule sets this service can assess with (no personal data)."""

from __future__ import annotations

from fastapi import APIRouter

from kyodo_common.web import MunicipalityCode
from kyodo_tax.api.deps import Context, Reader

router = APIRouter(prefix="/v1/municipalities/{code}/tax", tags=["tax"])


@router.get("/rules")
async def rule_sets(code: MunicipalityCode, acting: Reader, context: Context
                    ) -> list[dict[str, object]]:
    """The fiscal years that can be assessed, and whether each rule set is fully verified."""
    book = context.rule_book
    return [{"fiscal_year": year, "name": book.for_year(year).name,
             "fully_verified": book.for_year(year).fully_verified,
             "unverified_rules_enabled": context.allow_unverified}
            for year in book.fiscal_years]
