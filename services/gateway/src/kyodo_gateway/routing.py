"""Which upstream a path goes to, and whether a caller may act for its municipality."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kyodo_common.auth import Principal
from kyodo_common.errors import Problem
from kyodo_common.tenancy import is_valid_municipality_code

MUNICIPALITIES_PREFIX = "/v1/municipalities/"
AUTH_PREFIX = "/v1/auth"


@dataclass(frozen=True, slots=True)
class Route:
    """Where one request goes; `municipality` is None for the token-free /v1/auth routes."""

    service: str
    upstream: str
    municipality: str | None
    # Low-cardinality name for spans: never the code or the ids that follow it.
    template: str


def not_found(detail: str) -> Problem:
    return Problem(404, "Not found", detail=detail, kind="not-found")


class Router:
    """Maps a request path to its upstream; the path itself is forwarded unchanged."""

    def __init__(self, upstreams: Mapping[str, str]) -> None:
        self._upstreams = dict(upstreams)
        self._templates = {s: f"{MUNICIPALITIES_PREFIX}{{code}}/{s}" for s in self._upstreams}

    def route(self, path: str) -> Route:
        if path.startswith(MUNICIPALITIES_PREFIX):
            return self._tenant_route(path)
        if path == AUTH_PREFIX or path.startswith(AUTH_PREFIX + "/"):
            _refuse_dot_segments(path)
            return Route("identity", self._upstreams["identity"], None, AUTH_PREFIX)
        raise not_found("no such route")

    def _tenant_route(self, path: str) -> Route:
        # "", "v1", "municipalities", code, service[, rest]
        parts = path.split("/", 5)
        if len(parts) < 5:
            raise not_found("no such route")
        code, service = parts[3], parts[4]
        if not is_valid_municipality_code(code):
            raise not_found("no such municipality")
        upstream = self._upstreams.get(service)
        if upstream is None:
            raise not_found("no such service")
        _refuse_dot_segments(path)
        return Route(service, upstream, code, self._templates[service])


def _refuse_dot_segments(path: str) -> None:
    # An upstream or a proxy in between that normalises "/../" would see another path than
    # the one authorised here, e.g. another municipality's.
    if "/." in path and any(s in (".", "..") for s in path.split("/")):
        raise Problem(400, "Bad request", detail="dot segments are not allowed in paths",
                      kind="bad-request")


def may_act_for(principal: Principal, code: str) -> bool:
    """The caller may act for this municipality: its home one (support grants: later)."""
    # The seam for support grants: an active, unrevoked grant for (principal, code) will also
    # return True here; revocation must take effect within 60 s, so cache grants no longer.
    return principal.home_municipality == code
