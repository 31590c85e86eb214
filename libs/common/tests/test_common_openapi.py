"""The published OpenAPI documents say what the servers do (kyodo_common.openapi), and every
error names its trace."""

from __future__ import annotations

import importlib
from typing import Any

import httpx
import pytest
from fastapi import APIRouter
from fastapi.openapi.utils import get_openapi

from kyodo_common import openapi
from kyodo_common.errors import Problem
from kyodo_common.web import IdempotencyKey, create_service_app, no_lifespan

SERVICES = ["residents", "tax", "certificates", "disaster", "automation", "identity"]
METHODS = ("get", "put", "post", "patch", "delete")
TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, item in document["paths"].items()
            for method, op in item.items() if method in METHODS]


@pytest.fixture(scope="module", params=SERVICES)
def document(request: pytest.FixtureRequest) -> dict[str, Any]:
    app = importlib.import_module(f"kyodo_{request.param}.main").create_app()
    published: dict[str, Any] = app.openapi()
    return published


def test_headers_the_server_insists_on_are_required_and_internal_ones_hidden(
    document: dict[str, Any],
) -> None:
    seen = set()
    identity = document["info"]["title"].endswith("identity")  # its If-Match is optional
    for path, method, op in _operations(document):
        for param in op.get("parameters", ()):
            name = param["name"].lower()
            assert name not in ("x-kyodo-assertion", "authorization"), (path, method)
            if name in ("idempotency-key", "x-kyodo-purpose") or \
                    (name == "if-match" and not identity):
                assert param["required"] is True, (path, method, name)
                assert param["schema"].get("type") == "string", (path, method, name)
                seen.add(name)
        if method == "post" and "201" in op["responses"] and not identity:  # creates
            assert any(p["name"] == "Idempotency-Key" for p in op.get("parameters", ())), path
    assert "idempotency-key" in seen or identity


def test_every_error_is_a_documented_problem(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas and "ValidationError" not in schemas
    assert schemas["Problem"]["properties"]["invalid_params"]["items"] == {
        "$ref": "#/components/schemas/InvalidParam"}
    for path, method, op in _operations(document):
        responses = op["responses"]
        assert "500" in responses, (path, method)
        for status, response in responses.items():
            if status[0] in "45":
                assert list(response["content"]) == ["application/problem+json"], \
                    (path, method, status)
                assert response["content"]["application/problem+json"]["schema"] == {
                    "$ref": "#/components/schemas/Problem"}
        names = {p["name"] for p in op.get("parameters", ())}
        if "If-Match" in names:
            assert {"400", "412", "428"} <= responses.keys(), (path, method)
        if "X-Kyodo-Purpose" in names:
            assert "400" in responses, (path, method)
        if "requestBody" in op:
            assert {"413", "422"} <= responses.keys(), (path, method)


def test_secured_operations_name_the_bearer_and_oauth2_schemes(
    document: dict[str, Any],
) -> None:
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearer"]["scheme"] == "bearer"
    assert schemes["oauth2"]["flows"]["clientCredentials"]["tokenUrl"] == "/v1/auth/token"
    assert schemes["oauth2"]["flows"]["password"]["tokenUrl"] == "/v1/auth/token"
    tenant_ops = [op for path, _, op in _operations(document) if "/municipalities/" in path]
    assert tenant_ops
    for op in tenant_ops:
        assert op["security"] == [{"bearer": []}, {"oauth2": []}]
        assert {"401", "403", "404"} <= op["responses"].keys()


def test_the_correction_is_what_changes_fastapis_document() -> None:
    """Without it, FastAPI's own document says the opposite on each point above."""
    app = importlib.import_module("kyodo_residents.main").create_app()
    raw = get_openapi(title=app.title, version=app.version, routes=app.routes)
    move_in = raw["paths"]["/v1/municipalities/{code}/residents/move-ins"]["post"]
    names = {p["name"]: p for p in move_in["parameters"]}
    assert names["Idempotency-Key"]["required"] is False
    assert "X-Kyodo-Assertion" in names
    assert "application/json" in move_in["responses"]["422"]["content"]
    corrected = openapi.correct(raw)
    fixed = corrected["paths"]["/v1/municipalities/{code}/residents/move-ins"]["post"]
    assert {p["name"]: p for p in fixed["parameters"]}["Idempotency-Key"]["required"] is True


def _app_with(router: APIRouter) -> httpx.AsyncClient:
    app = create_service_app(title="t", routers=[router], lifespan=no_lifespan,
                             max_body_bytes=1000)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://service")


async def test_problems_and_answers_carry_the_trace_id() -> None:
    router = APIRouter()

    @router.get("/refused")
    async def refused() -> None:
        raise Problem(409, "Conflict", kind="conflict")

    @router.get("/broken")
    async def broken() -> None:
        raise RuntimeError("boom")

    @router.post("/keyed")
    async def keyed(key: IdempotencyKey = None) -> dict[str, str | None]:
        return {"key": key}

    trace_id = TRACEPARENT.split("-")[1]
    async with _app_with(router) as client:
        for path in ("/refused", "/broken", "/no-such-route"):
            response = await client.get(path, headers={"traceparent": TRACEPARENT})
            assert response.headers.get_list("x-kyodo-trace-id") == [trace_id], path
            assert response.json()["trace_id"] == trace_id, path
        ok = await client.post("/keyed", headers={"traceparent": TRACEPARENT,
                                                  "Idempotency-Key": "k"})
        assert ok.status_code == 200
        assert ok.headers["x-kyodo-trace-id"] == trace_id


def test_examples_go_to_their_operations_media_types_and_the_glossary_is_linked() -> None:
    router = APIRouter()

    @router.post("/v1/things", status_code=201)
    async def make_thing(body: dict[str, str]) -> dict[str, str]:
        return body

    app = create_service_app(title="t", routers=[router], lifespan=no_lifespan,
                             max_body_bytes=1000, examples={"make_thing": openapi.Example(
                                 "a thing", request={"name": "長岡"}, response={"id": "1"}),
                                 "gone": openapi.Example("no such operation", response={})})
    document = app.openapi()
    op = document["paths"]["/v1/things"]["post"]
    assert op["requestBody"]["content"]["application/json"]["examples"] == {
        "example": {"summary": "a thing", "value": {"name": "長岡"}}}
    assert op["responses"]["201"]["content"]["application/json"]["examples"]["example"][
        "value"] == {"id": "1"}
    assert "examples" not in op["responses"]["422"]["content"]["application/problem+json"]
    assert f"]({openapi.GLOSSARY})" in document["info"]["description"]
