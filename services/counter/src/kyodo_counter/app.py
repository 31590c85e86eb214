"""The composition root: settings, sessions, the gateway client, the pages."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from kyodo_counter import timing
from kyodo_counter.gateway import ApiError, Gateway, SessionExpired
from kyodo_counter.pages import admin as town_admin
from kyodo_counter.pages import auth, certificates, disaster, people, procedures, tax, verify
from kyodo_counter.problems import form_errors
from kyodo_counter.session_file import SessionFile
from kyodo_counter.sessions import SessionStore
from kyodo_counter.settings import CounterSettings
from kyodo_counter.web import (
    BadCsrf,
    NotSignedIn,
    current_session,
    redirect,
    render,
    security_headers,
)

STATIC = Path(__file__).parent / "static"


class SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        started = time.perf_counter()
        spent = timing.begin()
        try:
            response = await call_next(request)
        finally:
            flushing = time.perf_counter()
            request.app.state.sessions.flush()  # what the request changed, kept on disk
            timing.add("session", flushing)
        security_headers(response)
        response.headers["Server-Timing"] = timing.header(
            spent, (time.perf_counter() - started) * 1000)
        return response


def session_store(settings: CounterSettings) -> SessionStore:
    durable = (SessionFile(settings.state_dir, settings.session_key_list())
               if settings.state_dir is not None else None)
    return SessionStore(idle_seconds=settings.idle_minutes * 60, durable=durable)


def create_app(settings: CounterSettings | None = None, gateway: Gateway | None = None) -> FastAPI:
    settings = settings or CounterSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        await app.state.gateway.close()
        if app.state.sessions.durable is not None:
            app.state.sessions.durable.close()

    app = FastAPI(title="Kyodo 窓口", lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url=None)
    app.state.settings = settings
    app.state.sessions = session_store(settings)
    app.state.gateway = gateway or Gateway(settings.gateway_url)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (auth, people, procedures, certificates, tax, disaster, town_admin, verify):
        app.include_router(module.router)

    @app.exception_handler(NotSignedIn)
    async def to_login(request: Request, exc: NotSignedIn) -> Response:
        return redirect("/login")

    @app.exception_handler(SessionExpired)
    async def expired(request: Request, exc: SessionExpired) -> Response:
        session = current_session(request)
        if session is not None:
            request.app.state.sessions.end(session)
        return redirect("/login")

    @app.exception_handler(BadCsrf)
    async def bad_csrf(request: Request, exc: BadCsrf) -> HTMLResponse:
        return render(request, "error.html", current_session(request), status_code=403,
                      message="フォームの有効期限が切れたか、不正な送信です。画面を読み込み直してください。")

    @app.exception_handler(ApiError)
    async def api_refused(request: Request, exc: ApiError) -> HTMLResponse:
        """A page whose reads the API refused (no right, not found): said in Japanese."""
        message = form_errors(exc.status, exc.problem, set()).general[0]
        return render(request, "error.html", current_session(request),
                      status_code=exc.status if exc.status < 500 else 502, message=message)

    @app.get("/health/live")
    async def live() -> PlainTextResponse:
        return PlainTextResponse("ok")

    return app
