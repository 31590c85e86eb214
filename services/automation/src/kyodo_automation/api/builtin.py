"""The scenarios shipped with the platform, to be saved (and adapted) by a municipality."""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi import APIRouter

from kyodo_automation.api.deps import Reader
from kyodo_automation.domain.scenario import parse
from kyodo_common.paging import DEFAULT_LIMIT, Cursor, Keyset, Limit, Page
from kyodo_common.web import MunicipalityCode

router = APIRouter(prefix="/v1/municipalities/{code}/automation/builtin-scenarios",
                   tags=["automation"])


def builtin_sources() -> dict[str, str]:
    folder = resources.files("kyodo_automation") / "builtin"
    return {p.name.removesuffix(".yaml"): p.read_text() for p in sorted(
        folder.iterdir(), key=lambda p: p.name) if p.name.endswith(".yaml")}


BY_NAME = Keyset("automation.builtin-scenarios", (str,))


@router.get("", response_model=Page[dict[str, Any]])
async def builtin_scenarios(code: MunicipalityCode, reader: Reader, limit: Limit = DEFAULT_LIMIT,
                            cursor: Cursor = None) -> Page[dict[str, Any]]:
    """Each with its YAML: save it as a version (POST …/scenarios/{name}/versions) after the
    admin has given the scenario an account with the scopes listed."""
    items = []
    after = BY_NAME.decode(cursor)
    # A handful of files held in memory, in name order: the keyset filters them as SQL would.
    listed = [(n, s) for n, s in builtin_sources().items() if after is None or n > after[0]]
    shown, next_cursor = BY_NAME.page(listed, limit, key=lambda pair: (pair[0],))
    for name, source in shown:
        scenario = parse(source)
        items.append({"scenario": name, "title": scenario.title,
                      "trigger": scenario.trigger_kind,
                      "scopes_needed": sorted(scenario.scopes_needed),
                      "minutes_per_item": scenario.minutes_per_item, "source": source})
    return Page(items=items, next=next_cursor)
