"""Hostile text at the boundary, without a database: every service's routes are covered by the
shared checks (so a new field cannot forget them), and the checks answer 422 naming the field.
Issue #17, finding 6: a NUL byte in a search gave a 500 and poisoned the gateway's connection."""

from __future__ import annotations

import importlib
import json
import typing
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any

import asyncpg
import httpx
import pytest
from fastapi import APIRouter, FastAPI, Header, Query
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field, TypeAdapter, ValidationError
from sqlalchemy.exc import DBAPIError

from kyodo_common.errors import PROBLEM_JSON
from kyodo_common.text import MULTILINE, refuse_controls_in_file
from kyodo_common.web import ApiModel, _refuse_control_characters, create_service_app, no_lifespan
from kyodo_launcher.catalogue import SERVICES

# NUL, other C0, ESC, DEL, C1 (NEL), a lone surrogate, a non-character; inside the text, as
# the whitespace among them would otherwise be stripped at the ends.
HOSTILE = ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\ud800", "\uffff", "\U0010fffe"]


def _apps() -> Iterator[tuple[str, FastAPI]]:
    for spec in SERVICES:
        yield spec.name, importlib.import_module(f"{spec.package}.main").create_app()


def _routes(app: FastAPI) -> Iterator[Any]:
    """Every endpoint with its effective dependencies (FastAPI includes routers lazily)."""
    for route in app.routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "effective_route_contexts"):
            yield from (c for c in route.effective_route_contexts() if c.dependant is not None)


ROUTES = [(name, route) for name, app in _apps() for route in _routes(app)]


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    for arg in typing.get_args(annotation):
        yield from _models_in(arg)


@pytest.mark.parametrize(("service", "route"), ROUTES,
                         ids=[f"{s}:{','.join(sorted(r.methods))}:{r.path}" for s, r in ROUTES])
def test_every_route_checks_its_parameters_and_every_body_is_an_api_model(
        service: str, route: Any) -> None:
    first = route.dependant.dependencies[0]
    assert first.call is _refuse_control_characters, "the app-wide check runs first"
    for param in route.dependant.body_params:
        annotation = param.field_info.annotation
        models = list(_models_in(annotation))
        for model in models:  # nested models of other kinds are walked by their ApiModel
            assert issubclass(model, ApiModel), f"{model.__name__} is not an ApiModel"
        if not models:  # a form field: the shared text type
            metadata = param.field_info.metadata
            typed = Annotated[annotation, *metadata] if metadata else annotation
            with pytest.raises(ValidationError):
                TypeAdapter(typed).validate_python("ナ\x00")


def _url(route: Any, **values: str) -> str:
    """The route's path with its parameters filled (a municipality, ids)."""
    path = route.path
    for param in route.dependant.path_params:
        value = values.get(param.name, "152048" if param.name == "code" else str(uuid.uuid4()))
        path = path.replace(f"{{{param.name}}}", value)
    return path


@pytest.fixture(scope="module")
async def services() -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    """Each service's real app, as created for production (no database: the checks answer
    before anything else does)."""
    clients = {name: httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                       base_url=f"http://{name}") for name, app in _apps()}
    yield clients
    for client in clients.values():
        await client.aclose()


API_ROUTES = [(name, route, method) for name, route in ROUTES for method in sorted(route.methods)
              if route.path.startswith("/v1/")]


@pytest.mark.parametrize(("service", "route", "method"), API_ROUTES,
                         ids=[f"{s}:{m}:{r.path}" for s, r, m in API_ROUTES])
async def test_every_route_refuses_hostile_parameters_and_headers_first(
        services: dict[str, httpx.AsyncClient], service: str, route: Any, method: str) -> None:
    client = services[service]
    _refused(await client.request(method, f"{_url(route)}?q=%E3%83%8A%00"), "q")
    _refused(await client.request(method, _url(route),
                                  headers={"X-Kyodo-Purpose": b"counter\x01"}), "X-Kyodo-Purpose")
    for param in route.dependant.path_params:
        if param.name != "code" and param.field_info.annotation is str:
            _refused(await client.request(method, _url(route, **{param.name: "x%00y"})),
                     param.name)


# --- the mechanism, on a small app made like every service's ---------------------------------


class Inner(ApiModel):
    address: str


class Domain(BaseModel):  # a domain model inside a request body
    mayor_name: str


class Body(ApiModel):
    family_name: str
    note: Annotated[str | None, MULTILINE] = None
    inner: Inner | None = None
    tags: list[str] = Field(default_factory=list)
    inputs: dict[str, Any] = Field(default_factory=dict)
    config: Domain | None = None


def _app() -> FastAPI:
    router = APIRouter()

    @router.post("/things/{name}")
    async def create(name: str, body: Body,
                     kana: Annotated[str | None, Query()] = None,
                     purpose: Annotated[str | None, Header(alias="X-Kyodo-Purpose")] = None,
                     ) -> dict[str, Any]:
        return {"ok": True}

    @router.post("/fails/{kind}")
    async def fails(kind: str) -> None:
        error: Exception
        if kind == "repertoire":  # what asyncpg raises for a NUL PostgreSQL refused
            error = asyncpg.exceptions.CharacterNotInRepertoireError(
                'invalid byte sequence for encoding "UTF8": 0x00')
        elif kind == "wrapped":  # the same through SQLAlchemy
            cause = asyncpg.exceptions.UntranslatableCharacterError("unsupported escape")
            error = DBAPIError("SELECT 1", {}, cause)
        else:
            error = asyncpg.exceptions.UniqueViolationError("duplicate key")
        raise error

    return create_service_app(title="t", routers=[router], lifespan=no_lifespan,
                              max_body_bytes=1_000_000)


@pytest.fixture(scope="module")
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        yield c


def _json(body: dict[str, Any]) -> bytes:
    return json.dumps(body).encode()  # ASCII with escapes: "\ud800" travels as JSON allows


async def _post(client: httpx.AsyncClient, body: dict[str, Any], *, name: str = "x",
                params: dict[str, str] | None = None,
                headers: dict[str, Any] | None = None) -> httpx.Response:
    return await client.post(f"/things/{name}", content=_json(body), params=params,
                             headers={"Content-Type": "application/json", **(headers or {})})


def _refused(response: httpx.Response, field: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    (name,) = [p["name"].lower() for p in response.json()["invalid_params"]]
    assert name == field.lower() or name.startswith(f"{field}.")  # tags.1: the item


async def test_clean_text_passes(client: httpx.AsyncClient) -> None:
    response = await _post(client, {"family_name": "山田", "note": "一行目\n\t二行目\r\n",
                                    "inner": {"address": "三条市旭町"}, "tags": ["ア"],
                                    "inputs": {"k": ["v"]}},
                           params={"kana": "ヤマダ"}, headers={"X-Kyodo-Purpose": "identity-check"})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("bad", HOSTILE)
@pytest.mark.parametrize(("body", "field"), [
    ({"family_name": "ナ{}ナ"}, "family_name"),
    ({"family_name": "a", "note": "x{}y"}, "note"),
    ({"family_name": "a", "inner": {"address": "旭町{}"}}, "inner.address"),
    ({"family_name": "a", "tags": ["ok", "a{}b"]}, "tags"),
    ({"family_name": "a", "inputs": {"k": {"deep": "v{}"}}}, "inputs"),
    ({"family_name": "a", "config": {"mayor_name": "試験{}太郎"}}, "config"),
])
async def test_a_body_field_with_a_hostile_character_is_a_422_naming_it(
        client: httpx.AsyncClient, body: dict[str, Any], field: str, bad: str) -> None:
    filled = json.loads(json.dumps(body).replace("{}", json.dumps(bad)[1:-1]))
    _refused(await _post(client, filled), field)


@pytest.mark.parametrize("bad", ["\n", "\t", "\r"])
async def test_line_breaks_are_refused_in_single_line_fields_only(
        client: httpx.AsyncClient, bad: str) -> None:
    _refused(await _post(client, {"family_name": f"山{bad}田"}), "family_name")
    assert (await _post(client, {"family_name": "山田", "note": f"a{bad}b"})).status_code == 200


@pytest.mark.parametrize("bad", ["%00", "%01", "%7F", "%C2%85"])
async def test_path_and_query_parameters_are_checked(client: httpx.AsyncClient,
                                                     bad: str) -> None:
    ok = {"family_name": "a"}
    _refused(await client.post(f"/things/x{bad}", content=_json(ok),
                               headers={"Content-Type": "application/json"}), "name")
    _refused(await client.post(f"/things/x?kana=ナ{bad}", content=_json(ok),
                               headers={"Content-Type": "application/json"}), "kana")
    _refused(await client.post(f"/things/x?ナ{bad}=1", content=_json(ok),
                               headers={"Content-Type": "application/json"}), "query")


@pytest.mark.parametrize("bad", [b"\x00", b"\x01", b"\x1b", b"\x7f"])
async def test_headers_are_checked(client: httpx.AsyncClient, bad: bytes) -> None:
    _refused(await _post(client, {"family_name": "a"},
                         headers={"X-Kyodo-Purpose": b"counter" + bad + b"x"}),
             "X-Kyodo-Purpose")
    _refused(await _post(client, {"family_name": "a"}, headers={"X-Other": b"v" + bad}),
             "X-Other")


@pytest.mark.parametrize(("kind", "status"), [("repertoire", 422), ("wrapped", 422),
                                              ("other", 500)])
async def test_a_text_the_database_refuses_is_a_422_not_a_500(
        client: httpx.AsyncClient, kind: str, status: int) -> None:
    response = await client.post(f"/fails/{kind}")
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM_JSON


@pytest.mark.parametrize(("content", "line"), [
    (b"a,b\n\xe5\xb1\xb1\x00,c\n", 2), (b"x\x01", 1), ("a: 1\nb: \x7f\n", 2),
    ("a: 1\nb: \ud800\n", 2), (b"\x82\xa0,\x7f\r\n", 1)])
def test_a_file_with_a_control_character_is_refused_with_its_line(content: bytes | str,
                                                                  line: int) -> None:
    with pytest.raises(Exception) as caught:
        refuse_controls_in_file(content)
    assert f"line {line} " in str(caught.value)


def test_files_keep_tabs_line_breaks_and_shift_jis() -> None:
    refuse_controls_in_file("住所\t番地\r\n三条市\n".encode("shift_jis"))
    refuse_controls_in_file("scenario: x\n\tsteps: []\r\n")

