"""What every page needs: the session from its cookie, the CSRF check of every form, a fresh
Idempotency-Key per rendered form, the templates and the security headers."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from kyodo_counter.gateway import Gateway
from kyodo_counter.problems import FormErrors
from kyodo_counter.sessions import COOKIE, SECURE_COOKIE, Session, SessionStore, csrf_ok
from kyodo_counter.settings import CounterSettings

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
TEMPLATES.env.globals["new_key"] = lambda: uuid.uuid4().hex  # one per rendered form
# No inline script or style: the vendored htmx and one stylesheet, from this origin only;
# the certificate preview is this app's own PDF in a frame.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'; "
       "object-src 'self'")


class NotSignedIn(Exception):
    """A page that needs a clerk was asked for without one: to the login page."""


class BadCsrf(Exception):
    """A form without this session's CSRF token: refused, nothing done."""


def settings_of(request: Request) -> CounterSettings:
    settings: CounterSettings = request.app.state.settings
    return settings


def store_of(request: Request) -> SessionStore:
    store: SessionStore = request.app.state.sessions
    return store


def gateway_of(request: Request) -> Gateway:
    gateway: Gateway = request.app.state.gateway
    return gateway


def cookie_name(settings: CounterSettings) -> str:
    return SECURE_COOKIE if settings.https else COOKIE


def current_session(request: Request) -> Session | None:
    settings = settings_of(request)
    return store_of(request).get(request.cookies.get(cookie_name(settings)))


def clerk(request: Request) -> Session:
    session = current_session(request)
    if session is None or not session.signed_in:
        raise NotSignedIn()
    request.state.session = session
    return session


async def checked_form(request: Request) -> dict[str, str]:
    """The POSTed form, once its CSRF token is this session's."""
    form = await request.form()
    values = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    session = current_session(request)
    if session is None or not csrf_ok(session, values.get("csrf")):
        raise BadCsrf()
    return values


async def checked_lists(request: Request) -> dict[str, list[str]]:
    """Fields given more than once (check boxes), after checked_form."""
    form = await request.form()
    lists: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if isinstance(value, str) and value:
            lists.setdefault(key, []).append(value)
    return lists


Clerk = Annotated[Session, Depends(clerk)]
Form = Annotated[dict[str, str], Depends(checked_form)]
Lists = Annotated[dict[str, list[str]], Depends(checked_lists)]
Api = Annotated[Gateway, Depends(gateway_of)]


def town(session: Session) -> str:
    """The API's prefix in the name of the town the clerk acts for now."""
    return f"/v1/municipalities/{session.acting}"


def render(request: Request, template: str, session: Session | None, *,
           status_code: int = 200, errors: FormErrors | None = None,
           values: dict[str, Any] | None = None, **context: Any) -> HTMLResponse:
    flash = list(session.flash) if session is not None else []
    if session is not None:
        session.flash.clear()
    return TEMPLATES.TemplateResponse(request, template, {
        "session": session, "errors": errors or FormErrors(), "values": values or {},
        "flash": flash, **context}, status_code=status_code)


def redirect(url: str) -> RedirectResponse:
    """After a POST, to the page that shows the result (a reload does not submit again)."""
    return RedirectResponse(url, status_code=303)


def set_session_cookie(response: Response, settings: CounterSettings, session: Session) -> None:
    response.set_cookie(cookie_name(settings), session.id, httponly=True, secure=settings.https,
                        samesite="strict", path="/")


def security_headers(response: Response) -> None:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers.setdefault("Cache-Control", "no-store")  # personal data: never cached
