"""Support grants, revoked tokens and the municipalities' CORS origins as identity tells them
(kyodo_gateway.identity_feed), indexed for the hot path.

Grants' validity windows are checked at request time, so an expired grant stops at once; a
revoked one, a disabled staff member's tokens and a logged-out token as soon as identity's
push arrives (within 2 s: ADR 0003).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kyodo_common.auth import Principal

logger = logging.getLogger("kyodo.gateway")


@dataclass(frozen=True, slots=True)
class Grant:
    """Staff `subject` of `grantee_municipality` may act for `grantor` with `scopes`."""

    grant_id: str
    grantor: str
    subject: str
    grantee_municipality: str
    scopes: frozenset[str]
    valid_from: float
    valid_until: float

    def active(self, now: float) -> bool:
        return self.valid_from <= now < self.valid_until


class GrantIndex:
    """Grants by (grantee's municipality, grantee, grantor): one dict lookup per request."""

    def __init__(self, grants: Iterable[Grant] = ()) -> None:
        self._by: dict[tuple[str, str, str], list[Grant]] = {}
        for grant in grants:
            key = (grant.grantee_municipality, grant.subject, grant.grantor)
            self._by.setdefault(key, []).append(grant)
        self.size = sum(len(v) for v in self._by.values())

    def find(self, home: str, subject: str, municipality: str, scope: str | None,
             now: float) -> Grant | None:
        """The active grant covering `scope`; the one valid longest when several do."""
        if scope is None:
            return None
        candidates = self._by.get((home, subject, municipality))
        if not candidates:
            return None
        best: Grant | None = None
        for grant in candidates:
            if scope in grant.scopes and grant.active(now) and (
                    best is None or grant.valid_until > best.valid_until):
                best = grant
        return best


def _timestamp(value: Any, default: float) -> float:
    if value is None:
        return default
    if isinstance(value, int | float):
        return float(value)
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def parse_grants(payload: Any) -> GrantIndex:
    """`{"grants": [...]}` or a bare list; a malformed entry is skipped, not the snapshot."""
    entries = payload.get("grants", []) if isinstance(payload, Mapping) else payload
    if not isinstance(entries, list):
        raise ValueError("support grants: expected a list")
    grants = []
    for entry in entries:
        try:
            scopes = entry["scopes"]
            grants.append(Grant(
                grant_id=str(entry["grant_id"]),
                grantor=str(entry["grantor_municipality"]),
                subject=str(entry["grantee_subject"]),
                grantee_municipality=str(entry["grantee_municipality"]),
                scopes=frozenset(scopes.split() if isinstance(scopes, str) else map(str, scopes)),
                valid_from=_timestamp(entry.get("valid_from"), -math.inf),
                valid_until=_timestamp(entry.get("valid_until"), math.inf),
            ))
        except (KeyError, TypeError, ValueError, AttributeError):
            logger.warning("support grant skipped: malformed entry")
    return GrantIndex(grants)


class Revocations:
    """Access tokens ended before their expiry: by id (a logout) or every token of a subject
    (a disabled staff member). Entries are kept by identity until the tokens have expired."""

    def __init__(self, token_ids: Iterable[str] = (),
                 subjects: Iterable[tuple[str, str]] = ()) -> None:
        self.token_ids = frozenset(token_ids)
        self.subjects = frozenset(subjects)
        self.size = len(self.token_ids) + len(self.subjects)

    def refuses(self, principal: Principal) -> bool:
        return principal.token_id in self.token_ids or (
            principal.home_municipality, principal.subject) in self.subjects


def parse_revocations(payload: Any) -> Revocations:
    """``{"revocations": [{municipality_code, subject, token_id | null}, ...]}``."""
    entries = payload.get("revocations", []) if isinstance(payload, Mapping) else None
    if not isinstance(entries, list):
        raise ValueError("revocations: expected a list")
    token_ids: list[str] = []
    subjects: list[tuple[str, str]] = []
    for entry in entries:
        try:
            if entry.get("token_id"):
                token_ids.append(str(entry["token_id"]))
            else:
                subjects.append((str(entry["municipality_code"]), str(entry["subject"])))
        except (KeyError, TypeError, AttributeError):
            # Unlike a grant, a revocation must not be skipped: refuse the whole snapshot.
            raise ValueError("revocations: malformed entry") from None
    return Revocations(token_ids, subjects)


def parse_origins(payload: Any) -> dict[str, frozenset[str]]:
    """`[{"code", "cors_origins": [...]}]` (or under "municipalities") → code → origins."""
    entries = payload.get("municipalities", []) if isinstance(payload, Mapping) else payload
    if not isinstance(entries, list):
        raise ValueError("municipalities: expected a list")
    origins: dict[str, frozenset[str]] = {}
    for entry in entries:
        try:
            origins[str(entry["code"])] = frozenset(
                str(o).rstrip("/") for o in entry.get("cors_origins") or ())
        except (KeyError, TypeError, AttributeError):
            logger.warning("municipality skipped: malformed entry")
    return origins
