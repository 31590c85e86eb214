"""The published OpenAPI documents explain themselves (issue #16): every property has a
description, every operation a realistic example that is valid against its own schema, and
the Japanese terms are explained in English in docs/glossary.md, which every document links.

The examples live in each service's `api/examples.py` (kyodo_common.openapi.Example by
operation id); an example that drifts from the schema, or names an operation that is gone,
fails here."""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from openapi_schema_validator import OAS31Validator, oas31_format_checker

from kyodo_common.openapi import GLOSSARY
from kyodo_launcher.catalogue import SERVICES
from kyodo_launcher.contracts.client import merged_openapi
from kyodo_launcher.contracts.documents import render

ROOT = Path(__file__).resolve().parents[2]
SERVICE_NAMES = [spec.name for spec in SERVICES]
PACKAGES = {spec.name: spec.package for spec in SERVICES}
METHODS = ("get", "put", "post", "patch", "delete")
# Files, not data: an example of a PDF upload says nothing a schema could check.
BINARY = frozenset({"application/pdf", "multipart/form-data"})
# The terms the brief of issue #16 names, and those the API's own descriptions lean on.
REQUIRED_TERMS = ["住民票", "転入", "転出", "転居", "出生", "死亡", "職権記載", "職権消除", "世帯",
                  "世帯主", "世帯分離", "世帯合併", "世帯変更", "続柄", "本籍", "支援措置",
                  "特例転入", "住民税", "課税証明書", "非課税証明書", "罹災証明書", "被災証明書",
                  "外字", "全国地方公共団体コード", "宛名番号", "個人番号", "異動日", "均等割",
                  "所得割", "特別徴収", "普通徴収", "賦課期日", "給与支払報告書", "全壊",
                  "大規模半壊", "被災者台帳", "被災者生活再建支援金", "対口支援", "和暦",
                  "フリガナ"]


@cache
def document(service: str) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(render()[f"openapi/{service}.json"])
    return parsed


def _operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield path, method, op


def _properties(name: str, schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property of a schema, inline objects' too, with its dotted name."""
    for prop, sub in (schema.get("properties") or {}).items():
        yield f"{name}.{prop}", sub
        for branch in [sub, sub.get("items") or {}, *sub.get("anyOf", ())]:
            if isinstance(branch, dict) and "properties" in branch:
                yield from _properties(f"{name}.{prop}", branch)


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_every_property_has_a_description(service: str) -> None:
    schemas = document(service)["components"]["schemas"]
    undocumented = [name for title, schema in schemas.items()
                    for name, prop in _properties(title, schema)
                    if not str(prop.get("description", "")).strip()]
    assert not undocumented, (
        f"{len(undocumented)} properties of {service}'s API have no description (pydantic "
        f"Field(description=...), English with the Japanese term): {', '.join(undocumented)}")


def _examples(service: str) -> dict[str, Any]:
    module = importlib.import_module(f"{PACKAGES[service]}.api.examples")
    examples: dict[str, Any] = module.EXAMPLES
    return examples


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_every_operation_has_a_request_and_a_response_example(service: str) -> None:
    missing = []
    for path, method, op in _operations(document(service)):
        where = f"{op['operationId']} ({method.upper()} {path})"
        for media_type, content in op.get("requestBody", {}).get("content", {}).items():
            if media_type not in BINARY and not content.get("examples"):
                missing.append(f"{where}: request {media_type}")
        answers = [response["content"]["application/json"]
                   for status, response in op["responses"].items()
                   if status.startswith("2") and "application/json" in response.get("content", {})]
        if answers and not any(answer.get("examples") for answer in answers):
            missing.append(f"{where}: 2xx response")
    assert not missing, (f"operations of {service} without examples (add them to "
                         f"{PACKAGES[service]}/api/examples.py): " + "; ".join(missing))


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_the_examples_name_operations_that_exist(service: str) -> None:
    ids = {op["operationId"] for _, _, op in _operations(document(service))}
    assert not set(_examples(service)) - ids, \
        f"{service}'s examples name no operation: {sorted(set(_examples(service)) - ids)}"


def _validate(doc: dict[str, Any], schema: dict[str, Any], value: Any) -> list[str]:
    # `#/components/...` references resolve against the schema's root: give it the document's.
    rooted = {**schema, "components": doc["components"]}
    validator = OAS31Validator(rooted, format_checker=oas31_format_checker)
    return [f"{'/'.join(map(str, error.absolute_path)) or '(body)'}: {error.message}"
            for error in validator.iter_errors(value)]


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_every_example_is_valid_against_its_schema(service: str) -> None:
    doc = document(service)
    problems = []
    for _, _, op in _operations(doc):
        contents = [("request", media_type, content) for media_type, content
                    in op.get("requestBody", {}).get("content", {}).items()]
        contents += [(status, media_type, content) for status, response
                     in op["responses"].items() for media_type, content
                     in response.get("content", {}).items()]
        for part, media_type, content in contents:
            for name, example in (content.get("examples") or {}).items():
                for error in _validate(doc, content.get("schema", {}), example["value"]):
                    problems.append(f"{op['operationId']} {part} {media_type} example {name!r} "
                                    f"at {error}")
    assert not problems, "examples that do not match their schema:\n" + "\n".join(problems)


def test_the_validation_catches_an_example_that_drifted() -> None:
    """The check above is not vacuous: a wrong type, a missing field and a malformed date are
    each caught, through a reference into the components."""
    doc = {"components": {"schemas": {"Thing": {
        "type": "object", "required": ["id", "on"],
        "properties": {"id": {"type": "string", "format": "uuid"},
                       "on": {"type": "string", "format": "date"}}}}}}
    schema = {"$ref": "#/components/schemas/Thing"}
    assert _validate(doc, schema, {"id": "0b7e6c1c-3f5a-4d2e-9c1b-5a6f7e8d9c0b",
                                   "on": "2026-04-01"}) == []
    assert _validate(doc, schema, {"id": 7, "on": "2026-04-01"})
    assert _validate(doc, schema, {"on": "2026-04-01"})
    assert _validate(doc, schema, {"id": "0b7e6c1c-3f5a-4d2e-9c1b-5a6f7e8d9c0b",
                                   "on": "令和8年4月1日"})


def _glossary() -> str:
    path = ROOT / GLOSSARY
    assert path.is_file(), f"{GLOSSARY} is missing"
    return path.read_text(encoding="utf-8")


def _glossary_terms() -> set[str]:
    """The terms the glossary defines: each is written in bold where it is explained."""
    return set(re.findall(r"\*\*([^*]+)\*\*", _glossary()))


def test_the_glossary_explains_the_japanese_terms() -> None:
    terms = _glossary_terms()
    assert not [t for t in REQUIRED_TERMS if t not in terms], \
        f"terms missing from {GLOSSARY}: {[t for t in REQUIRED_TERMS if t not in terms]}"


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_every_document_links_the_glossary(service: str) -> None:
    assert f"]({GLOSSARY})" in document(service)["info"]["description"]


def test_the_merged_document_and_the_readme_link_the_glossary() -> None:
    merged = merged_openapi(render())
    assert f"]({GLOSSARY})" in merged["info"]["description"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"]({GLOSSARY})" in readme


def test_the_glossary_terms_used_in_the_descriptions_are_in_it() -> None:
    """A Japanese word of the vocabulary REQUIRED_TERMS names that appears in a published
    description is one the glossary explains (a guard for the list and the glossary together)."""
    text = " ".join(json.dumps(document(s), ensure_ascii=False) for s in SERVICE_NAMES)
    used = {term for term in REQUIRED_TERMS if term in text}
    assert used <= _glossary_terms()
    assert {"転入", "職権記載", "世帯分離", "続柄"} <= used
