"""Reading a producer's JSON Schema by field path (`residents[].address`): the types at a
path, and example data a consumer's handler can be run on."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, Literal

Schema = Mapping[str, Any]
Fill = Literal["full", "sparse"]

# The type names consumer expectations use: JSON types, with the string formats a consumer
# parses (a uuid changed to a plain string breaks `uuid.UUID(...)` as surely as a removal).
FORMATS = {"uuid": "uuid", "date": "date", "date-time": "date-time"}
_EXAMPLE_STRINGS = {"uuid": None, "date": "2026-01-01", "date-time": "2026-01-01T09:00:00+09:00"}


# Keywords that may stand beside a lone `allOf` wrapper without changing what it allows.
_ANNOTATIONS = frozenset({"allOf", "description", "title", "default", "examples"})


def resolve(root: Schema, node: Any) -> Any:
    """The node behind a chain of local `$ref`s and lone `allOf` wrappers."""
    for _ in range(64):
        if not isinstance(node, Mapping):
            return node
        if isinstance(node.get("$ref"), str) and node["$ref"].startswith("#"):
            target: Any = root
            for part in node["$ref"].removeprefix("#").strip("/").split("/"):
                if part:
                    target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
        elif set(node) <= _ANNOTATIONS and isinstance(node.get("allOf"), list) \
                and len(node["allOf"]) == 1:
            node = node["allOf"][0]
        else:
            return node
    raise ValueError("reference loop")


def branches(root: Schema, node: Any) -> list[Schema]:
    """The alternatives of an `anyOf`/`oneOf` (flattened), or the schema itself."""
    node = resolve(root, node)
    for key in ("anyOf", "oneOf"):
        if isinstance(node, Mapping) and isinstance(node.get(key), list):
            return [b for v in node[key] for b in branches(root, v)]
    return [node] if isinstance(node, Mapping) else []


def type_names(root: Schema, node: Any) -> frozenset[str]:
    """`uuid`, `date`, `string`, `integer`, `object`, `null`… allowed at this node."""
    names: set[str] = set()
    for branch in branches(root, node):
        declared = branch.get("type") or ("object" if "properties" in branch else "any")
        for name in [declared] if isinstance(declared, str) else declared:
            if name == "string" and branch.get("format") in FORMATS:
                name = FORMATS[branch["format"]]
            names.add(name)
    return frozenset(names)


def split_path(path: str) -> list[str]:
    """`residents[].address` → ["residents", "[]", "address"]."""
    parts: list[str] = []
    for piece in path.split("."):
        name, brackets = piece.split("[", 1) if "[" in piece else (piece, "")
        if name:
            parts.append(name)
        parts.extend("[]" for _ in range(brackets.count("]")))
    return parts


def node_at(root: Schema, path: str) -> Any | None:
    """The schema of the field at `path`, or None when the schema has no such field."""
    node: Any = root
    for part in split_path(path):
        found = None
        for branch in branches(root, node):
            if part == "[]" and "items" in branch:
                found = branch["items"]
            elif part != "[]" and part in (branch.get("properties") or {}):
                found = branch["properties"][part]
            if found is not None:
                break
        if found is None:
            return None
        node = found
    return node


def describe(names: frozenset[str]) -> str:
    """`uuid | null`: the notation of the consumer files (null last)."""
    return " | ".join(sorted(names, key=lambda n: (n == "null", n)))


def parse(text: str) -> frozenset[str]:
    return frozenset(part.strip() for part in str(text).split("|"))


def example(root: Schema, fill: Fill, overrides: Mapping[str, Any] | None = None) -> Any:
    """Data valid for the schema, one element per array. `full` gives every field a value
    that is not empty (optional fields present, booleans true); `sparse` the least (nulls,
    defaults, zeros, empty strings, false), so that a handler run on both takes both sides
    of its `if x` and `a or b`. `overrides` (path → value) supply what a schema cannot say, such
    as a string the consumer converts to an enum of its own."""
    return _example(root, root, fill, dict(overrides or {}), "")


def _join(path: str, part: str) -> str:
    if part == "[]":
        return f"{path}[]"
    return f"{path}.{part}" if path else part


def _example(root: Schema, node: Any, fill: Fill, overrides: dict[str, Any], path: str
             ) -> Any:
    if path in overrides:
        return overrides[path]
    options = branches(root, node)
    if not options:
        return None
    non_null = [b for b in options if b.get("type") != "null"]
    if fill == "sparse" and len(non_null) < len(options):
        return None
    branch = non_null[0] if non_null else options[0]
    if "const" in branch:
        return branch["const"]
    if "enum" in branch:
        return branch["enum"][0]
    declared = branch.get("type") or ("object" if "properties" in branch else "string")
    if isinstance(declared, list):
        declared = next((t for t in declared if t != "null"), "null")
    if declared == "object":
        properties: Mapping[str, Any] = branch.get("properties") or {}
        required = set(branch.get("required") or ())
        return {name: _example(root, sub, fill, overrides, _join(path, name))
                for name, sub in properties.items() if fill == "full" or name in required}
    if declared == "array":
        if branch.get("maxItems") == 0:
            return []
        return [_example(root, branch.get("items", {}), fill, overrides, _join(path, "[]"))]
    if declared in ("integer", "number"):
        low = branch.get("minimum", 0)
        return low if fill == "sparse" else min(max(low, 1), branch.get("maximum", 1 << 31))
    if declared == "boolean":
        return fill == "full"
    if declared == "null":
        return None
    fmt = branch.get("format")
    if fmt == "uuid":
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"kyodo-contracts:{path}"))
    if fmt in _EXAMPLE_STRINGS:
        return _EXAMPLE_STRINGS[fmt]
    return "x" * max(branch.get("minLength", 0), 1 if fill == "full" else 0)
