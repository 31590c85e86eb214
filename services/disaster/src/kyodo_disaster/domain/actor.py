"""Who acts in a disaster's records: the person, their home town, the town acted for, and the
support grant (対口支援) it is done under."""

from __future__ import annotations

from dataclasses import dataclass

from kyodo_common.assertion import Acting
from kyodo_common.auth import Principal


@dataclass(frozen=True)
class Actor:
    """Who acts, from where, for whom, and under which support grant (対口支援)."""

    subject: str
    home: str
    municipality: str
    grant_id: str | None

    @classmethod
    def of(cls, acting: Acting) -> Actor:
        return cls(subject=acting.principal.subject, home=acting.principal.home_municipality,
                   municipality=acting.municipality, grant_id=acting.grant_id)

    def principal(self) -> Principal:
        """The actor as the access log names a caller (a worker acting on their request)."""
        return Principal(subject=self.subject, home_municipality=self.home, kind="staff",
                         roles=frozenset(), scopes=frozenset(), expires_at=0.0, token_id="")
