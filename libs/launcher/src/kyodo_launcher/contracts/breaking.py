"""Breaking changes between two versions of a contract: an OpenAPI document or a JSON Schema.

A schema is compared in the direction its data flows:

- ``request``: the service reads it (request bodies, parameters). Every value that was valid
  must stay valid: a narrowed type or enum, a newly required field, or a removed field that
  is now refused (``additionalProperties: false``) breaks existing clients.
- ``response``: clients read it. Every value the service may send must be one clients already
  know: a removed field, a field that may now be absent, a widened type or a new enum value
  breaks them.
- ``event``: both at once. Consumers read events (as clients read responses), and an event
  type must still read every event already in the log, for replays (as a service reads
  requests).

No well-kept Python library compares OpenAPI 3.1 documents offline, hence this small checker;
its rules are tested on crafted documents in tests/contract/test_breaking_changes.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from kyodo_launcher.contracts import schemas

Direction = Literal["request", "response", "event"]
Schema = schemas.Schema

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True, order=True)
class BreakingChange:
    path: str  # JSONPath of the changed element, as reached from the operation or event
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def child(path: str, key: str | int) -> str:
    """`$.paths["/v1/x"].get` style: identifiers after a dot, anything else quoted."""
    if isinstance(key, str) and _IDENTIFIER.match(key):
        return f"{path}.{key}"
    return f'{path}["{key}"]' if isinstance(key, str) else f"{path}[{key}]"


@dataclass(frozen=True)
class _Kind:
    """One JSON type, with its string format when it has one (uuid, date, date-time…)."""

    type: str
    format: str | None = None

    def __str__(self) -> str:
        return f"{self.type}({self.format})" if self.format else self.type


def _accepts(kinds: frozenset[_Kind], kind: _Kind) -> bool:
    return (kind in kinds or _Kind(kind.type) in kinds
            or (kind.type == "integer" and _Kind("number") in kinds))


def _describe(kinds: Iterable[_Kind]) -> str:
    return " | ".join(sorted((str(k) for k in kinds), key=lambda k: (k == "null", k)))


@dataclass
class _Comparison:
    old_root: Schema
    new_root: Schema
    changes: list[BreakingChange] = field(default_factory=list)
    # The pairs of object schemas being compared on the current path: a recursive schema
    # (a household's members are residents) is compared once per path, not forever.
    _active: set[tuple[int, int, str]] = field(default_factory=set)

    def report(self, path: str, reason: str) -> None:
        change = BreakingChange(path, reason)
        if change not in self.changes:
            self.changes.append(change)

    def _kinds(self, root: Schema, node: Any) -> frozenset[_Kind] | None:
        """The JSON types a schema allows; None when it does not say (anything goes)."""
        kinds: set[_Kind] = set()
        for branch in schemas.branches(root, node):
            declared = branch.get("type")
            if declared is None:
                if "const" in branch:
                    declared = _json_type(branch["const"])
                elif "enum" in branch:
                    declared = sorted({_json_type(v) for v in branch["enum"]})
                elif "properties" in branch:
                    declared = "object"
                else:
                    return None
            for name in [declared] if isinstance(declared, str) else declared:
                fmt = branch.get("format") if name == "string" else None
                kinds.add(_Kind(name, fmt))
        return frozenset(kinds)

    def _values(self, root: Schema, node: Any) -> set[Any] | None:
        """The values an enum (or const) allows; None when not restricted to a list."""
        values: set[Any] = set()
        for branch in schemas.branches(root, node):
            if "const" in branch:
                values.add(_hashable(branch["const"]))
            elif "enum" in branch:
                values.update(_hashable(v) for v in branch["enum"])
            elif branch.get("type") == "null":
                values.add(None)
            else:
                return None
        return values

    # -- schemas ------------------------------------------------------------------------------

    def schema(self, old: Any, new: Any, path: str, direction: Direction) -> None:
        old_node = schemas.resolve(self.old_root, old)
        new_node = schemas.resolve(self.new_root, new)
        reads = direction in ("request", "event")
        writes = direction in ("response", "event")
        if self._types(old, new, path, reads, writes):
            self._enums(old, new, path, reads, writes)
        old_branches = schemas.branches(self.old_root, old_node)
        new_branches = schemas.branches(self.new_root, new_node)
        for kind in ("object", "array"):
            olds = [b for b in old_branches if _primary(b) == kind]
            news = [b for b in new_branches if _primary(b) == kind]
            if len(olds) == 1 and len(news) == 1:
                key = (id(olds[0]), id(news[0]), direction)
                if key in self._active:
                    continue
                self._active.add(key)
                try:
                    self._structure(olds[0], news[0], path, direction, kind)
                finally:
                    self._active.discard(key)

    def _types(self, old: Any, new: Any, path: str, reads: bool, writes: bool) -> bool:
        """Reports a type change; True when the types are compatible."""
        old_kinds, new_kinds = self._kinds(self.old_root, old), self._kinds(self.new_root, new)
        if old_kinds is None and new_kinds is None:
            return True
        if old_kinds is None or new_kinds is None:
            if reads and new_kinds is not None:
                self.report(path, f"type narrowed from any to {_describe(new_kinds)}")
                return False
            if writes and old_kinds is not None:
                self.report(path, f"type widened from {_describe(old_kinds)} to any")
                return False
            return True
        if reads and not all(_accepts(new_kinds, k) for k in old_kinds):
            self.report(path, f"type narrowed from {_describe(old_kinds)} "
                              f"to {_describe(new_kinds)}")
            return False
        if writes and not all(_accepts(old_kinds, k) for k in new_kinds):
            self.report(path, f"type changed from {_describe(old_kinds)} "
                              f"to {_describe(new_kinds)}")
            return False
        return True

    def _enums(self, old: Any, new: Any, path: str, reads: bool, writes: bool) -> None:
        old_values = self._values(self.old_root, old)
        new_values = self._values(self.new_root, new)
        if old_values == new_values:
            return
        if reads and new_values is not None:
            if old_values is None:
                self.report(path, f"restricted to the values {_show(new_values)}")
            elif not old_values <= new_values:
                self.report(path, f"enum narrowed: {_show(old_values - new_values)} "
                                  "no longer accepted")
        if writes and old_values is not None:
            if new_values is None:
                self.report(path, "no longer restricted to the values "
                                  f"{_show(old_values)}")
            elif not new_values <= old_values:
                self.report(path, f"enum widened: {_show(new_values - old_values)} "
                                  "may now be sent")

    def _structure(self, old: Schema, new: Schema, path: str, direction: Direction,
                   kind: str) -> None:
        reads = direction in ("request", "event")
        writes = direction in ("response", "event")
        if kind == "array":
            if "items" in old and "items" in new:
                self.schema(old["items"], new["items"], f"{path}[*]", direction)
            return
        old_props: Mapping[str, Any] = old.get("properties") or {}
        new_props: Mapping[str, Any] = new.get("properties") or {}
        old_required = set(old.get("required") or ())
        new_required = set(new.get("required") or ())
        for name in old_props:
            where = child(path, name)
            if name not in new_props:
                if writes:
                    self.report(where, "field removed")
                elif reads and new.get("additionalProperties") is False:
                    self.report(where, "field removed and now refused "
                                       "(additionalProperties: false)")
            elif writes and name in old_required and name not in new_required:
                self.report(where, "field no longer required: it may now be absent")
        if reads:
            for name in sorted(new_required - old_required):
                self.report(child(path, name), "field newly required")
        for name in old_props:
            if name in new_props:
                self.schema(old_props[name], new_props[name], child(path, name), direction)
        old_extra, new_extra = old.get("additionalProperties"), new.get("additionalProperties")
        if isinstance(old_extra, Mapping) and isinstance(new_extra, Mapping):
            self.schema(old_extra, new_extra, f"{path}[*]", direction)
        elif reads and old_extra not in (None, False) and new_extra is False:
            self.report(path, "other fields no longer accepted (additionalProperties: false)")

    # -- OpenAPI ------------------------------------------------------------------------------

    def openapi(self) -> None:
        old_paths: Mapping[str, Any] = self.old_root.get("paths") or {}
        new_paths: Mapping[str, Any] = self.new_root.get("paths") or {}
        for route, old_item in old_paths.items():
            where = child("$.paths", route)
            if route not in new_paths:
                self.report(where, "path removed")
                continue
            new_item = new_paths[route]
            for method in HTTP_METHODS:
                if method not in old_item:
                    continue
                if method not in new_item:
                    self.report(child(where, method), "operation removed")
                    continue
                self._operation(old_item, new_item, method, child(where, method))

    def _parameters(self, root: Schema, item: Mapping[str, Any], method: str
                    ) -> dict[tuple[str, str], Mapping[str, Any]]:
        found = {}
        for raw in [*(item.get("parameters") or ()), *(item[method].get("parameters") or ())]:
            parameter = schemas.resolve(root, raw)
            found[(parameter.get("in", ""), parameter.get("name", ""))] = parameter
        return found

    def _operation(self, old_item: Mapping[str, Any], new_item: Mapping[str, Any], method: str,
                   path: str) -> None:
        old_params = self._parameters(self.old_root, old_item, method)
        new_params = self._parameters(self.new_root, new_item, method)
        for (place, name), parameter in new_params.items():
            where = child(child(path, "parameters"), f"{place}:{name}")
            before = old_params.get((place, name))
            if parameter.get("required") and not (before and before.get("required")):
                self.report(where, "parameter newly required")
            if before is not None and "schema" in before and "schema" in parameter:
                self.schema(before["schema"], parameter["schema"], child(where, "schema"),
                            "request")
        old_op, new_op = old_item[method], new_item[method]
        old_body = schemas.resolve(self.old_root, old_op.get("requestBody"))
        new_body = schemas.resolve(self.new_root, new_op.get("requestBody"))
        body_path = child(path, "requestBody")
        if new_body and new_body.get("required") and not (old_body and old_body.get("required")):
            self.report(body_path, "request body newly required")
        if old_body and new_body:
            self._contents(old_body, new_body, body_path, "request")
        elif old_body and not new_body:
            self.report(body_path, "request body no longer accepted")
        old_responses: Mapping[str, Any] = old_op.get("responses") or {}
        new_responses: Mapping[str, Any] = new_op.get("responses") or {}
        for status, old_response in old_responses.items():
            where = child(child(path, "responses"), str(status))
            if status not in new_responses:
                if str(status).startswith("2"):
                    self.report(where, "success response removed")
                continue
            old_r = schemas.resolve(self.old_root, old_response)
            new_r = schemas.resolve(self.new_root, new_responses[status])
            self._contents(old_r, new_r, where, "response")

    def _contents(self, old: Mapping[str, Any], new: Mapping[str, Any], path: str,
                  direction: Direction) -> None:
        old_content: Mapping[str, Any] = old.get("content") or {}
        new_content: Mapping[str, Any] = new.get("content") or {}
        for media, old_media in old_content.items():
            where = child(child(path, "content"), media)
            if media not in new_content:
                self.report(where, "media type removed")
            elif "schema" in old_media and "schema" in new_content[media]:
                self.schema(old_media["schema"], new_content[media]["schema"],
                            child(where, "schema"), direction)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _hashable(value: Any) -> Any:
    return repr(value) if isinstance(value, dict | list) else value


def _show(values: Iterable[Any]) -> str:
    return ", ".join(sorted(repr(v) for v in values))


def _primary(schema: Schema) -> str | None:
    declared = schema.get("type")
    if declared is None:
        return "object" if "properties" in schema else None
    if isinstance(declared, list):
        non_null = [t for t in declared if t != "null"]
        return non_null[0] if len(non_null) == 1 else None
    return str(declared)


def openapi_breaking_changes(old: Schema, new: Schema) -> list[BreakingChange]:
    """What in `new` breaks a client written against `old`."""
    comparison = _Comparison(old, new)
    comparison.openapi()
    return comparison.changes


def schema_breaking_changes(old: Schema, new: Schema, direction: Direction = "event",
                            path: str = "$") -> list[BreakingChange]:
    """What in `new` breaks a reader (or, for requests and events, a writer) of `old`."""
    comparison = _Comparison(old, new)
    comparison.schema(old, new, path, direction)
    return comparison.changes
