"""The scenarios shipped with the platform, to be saved (and adapted) by a municipality."""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi import APIRouter

from kyodo_automation.api.deps import Reader
from kyodo_automation.domain.scenario import parse
from kyodo_common.web import MunicipalityCode

router = APIRouter(prefix="/v1/municipalities/{code}/automation/builtin-scenarios",
                   tags=["automation"])


def builtin_sources() -> dict[str, str]:
    folder = resources.files("kyodo_automation") / "builtin"
    return {p.name.removesuffix(".yaml"): p.read_text() for p in sorted(
        folder.iterdir(), key=lambda p: p.name) if p.name.endswith(".yaml")}


@router.get("")
async def builtin_scenarios(code: MunicipalityCode, reader: Reader) -> dict[str, Any]:
    """Each with its YAML: save it as a version (POST …/scenarios/{name}/versions) after the
    admin has given the scenario an account with the scopes listed."""
    items = []
    for name, source in builtin_sources().items():
        scenario = parse(source)
        items.append({"scenario": name, "title": scenario.title,
                      "trigger": scenario.trigger_kind,
                      "scopes_needed": sorted(scenario.scopes_needed),
                      "minutes_per_item": scenario.minutes_per_item, "source": source})
    return {"items": items}
