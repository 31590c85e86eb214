"""Form fields named like the API's fields (dotted for nested ones), so that a problem's
``invalid_params`` name is the name of the field to show it next to."""

from __future__ import annotations

from typing import Any


def nested(values: dict[str, str], names: list[str] | set[str] | None = None,
           prefix: str = "") -> dict[str, Any]:
    """The filled fields (all, or ``names``; those under ``prefix`` if given) as the nested
    JSON body: ``person.family_name`` → ``{"person": {"family_name": …}}``. Empty fields are
    left out, so that the API's own defaults and rules apply."""
    body: dict[str, Any] = {}
    for name, value in values.items():
        if name in ("csrf", "key", "version") or (names is not None and name not in names):
            continue
        if prefix and not name.startswith(prefix):
            continue
        value = value.strip()
        if value == "":
            continue
        parts = name[len(prefix):].split(".")
        target = body
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return body


def checked(values: dict[str, str], name: str) -> bool:
    return values.get(name) in ("on", "true", "1")
