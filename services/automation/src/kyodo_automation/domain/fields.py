"""Typed fields (inputs, and the fields of each item of a for_each): values from a CSV file
arrive as text, so they are converted to their declared type before they are checked."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from jsonschema import Draft202012Validator

_INTEGER = re.compile(r"^[+-]?\d+$")
_JSON_TYPES = {"string": "string", "integer": "integer", "number": "number",
               "boolean": "boolean", "date": "string", "rows": "array", "object": "object"}


def coerce(value: Any, kind: str) -> Any:
    """Text to the declared type where it reads as one; anything else is left for the check."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if kind == "integer" and _INTEGER.match(text.replace(",", "")):
        return int(text.replace(",", ""))
    if kind == "number":
        try:
            return float(text.replace(",", ""))
        except ValueError:
            return value
    if kind == "boolean" and text.lower() in ("true", "false", "1", "0", "yes", "no"):
        return text.lower() in ("true", "1", "yes")
    return text if kind in ("string", "date") else value


def json_schema(fields: dict[str, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for name, spec in fields.items():
        prop: dict[str, Any] = {"type": _JSON_TYPES[spec["type"]]}
        for key in ("pattern", "minimum", "maximum", "enum"):
            if key in spec:
                prop[key] = spec[key]
        if spec["type"] == "date":
            prop["pattern"] = r"^\d{4}-\d{2}-\d{2}$"
        if spec["type"] == "string" and spec.get("required"):
            prop.setdefault("minLength", 1)
        properties[name] = prop
    return {"type": "object", "properties": properties,
            "required": sorted(n for n, s in fields.items() if s.get("required"))}


def typed(values: dict[str, Any], fields: dict[str, Any]
          ) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The values converted, defaults filled, and the problems per field (empty when valid).

    Blank optional cells count as absent, as in a spreadsheet."""
    result = dict(values)
    for name, spec in fields.items():
        if result.get(name) in (None, "") and not spec.get("required"):
            result.pop(name, None)
            if "default" in spec:
                result[name] = spec["default"]
        elif name in result:
            result[name] = coerce(result[name], spec["type"])
    problems: list[dict[str, str]] = []
    for error in Draft202012Validator(json_schema(fields)).iter_errors(result):
        name = str(error.path[0]) if error.path else _missing(error.message)
        problems.append({"name": name, "reason": _reason(error.validator, error.message)})
    for name, spec in fields.items():
        if spec["type"] == "date" and isinstance(result.get(name), str) \
                and not any(p["name"] == name for p in problems):
            try:
                date.fromisoformat(result[name])
            except ValueError:
                problems.append({"name": name, "reason": "not a date (YYYY-MM-DD)"})
    return result, problems


def _missing(message: str) -> str:
    return message.split("'")[1] if "'" in message else "?"


def _reason(validator: Any, message: str) -> str:
    if validator == "required":
        return "required"
    return message
