"""罹災証明書の交付申請: who may apply for a house's certificate, and when."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from enum import StrEnum


class ApplicationStatus(StrEnum):
    RECEIVED = "received"  # 受付
    READY = "ready"  # 交付準備完了: certificates issues it from the house's event


def may_apply(applicant: uuid.UUID, *, occupants: Collection[uuid.UUID],
              households: Mapping[uuid.UUID, uuid.UUID | None]) -> bool:
    """An occupant of the house, or a member of an occupant's household (世帯員)."""
    if applicant in occupants:
        return True
    household = households.get(applicant)
    return household is not None and any(households.get(o) == household for o in occupants)
