"""Weak ETags from row versions, and If-Match read back into a version."""

from __future__ import annotations

from kyodo_common.errors import Problem
from kyodo_common.web import etag

__all__ = ["etag", "expected_version"]


def expected_version(if_match: str | None) -> int | None:
    """The version the caller last read; None when it sent no If-Match (or ``*``)."""
    if if_match is None or if_match.strip() == "*":
        return None
    value = if_match.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise Problem(400, "Bad If-Match", detail="If-Match takes the ETag this API returned",
                      kind="bad-if-match", invalid_params=[{"name": "If-Match",
                                                             "reason": "not an ETag of ours"}])
    return int(value)
