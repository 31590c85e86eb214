"""Which scope each platform API a scenario may call needs: the one map, used at save time
(on the path template) and at run time (on the path actually called).

Paths are relative to the municipality: ``POST /tax/assessments`` is
``POST /v1/municipalities/{code}/tax/assessments`` at the gateway. The first rule whose method
and pattern match decides; ``None`` means no scenario may call it (administration, identity,
My Number, and automation itself, so a scenario cannot start or approve scenarios).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

READS = frozenset({"GET", "HEAD"})
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ALL = READS | WRITES
_PLACEHOLDER = re.compile(r"\$\{[^{}]*\}")
_SEGMENT = "[^/]+"


@dataclass(frozen=True)
class ApiRule:
    methods: frozenset[str]
    pattern: str  # segments; {x} is any one segment, a trailing /** anything below
    scope: str | None

    def matches(self, method: str, path: str) -> bool:
        return method in self.methods and _regex(self.pattern).fullmatch(path) is not None


def _regex(pattern: str) -> re.Pattern[str]:
    body = re.escape(pattern.removesuffix("/**"))
    body = re.sub(r"\\\{[a-z_]+\\\}", _SEGMENT, body)
    return re.compile(body + ("(/.*)?" if pattern.endswith("/**") else ""))


API_RULES: tuple[ApiRule, ...] = (
    ApiRule(ALL, "/identity/**", None),
    ApiRule(ALL, "/automation/**", None),
    ApiRule(ALL, "/residents/{id}/my-number/**", None),
    ApiRule(READS, "/residents/**", "residents:read"),
    ApiRule(WRITES, "/residents/search", "residents:read"),  # a search by POST
    ApiRule(WRITES, "/residents/**", "residents:write"),
    ApiRule(READS, "/tax/**", "tax:read"),
    ApiRule(WRITES, "/tax/**", "tax:write"),
    ApiRule(READS, "/disaster/**", "disaster:read"),
    ApiRule(WRITES, "/disaster/**", "disaster:write"),
    ApiRule(ALL, "/certificates/**", "certificates:issue"),
)


class OutOfScope(Exception):
    """A call the scenario's account may not make, or that no scenario may make."""

    def __init__(self, method: str, path: str, reason: str) -> None:
        super().__init__(f"{method} {path}: {reason}")
        self.reason = reason


def _bare(path: str) -> str:
    return path.split("?", 1)[0]


# Percent signs are refused: the gateway decodes paths before routing, so "%2e%2e" or "%2F"
# would reach another API than the one checked here.
_PLAIN_PATH = re.compile(r"^/[A-Za-z0-9._~:@!$'()*+,;=/-]*$")


def required_scope(method: str, path: str) -> str:
    """The scope a call needs; OutOfScope when no scenario may make it."""
    bare = _bare(path)
    if not _PLAIN_PATH.match(bare) or any(s in ("..", ".") for s in bare.split("/")) \
            or "//" in bare or "#" in path or any(c.isspace() for c in path):
        raise OutOfScope(method, path, "the path must be a plain path under the municipality")
    for rule in API_RULES:
        if rule.matches(method, bare):
            if rule.scope is None:
                raise OutOfScope(method, path, "no scenario may call this API")
            return rule.scope
    raise OutOfScope(method, path, "not a platform API a scenario can call")


def required_scope_of_template(method: str, path_template: str) -> str:
    """At save time: each ${...} stands for one path segment."""
    return required_scope(method, _PLACEHOLDER.sub("x", path_template))


def check_call(method: str, path: str, granted: frozenset[str]) -> str:
    scope = required_scope(method, path)
    if scope not in granted:
        raise OutOfScope(method, path, f"the scenario's account lacks the scope {scope}")
    return scope
