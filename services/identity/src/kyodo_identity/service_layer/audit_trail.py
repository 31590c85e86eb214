"""Who the identity audit trail names for a change nobody authenticated did."""

from __future__ import annotations

from kyodo_common.auth import Principal


def anonymous(municipality_code: str) -> Principal:
    """The unauthenticated caller of a failed login: known only by where it tried to log in."""
    return Principal(subject="anonymous", home_municipality=municipality_code, kind="anonymous",
                     roles=frozenset(), scopes=frozenset(), expires_at=0.0, token_id="")
