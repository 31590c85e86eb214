"""Queries of the 罹災証明書 job (service_layer/damage_issuing.py) on its requests."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from kyodo_certificates.adapters.tables import damage_issuances as requests
from kyodo_certificates.domain.kinds import RequestStatus

KEY = (requests.c.application_id, requests.c.survey_version)


def pending_requests(disaster_id: uuid.UUID, *, max_attempts: int,
                     busy: Sequence[tuple[uuid.UUID, int]], limit: int) -> sa.Select[Any]:
    """The disaster's next pending requests that may be tried now, oldest first, but those
    ``busy`` (drawn by a chunk in flight, not stored yet)."""
    statement = sa.select(requests).where(
        requests.c.disaster_id == disaster_id,
        requests.c.status == RequestStatus.PENDING.value,
        requests.c.attempts < max_attempts,
        sa.or_(requests.c.retry_at.is_(None), requests.c.retry_at <= sa.func.now()))
    if busy:
        statement = statement.where(sa.tuple_(*KEY).not_in(list(busy)))
    return statement.order_by(requests.c.recorded_at, requests.c.application_id).limit(limit)
