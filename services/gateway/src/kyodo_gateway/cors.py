"""CORS per tenant: each municipality lists the origins of its counter frontends.

Tenant routes allow that municipality's origins; public routes (login, JWKS, the API
document) allow any municipality's. Preflights are answered here and never reach a service.
"""

from __future__ import annotations

from collections.abc import Mapping

from kyodo_common.errors import Problem

ALLOWED_METHODS = b"GET, HEAD, POST, PUT, PATCH, DELETE"
ALLOWED_HEADERS = (b"Authorization, Content-Type, Accept, Accept-Language, Idempotency-Key, "
                   b"If-Match, If-None-Match, X-Kyodo-Purpose, traceparent, tracestate")
EXPOSED_HEADERS = (b"ETag, Location, Retry-After, Content-Disposition, WWW-Authenticate, "
                   b"X-Kyodo-Trace-Id")
MAX_AGE = b"600"


def origin_refused() -> Problem:
    return Problem(403, "Forbidden", detail="this origin is not allowed for this municipality",
                   kind="cors-origin-refused")


class CorsPolicy:
    def __init__(self, origins: Mapping[str, frozenset[str]] | None = None) -> None:
        self._by_code: dict[str, frozenset[str]] = {}
        self._any: frozenset[str] = frozenset()
        self.update(origins or {})

    def update(self, origins: Mapping[str, frozenset[str]]) -> None:
        self._by_code = dict(origins)
        self._any = frozenset().union(*self._by_code.values()) if self._by_code else frozenset()

    def allows(self, origin: bytes, municipality: str | None) -> bool:
        allowed = self._any if municipality is None else self._by_code.get(municipality, ())
        return origin.decode("latin-1") in allowed

    def response_headers(self, origin: bytes, municipality: str | None) -> bytes:
        """Header lines for an actual (non-preflight) request; empty when not allowed."""
        if not self.allows(origin, municipality):
            return b""
        return (b"access-control-allow-origin: " + origin + b"\r\nvary: Origin\r\n"
                b"access-control-expose-headers: " + EXPOSED_HEADERS + b"\r\n")

    def preflight_headers(self, origin: bytes, municipality: str | None) -> bytes:
        """Header lines of the 204 answer to a preflight; 403 problem when not allowed."""
        if not self.allows(origin, municipality):
            raise origin_refused()
        return (b"access-control-allow-origin: " + origin + b"\r\n"
                b"access-control-allow-methods: " + ALLOWED_METHODS + b"\r\n"
                b"access-control-allow-headers: " + ALLOWED_HEADERS + b"\r\n"
                b"access-control-max-age: " + MAX_AGE + b"\r\n"
                b"vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers\r\n")
