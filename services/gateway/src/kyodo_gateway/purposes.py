"""Each municipality's own purpose codes (`local-…`), as identity tells them (ADR 0013).

Services accept the platform's standard purpose codes and any well-formed `local-…` code; they
do not know which local codes a municipality configured. The gateway does (identity's
municipality list, read with the CORS origins): it refuses a local code that the path's
municipality has not configured, before the request reaches a service. Until the list has been
read once, every local code is refused (fail closed); standard codes never depend on it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from kyodo_common.purposes import LOCAL_PREFIX, refused

logger = logging.getLogger("kyodo.gateway")
_LOCAL = LOCAL_PREFIX.encode()


def parse_purposes(payload: Any) -> dict[str, frozenset[bytes]]:
    """`[{"code", "purposes": [...]}]` (or under "municipalities") → code → its local codes."""
    entries = payload.get("municipalities", []) if isinstance(payload, Mapping) else payload
    if not isinstance(entries, list):
        raise ValueError("municipalities: expected a list")
    found: dict[str, frozenset[bytes]] = {}
    for entry in entries:
        try:
            found[str(entry["code"])] = frozenset(
                str(p).encode("ascii") for p in entry.get("purposes") or ())
        except (KeyError, TypeError, AttributeError, UnicodeEncodeError):
            logger.warning("municipality's purposes skipped: malformed entry")
    return found


class LocalPurposes:
    def __init__(self) -> None:
        self._by_code: dict[str, frozenset[bytes]] = {}

    def update(self, by_code: dict[str, frozenset[bytes]]) -> None:
        self._by_code = by_code

    def check(self, municipality: str, value: bytes | None) -> None:
        """Raises the services' own 422 for a local code this municipality does not have."""
        if value is None:
            return
        code = value.strip()
        if code.startswith(_LOCAL) and code not in self._by_code.get(municipality, ()):
            raise refused(f"unknown purpose code {code.decode('latin-1')!r} for "
                          f"municipality {municipality}")
