"""The identity audit trail: every change appended to the hash-chained access log."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.audit import record_access
from kyodo_common.auth import Principal


def anonymous(municipality_code: str) -> Principal:
    """The unauthenticated caller of a failed login: known only by where it tried to log in."""
    return Principal(subject="anonymous", home_municipality=municipality_code, kind="anonymous",
                     roles=frozenset(), scopes=frozenset(), expires_at=0.0, token_id="")


async def record_change(session: AsyncSession, *, actor: Principal, municipality_code: str,
                        action: str, subject_type: str, subject_id: str,
                        fields: Sequence[str] = (), grant_id: str | None = None) -> None:
    """Append one entry in the transaction of the change (the session's tenant's chain)."""
    await record_access(session, principal=actor, acting_municipality=municipality_code,
                        action=action, subject_type=subject_type, subject_id=subject_id,
                        fields=fields, purpose=None, grant_id=grant_id)
