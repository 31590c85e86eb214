"""The rule sets this service can assess with (no personal data)."""

from __future__ import annotations

from fastapi import APIRouter

from kyodo_common.paging import DEFAULT_LIMIT, Cursor, Keyset, Limit, Page
from kyodo_common.web import MunicipalityCode
from kyodo_tax.api.deps import Context, Reader

router = APIRouter(prefix="/v1/municipalities/{code}/tax", tags=["tax"])
BY_YEAR = Keyset("tax.rules", (int,))


@router.get("/rules", response_model=Page[dict[str, object]])
async def rule_sets(code: MunicipalityCode, acting: Reader, context: Context,
                    limit: Limit = DEFAULT_LIMIT,
                    cursor: Cursor = None) -> Page[dict[str, object]]:
    """The fiscal years that can be assessed, and whether each rule set is fully verified."""
    book = context.rule_book
    after = BY_YEAR.decode(cursor)
    # A few rule sets held in memory, by year: the keyset filters them as SQL would.
    years, next_cursor = BY_YEAR.page(
        [y for y in sorted(book.fiscal_years) if after is None or y > after[0]], limit,
        key=lambda year: (year,))
    return Page(items=[{"fiscal_year": year, "name": book.for_year(year).name,
                        "fully_verified": book.for_year(year).fully_verified,
                        "unverified_rules_enabled": context.allow_unverified}
                       for year in years], next=next_cursor)
