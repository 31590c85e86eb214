"""Every service's answers: `nosniff` always, `no-store` unless the route says otherwise, and
a Content-Security-Policy on its HTML pages that admits exactly what the page loads."""

from __future__ import annotations

import base64
import hashlib
import importlib
from collections.abc import AsyncIterator
from html.parser import HTMLParser

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse

from kyodo_common.security_headers import allows_script, html_policy
from kyodo_common.web import create_service_app, no_lifespan

SERVICES = ["residents", "tax", "certificates", "disaster", "automation", "identity"]
TENANT_ROUTES = {
    "residents": "/v1/municipalities/152048/residents/r-1",
    "tax": "/v1/municipalities/152048/tax/declarations",
    "certificates": "/v1/municipalities/152048/certificates",
    "disaster": "/v1/municipalities/152048/disaster/disasters",
    "automation": "/v1/municipalities/152048/automation/scenarios",
    "identity": "/v1/municipalities/152048/identity/staff",
}


def _client(app: FastAPI) -> httpx.AsyncClient:
    # raise_app_exceptions=False: the 500 the app answers is what is checked
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://service")


@pytest.fixture(params=SERVICES)
async def service(request: pytest.FixtureRequest) -> AsyncIterator[httpx.AsyncClient]:
    app = importlib.import_module(f"kyodo_{request.param}.main").create_app()
    async with _client(app) as client:
        client.headers["x-service"] = request.param
        yield client


def _secured(response: httpx.Response) -> None:
    assert response.headers.get("x-content-type-options") == "nosniff", response.url
    assert response.headers.get("cache-control") == "no-store", response.url


async def test_every_service_answer_is_nosniff_and_no_store(
    service: httpx.AsyncClient,
) -> None:
    """Whatever the status (without its lifespan the app answers its tenant routes 500)."""
    name = service.headers["x-service"]
    for path in (TENANT_ROUTES[name], "/openapi.json", "/health/live", "/no/such/route"):
        response = await service.get(path)
        _secured(response)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.inline: list[str] = []
        self.styles: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            if found.get("src"):
                self.scripts.append(found["src"] or "")
            else:
                self._in_script = True
                self.inline.append("")
        if tag == "link" and found.get("rel") == "stylesheet":
            self.styles.append(found.get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.inline[-1] += data


def _admits_the_page(policy: str, html: str) -> None:
    page = _Page()
    page.feed(html)
    assert page.scripts, "the page loads its code from somewhere"
    for src in page.scripts:
        assert allows_script(policy, src), src
    for body in page.inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    style_src = next(d for d in policy.split("; ") if d.startswith("style-src "))
    for href in page.styles:
        assert href.startswith("/") and "'self'" in style_src.split()[1:], href
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in next(d for d in policy.split("; ")
                                         if d.startswith("script-src"))


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/docs/oauth2-redirect"])
async def test_documentation_pages_have_a_policy_that_admits_what_they_load(
    service: httpx.AsyncClient, path: str,
) -> None:
    response = await service.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    _secured(response)
    policy = response.headers["content-security-policy"]
    if path == "/docs/oauth2-redirect":  # one inline script, nothing loaded
        assert "'sha256-" in policy
        return
    _admits_the_page(policy, response.text)


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
async def test_documentation_pages_render_with_no_network(
    service: httpx.AsyncClient, path: str,
) -> None:
    """A closed municipal network reaches no CDN: everything a page loads comes from the
    service itself, and is there."""
    response = await service.get(path)
    page = _Page()
    page.feed(response.text)
    loaded = [*page.scripts, *page.styles]
    assert loaded
    assert "https://" not in response.text and "http://" not in response.text
    for url in loaded:
        asset = await service.get(url)
        assert asset.status_code == 200, url
        assert asset.headers["content-type"].split(";")[0] in ("text/javascript", "text/css")
        assert asset.headers["x-content-type-options"] == "nosniff"
        assert len(asset.content) > 10_000
    assert (await service.get("/docs/assets/0/swagger-ui.js")).status_code == 404


def test_an_inline_script_changed_by_one_byte_is_not_admitted() -> None:
    policy = html_policy(b"<script>run()</script>")
    other = base64.b64encode(hashlib.sha256(b"run(1)").digest()).decode()
    assert other not in policy
    assert "'sha256-" in policy


async def test_a_route_may_set_its_own_cache_control_and_errors_are_secured_too() -> None:
    router = APIRouter()

    @router.get("/public")
    async def public() -> JSONResponse:
        return JSONResponse({"keys": []}, headers={"Cache-Control": "public, max-age=60"})

    @router.get("/boom")
    async def boom() -> None:
        raise RuntimeError("unexpected")

    @router.post("/echo")
    async def echo() -> dict[str, str]:
        return {}

    app = create_service_app(title="t", routers=[router], lifespan=no_lifespan,
                             max_body_bytes=10)
    async with _client(app) as client:
        public = await client.get("/public")
        assert public.headers["cache-control"] == "public, max-age=60"
        assert public.headers["x-content-type-options"] == "nosniff"
        failed = await client.get("/boom")
        assert failed.status_code == 500
        _secured(failed)
        too_big = await client.post("/echo", content=b"x" * 100)
        assert too_big.status_code == 413
        _secured(too_big)
