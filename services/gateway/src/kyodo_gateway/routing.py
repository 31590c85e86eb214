"""Which upstream a path goes to; the path itself is forwarded unchanged."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kyodo_common.errors import Problem
from kyodo_common.public_routes import PUBLIC_ROUTES
from kyodo_common.tenancy import is_valid_municipality_code

MUNICIPALITIES_PREFIX = "/v1/municipalities/"


@dataclass(frozen=True, slots=True)
class Route:
    """Where one request goes; `municipality` is None for the token-free public routes."""

    service: str
    upstream: str
    municipality: str | None
    # Low-cardinality name for spans: never the code or the ids that follow it.
    template: str


def not_found(detail: str) -> Problem:
    return Problem(404, "Not found", detail=detail, kind="not-found")


def bad_path() -> Problem:
    return Problem(400, "Bad request", detail="dot segments are not allowed in paths",
                   kind="bad-request")


class Router:
    """Maps a (percent-decoded) request path to its upstream."""

    def __init__(self, upstreams: Mapping[str, str],
                 public: Mapping[str, str] | None = None) -> None:
        self._upstreams = dict(upstreams)
        self._templates = {s: f"{MUNICIPALITIES_PREFIX}{{code}}/{s}" for s in self._upstreams}
        public = PUBLIC_ROUTES if public is None \
            else public
        self._public = [
            (prefix.rstrip("/"), Route(service, self._upstreams[service], None,
                                       prefix.rstrip("/")))
            for prefix, service in public.items() if service in self._upstreams
        ]
        self._codes: dict[str, bool] = {}

    @property
    def services(self) -> dict[str, str]:
        return dict(self._upstreams)

    @property
    def public_prefixes(self) -> dict[str, str]:
        return {prefix: route.service for prefix, route in self._public}

    def route(self, path: str) -> Route:
        if path.startswith(MUNICIPALITIES_PREFIX):
            return self._tenant_route(path)
        for prefix, route in self._public:
            if path.startswith(prefix) and (len(path) == len(prefix) or path[len(prefix)] == "/"):
                _refuse_dot_segments(path)
                return route
        raise not_found("no such route")

    def _tenant_route(self, path: str) -> Route:
        # "", "v1", "municipalities", code, service[, rest]
        parts = path.split("/", 5)
        if len(parts) < 5:
            raise not_found("no such route")
        code, service = parts[3], parts[4]
        if not self._valid_code(code):
            raise not_found("no such municipality")
        upstream = self._upstreams.get(service)
        if upstream is None:
            raise not_found("no such service")
        _refuse_dot_segments(path)
        return Route(service, upstream, code, self._templates[service])

    def _valid_code(self, code: str) -> bool:
        known = self._codes.get(code)
        if known is None:
            known = is_valid_municipality_code(code)
            if len(self._codes) < 10_000:  # 1,741 municipalities: bounded against junk codes
                self._codes[code] = known
        return known


def _refuse_dot_segments(path: str) -> None:
    # An upstream or a proxy in between that normalises "/../" would see another path than
    # the one authorised here, e.g. another municipality's.
    if "/." in path and any(s in (".", "..") for s in path.split("/")):
        raise bad_path()
