"""Who may be given which certificate: the refusals, each with its reason and field."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID

from kyodo_certificates.domain.people import Registered
from kyodo_common.assertion import Acting
from kyodo_common.errors import Conflict, Forbidden

PROTECTED_REASON = ("the person is under 支援措置 (DV/stalking protection): certificates are "
                    "issued to the person only")


def refuse_protected(persons: Iterable[Registered], *, applicant: UUID | None,
                     field: str) -> None:
    """支援措置: nobody but the protected person gets a certificate showing them (DOMAIN §3)."""
    protected = [p for p in persons if p.protected and p.resident_id != applicant]
    if protected:
        raise Forbidden("a person on this certificate is protected from disclosure; only "
                        "that person may be given it", title="Refused under 支援措置",
                        kind="protected-person",
                        invalid_params=[{"name": field, "reason": PROTECTED_REASON}])


def refuse_protected_unseen(field: str) -> None:
    """A household certificate with a member under 支援措置 whom the caller may not see."""
    raise Forbidden("this certificate cannot be issued by you; the person's own "
                    "municipality can issue it", title="Refused under 支援措置",
                    kind="protected-person",
                    invalid_params=[{"name": field, "reason": PROTECTED_REASON}])


MANAGE_SCOPE = "certificates:manage"


def require_issuer_or_manager(acting: Acting, *, code: str, issued_by: str,
                              issued_by_home: str | None, action: str) -> None:
    """Downloading or voiding a certificate someone else issued needs certificates:manage; the
    clerk who issued it (a partner under a grant included) may always handle their own."""
    principal = acting.principal
    own = (principal.subject == issued_by
           and principal.home_municipality == (issued_by_home or code))
    if not own and not acting.has_scope(MANAGE_SCOPE):
        raise Forbidden(f"to {action} a certificate someone else issued, the scope "
                        f"{MANAGE_SCOPE} is required")


def require_resident(person: Registered, field: str) -> None:
    """A 住民票の写し shows current residents; 除票 (after 転出/死亡) is another certificate."""
    if not person.is_resident:
        raise Conflict(f"the person is registered as {person.status}: a 住民票の写し "
                       "shows current residents only", title="Not a resident",
                       kind="not-a-resident",
                       invalid_params=[{"name": field, "reason": person.status}])


def january_first(fiscal_year: int) -> date:
    """賦課期日: the municipality of the 1 January address levies the whole year (DOMAIN §4)."""
    return date(fiscal_year, 1, 1)


def registered_on(person: Registered, day: date) -> bool:
    """Was the person a resident of this municipality at the end of the day, as far as the
    read model knows (dates of becoming resident and leaving)?"""
    if person.became_resident_on is not None and person.became_resident_on > day:
        return False
    return person.left_on is None or person.left_on > day


def refuse_not_january_first(person: Registered, fiscal_year: int) -> None:
    if not registered_on(person, january_first(fiscal_year)):
        raise Conflict(title="Not the 1 January municipality", kind="not-january-first",
                       detail=f"課税証明書 for fiscal year {fiscal_year} is issued by the "
                              f"municipality where the person was registered on 1 January "
                              f"{fiscal_year}, not by this one",
                       invalid_params=[{"name": "fiscal_year",
                                        "reason": "the person was not registered here on "
                                                  f"{january_first(fiscal_year).isoformat()}"}])
