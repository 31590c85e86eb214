"""Every list in the merged OpenAPI answers one envelope (`items` + `next`) and takes `limit`
and `cursor` (kyodo_common.paging; issue #16): no bare arrays, no service's own paging names.

A GET answers a list when its answer is an array, when it takes a paging parameter, or when
its path ends in a collection (a literal segment, not `{id}`) and its answer holds an array.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from kyodo_common.paging import MAX_LIMIT
from kyodo_launcher.contracts.client import merged_openapi

ROOT = Path(__file__).resolve().parents[2]
PAGING_PARAMETERS = {"limit", "cursor", "after", "before", "offset", "page", "page_size"}
# One document, not a list, though it ends in a literal and holds arrays: the caller's own
# roles, scopes and grants in force (a staff member holds a few at most).
DOCUMENTS = {"/v1/auth/me"}


@cache
def _merged() -> dict[str, Any]:
    documents = {f"openapi/{p.name}": p.read_text(encoding="utf-8")
                 for p in sorted((ROOT / "contracts/openapi").glob("*.json"))}
    return merged_openapi(documents)


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _is_array(document: dict[str, Any], schema: dict[str, Any]) -> bool:
    schema = _resolve(document, schema)
    return schema.get("type") == "array" or any(
        _is_array(document, branch) for branch in schema.get("anyOf", []))


def _answer(document: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any] | None:
    content = operation["responses"].get("200", {}).get("content", {})
    if "application/json" not in content:
        return None
    return _resolve(document, content["application/json"].get("schema", {}))


def _query(operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in operation.get("parameters", []) if p.get("in") == "query"}


def lists(document: dict[str, Any]) -> list[str]:
    """`GET path` of every operation answering a list."""
    found = []
    for path, operations in document["paths"].items():
        operation = operations.get("get")
        answer = _answer(document, operation) if operation else None
        if operation is None or answer is None or path in DOCUMENTS:
            continue
        collection = not path.rstrip("/").rsplit("/", 1)[-1].startswith("{")
        holds_array = any(_is_array(document, p) for p in answer.get("properties", {}).values())
        if (_is_array(document, answer) or PAGING_PARAMETERS & set(_query(operation))
                or (collection and holds_array)):
            found.append(path)
    return found


def envelope_faults(document: dict[str, Any], path: str) -> list[str]:
    """What keeps the list at ``path`` from being the platform's envelope."""
    operation = document["paths"][path]["get"]
    answer = _answer(document, operation) or {}
    faults = []
    properties = answer.get("properties", {})
    if answer.get("type") != "object" or set(properties) != {"items", "next"}:
        faults.append(f"answers {sorted(properties) or answer.get('type')}, not items + next")
    elif not _is_array(document, properties["items"]):
        faults.append("items is not an array")
    elif {b.get("type") for b in properties["next"].get("anyOf", [])} != {"string", "null"}:
        faults.append("next is not a string or null")
    if set(answer.get("required", [])) != {"items", "next"} and not faults:
        faults.append("items and next are not both required")
    query = _query(operation)
    limit = query.get("limit", {}).get("schema", {})
    if (limit.get("minimum"), limit.get("maximum")) != (1, MAX_LIMIT):
        faults.append(f"limit is not 1..{MAX_LIMIT}")
    if "cursor" not in query:
        faults.append("no cursor parameter")
    if {"after", "before", "offset", "page", "page_size"} & set(query):
        faults.append("pages with a parameter of its own")
    return faults


def test_the_merged_contract_has_every_list_we_know_of() -> None:
    found = set(lists(_merged()))
    # The inventory of #16 (bare arrays and own paging names before): a list the detection
    # stopped seeing would silently escape the check below.
    assert {"/v1/municipalities/{code}/disaster/disasters",
            "/v1/municipalities/{code}/residents/transfers/incoming",
            "/v1/municipalities/{code}/residents/{resident_id}/access-log",
            "/v1/municipalities/{code}/tax/rules",
            "/v1/municipalities/{code}/tax/bulk-assessments/{job_id}/refusals",
            "/v1/municipalities/{code}/identity/purposes",
            "/v1/municipalities/{code}/automation/human-queue",
            "/v1/platform/municipalities"} <= found
    assert len(found) >= 24


@pytest.mark.parametrize("path", lists(_merged()))
def test_every_list_answers_the_envelope_and_takes_limit_and_cursor(path: str) -> None:
    assert envelope_faults(_merged(), path) == []


def test_the_check_sees_a_bare_array_and_a_page_of_its_own() -> None:
    document = copy.deepcopy(_merged())
    document["paths"]["/v1/things"] = {"get": {"responses": {"200": {"content": {
        "application/json": {"schema": {"type": "array", "items": {"type": "string"}}}}}}}}
    document["paths"]["/v1/pages"] = {"get": {
        "parameters": [{"name": "after", "in": "query", "schema": {"type": "string"}}],
        "responses": {"200": {"content": {"application/json": {"schema": {
            "type": "object", "properties": {"rows": {"type": "array"},
                                             "next_after": {"type": "string"}}}}}}}}}
    assert {"/v1/things", "/v1/pages"} <= set(lists(document))
    assert envelope_faults(document, "/v1/things")
    assert "pages with a parameter of its own" in envelope_faults(document, "/v1/pages")


def test_no_operation_answers_a_bare_array() -> None:
    """Searches by POST answer the envelope too (their limit and cursor are in the body)."""
    document = _merged()
    bare = [f"{method.upper()} {path} {status}"
            for path, operations in document["paths"].items()
            for method, operation in operations.items()
            if isinstance(operation, dict) and "responses" in operation
            for status, response in operation["responses"].items() if status.startswith("2")
            if _is_array(document, response.get("content", {}).get("application/json", {})
                         .get("schema", {}))]
    assert bare == []
