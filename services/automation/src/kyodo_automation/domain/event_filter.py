"""`trigger.event.where`: dotted paths into the event's data and the value each must have."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_MISSING = object()


def value_at(data: Any, path: str) -> Any:
    """``residents.0.status`` → data["residents"][0]["status"]; _MISSING when absent."""
    current = data
    for part in path.split("."):
        if isinstance(current, Mapping) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return _MISSING
    return current


def matches(where: Mapping[str, Any] | None, data: Any) -> bool:
    for path, wanted in (where or {}).items():
        found = value_at(data, path)
        if found is _MISSING or (found != wanted and str(found) != str(wanted)):
            return False
    return True
