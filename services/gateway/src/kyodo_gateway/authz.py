"""Who calls, and whether it may act for the path's municipality: home or support grant.

The hot path is dictionary lookups: verified tokens are cached by the exact Authorization
header until they expire, and signed assertions per (token, municipality, grant) until
shortly before theirs. Grants are re-checked on every request (revocation, validity window),
and so are revoked tokens (logout, disabled staff). Grants not confirmed with identity for a
while are not trusted: grant-based access is refused until identity answers (fail closed).
"""

from __future__ import annotations

from kyodo_common.assertion import LIFETIME_SECONDS, Acting, AssertionSigner, sign_assertion
from kyodo_common.auth import Principal, TokenVerifier, bearer_token, unauthorized
from kyodo_common.errors import Problem
from kyodo_gateway.grants import Grant, GrantIndex, Revocations

_CACHE_MAX = 100_000
# An assertion is re-signed this long before it expires, so it never arrives expired.
_ASSERTION_MARGIN = 10.0

_READS = frozenset({"GET", "HEAD"})
# Platform operators (identity's `kind: "operator"`, home 000000) configure any municipality
# in identity (e.g. support grants after a declared disaster) and nothing in other services.
OPERATOR_KIND = "operator"


def forbidden(detail: str = "you may not act for this municipality") -> Problem:
    return Problem(403, "Forbidden", detail=detail, kind="forbidden")


def grants_unconfirmed() -> Problem:
    return Problem(403, "Forbidden", kind="grants-unconfirmed",
                   detail="support grants cannot be confirmed with identity right now; "
                          "access under a support grant is refused until they can be")


def route_scope(service: str, method: str, search: bool = False) -> str | None:
    """The scope a support grant must cover for this route; None: no grant ever covers it.

    `search`: a POST to a `…/search` path, a read (searches are POSTed so that names stay out
    of URLs and logs).
    """
    if service == "identity":  # tenant administration stays with the tenant's own staff
        return None
    if service == "certificates":
        return "certificates:issue"
    if service == "webhooks":  # a grant that lends subscribing is the town's consent to it
        return "webhooks:subscribe"
    return f"{service}:read" if method in _READS or search else f"{service}:write"


class Authorizer:
    def __init__(self, verifier: TokenVerifier, signer: AssertionSigner, *,
                 fail_closed_seconds: float = 30.0) -> None:
        self.verifier = verifier
        self.grants = GrantIndex()
        self.revoked = Revocations()
        self.fail_closed_seconds = fail_closed_seconds
        # Grants are trusted until then: never, before identity has first answered.
        self.confirmed_until = 0.0
        self._signer = signer
        self._principals: dict[bytes, tuple[Principal, str]] = {}
        self._assertions: dict[tuple[bytes, str, Grant | None], tuple[bytes, float]] = {}
        self._scopes: dict[tuple[str, bytes, bool], str | None] = {}

    def update(self, grants: GrantIndex, revoked: Revocations, now: float) -> None:
        """A snapshot read from identity just now."""
        self.grants = grants
        self.revoked = revoked
        self.confirm(now)

    def confirm(self, now: float) -> None:
        """Identity said that the snapshot held is still current."""
        self.confirmed_until = now + self.fail_closed_seconds

    def cached(self, authorization: bytes, now: float) -> tuple[Principal, str] | None:
        """(principal, rate-limit key) of an already verified, unexpired token."""
        entry = self._principals.get(authorization)
        if entry is not None and entry[0].expires_at > now:
            return entry
        return None

    async def verify(self, authorization: bytes | None) -> tuple[Principal, str]:
        """Verifies the bearer token (401 problem if it is not valid) and caches it."""
        text = authorization.decode("latin-1") if authorization is not None else None
        principal = await self.verifier.verify(bearer_token(text))
        entry = (principal, f"{principal.home_municipality}/{principal.subject}")
        if authorization is not None:
            if len(self._principals) >= _CACHE_MAX:
                self._principals.clear()
            self._principals[authorization] = entry
        return entry

    def scope_for(self, service: str, method: bytes, path: str) -> str | None:
        key = (service, method, method == b"POST" and path.endswith("/search"))
        try:
            return self._scopes[key]
        except KeyError:
            scope = route_scope(service, method.decode("latin-1"), key[2])
            if len(self._scopes) < 1000:
                self._scopes[key] = scope
            return scope

    def assertion(self, authorization: bytes, principal: Principal, code: str, service: str,
                  method: bytes, path: str, now: float) -> tuple[bytes, Grant | None]:
        """The signed assertion for acting for `code`; 403 problem if the caller may not,
        401 if the token has been revoked."""
        if self.revoked.size and self.revoked.refuses(principal):
            raise unauthorized("the token has been revoked")
        grant: Grant | None = None
        if principal.home_municipality != code and not (
                principal.kind == OPERATOR_KIND and service == "identity"):
            if now >= self.confirmed_until:
                raise grants_unconfirmed()
            grant = self.grants.find(principal.home_municipality, principal.subject, code,
                                     self.scope_for(service, method, path), now)
            if grant is None:
                raise forbidden()
        key = (authorization, code, grant)
        cached = self._assertions.get(key)
        if cached is not None and now < cached[1]:
            return cached[0], grant
        expires = min(now + LIFETIME_SECONDS, principal.expires_at)
        scopes = principal.scopes
        if grant is not None:
            expires = min(expires, grant.valid_until)
            scopes = scopes & grant.scopes
        acting = Acting(principal=principal, municipality=code, scopes=scopes,
                        grant_id=grant.grant_id if grant else None, expires_at=expires)
        value = sign_assertion(self._signer, acting).encode("ascii")
        if len(self._assertions) >= _CACHE_MAX:
            self._assertions.clear()
        self._assertions[key] = (value, expires - _ASSERTION_MARGIN)
        return value, grant

    def prune(self, now: float) -> None:
        """Drops expired tokens and assertions (called now and then, off the hot path)."""
        self._principals = {k: v for k, v in self._principals.items() if v[0].expires_at > now}
        self._assertions = {k: v for k, v in self._assertions.items() if v[1] > now}
