"""個人番号 on a 住民票の写し: asked for, allowed, and read from the residents service.

My Number never travels in events, so this service cannot know it from its read model. When
the applicant asks for it and may have it, the number is read from the residents service's
`GET …/residents/{id}/my-number` with the caller's own credentials (the gateway's assertion or
the token), so residents checks the `mynumber:read` scope itself and logs the read with the
stated purpose. The number is printed and kept only inside the sealed content and PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol
from uuid import UUID

import httpx

from kyodo_certificates.domain.people import Registered
from kyodo_common.assertion import Acting
from kyodo_common.errors import Problem

SCOPE = "mynumber:read"


class MyNumbers(Protocol):
    async def numbers_for(self, persons: Sequence[Registered], *, applicant: UUID | None,
                          household: Sequence[Registered]) -> dict[str, str]: ...


def _refused(reason: str) -> Problem:
    return Problem(403, "個人番号 not allowed", kind="my-number-not-allowed",
                   detail=reason, invalid_params=[{"name": "items", "reason": reason}])


def check_allowed(acting: Acting, *, applicant: UUID | None,
                  household: Sequence[Registered]) -> None:
    """The caller holds mynumber:read, and the applicant is the person or their household."""
    if not acting.has_scope(SCOPE):
        raise _refused(f"printing 個人番号 needs the {SCOPE} scope")
    if applicant is None or applicant not in {m.resident_id for m in household}:
        raise _refused("個人番号 is printed only for the person or a member of their "
                       "household (applicant.resident_id)")


@dataclass
class ResidentsMyNumbers:
    """Reads the numbers over HTTP with the caller's credentials, one request per person."""

    http: httpx.AsyncClient
    base_url: str
    municipality_code: str
    acting: Acting
    credentials: dict[str, str] = field(default_factory=dict)  # assertion or Authorization

    async def numbers_for(self, persons: Sequence[Registered], *, applicant: UUID | None,
                          household: Sequence[Registered]) -> dict[str, str]:
        check_allowed(self.acting, applicant=applicant, household=household)
        numbers: dict[str, str] = {}
        for person in persons:
            url = (f"{self.base_url}/v1/municipalities/{self.municipality_code}/residents/"
                   f"{person.resident_id}/my-number")
            try:
                response = await self.http.get(url, headers=self.credentials)
            except httpx.HTTPError as exc:
                raise Problem(503, "Residents unavailable", kind="dependency-unavailable",
                              detail="the residents service could not be reached for 個人番号"
                              ) from exc
            if response.status_code in (401, 403):
                raise _refused("the residents service refused to disclose 個人番号")
            if response.status_code != 200:
                raise Problem(503, "Residents unavailable", kind="dependency-unavailable",
                              detail=f"the residents service answered {response.status_code}")
            numbers[str(person.resident_id)] = response.json().get("my_number") or ""
        return numbers
