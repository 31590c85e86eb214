"""RFC 9457 problem+json for every error a Kyodo service returns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse

from kyodo_common.telemetry import current_trace_id

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://kyodo.example/problems/"


class Problem(Exception):
    """An error the caller can act on; rendered as problem+json."""

    def __init__(
        self,
        status: int,
        title: str,
        *,
        detail: str | None = None,
        kind: str | None = None,
        invalid_params: Sequence[dict[str, str]] = (),
        headers: dict[str, str] | None = None,
        extensions: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.title = title
        self.detail = detail
        self.kind = kind or title.lower().replace(" ", "-")
        self.invalid_params = list(invalid_params)
        self.headers = headers or {}
        # RFC 9457 extension members (e.g. the candidates of a possible duplicate).
        self.extensions = dict(extensions or {})

    def body(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": PROBLEM_BASE + self.kind,
            "title": self.title,
            "status": self.status,
        }
        if self.detail:
            body["detail"] = self.detail
        if instance:
            body["instance"] = instance
        if self.invalid_params:
            body["invalid_params"] = self.invalid_params
        return {**self.extensions, **body}


class DomainError(Exception):
    """A rule of the domain refused a command. It names the problem's type (``kind``), title,
    detail and the fields at fault, never an HTTP status: kyodo_common.web alone maps each
    subclass to one (``web.STATUS_OF``), so the same rule reads the same from a worker."""

    title = "Refused"
    kind = "refused"

    def __init__(self, detail: str | None = None, *, title: str | None = None,
                 kind: str | None = None, invalid_params: Sequence[dict[str, str]] = (),
                 extensions: dict[str, Any] | None = None) -> None:
        super().__init__(detail or title or self.title)
        self.title = title or type(self).title
        self.kind = kind or type(self).kind
        self.detail = detail
        self.invalid_params = list(invalid_params)
        # RFC 9457 extension members (e.g. the candidates of a possible duplicate).
        self.extensions = dict(extensions or {})


class NotFound(DomainError):
    """What the command names does not exist (or is not the caller's to see)."""

    title, kind = "Not found", "not-found"

    def __init__(self, what: str) -> None:
        super().__init__(f"{what} was not found")


class Conflict(DomainError):
    """The command contradicts the current state (a transfer already used, a duplicate)."""

    title, kind = "Conflict", "conflict"


class InvalidInput(DomainError):
    """A domain rule rejected a field; names the field at fault."""

    title, kind = "Invalid input", "invalid-input"

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason, invalid_params=[{"name": field, "reason": reason}])


class RuleBroken(DomainError):
    """A rule of the domain refused the command as a whole (no one field is at fault)."""

    title, kind = "Invalid input", "invalid-input"


class Forbidden(DomainError):
    """The caller may not do this (a scope, sight of protected people)."""

    title, kind = "Forbidden", "forbidden"


class TooLarge(DomainError):
    """What the command carries is more than may be taken at once (a file's rows)."""

    title, kind = "Too large", "too-large"


class PreconditionRequired(DomainError):
    """An update without the version the clerk read (If-Match)."""

    title, kind = "Precondition required", "precondition-required"


class PreconditionFailed(DomainError):
    """The record changed since the clerk read it."""

    title, kind = "Precondition failed", "precondition-failed"


_TITLES = {401: "Unauthorized", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
           413: "Payload too large", 415: "Unsupported media type"}


TRACE_ID_HEADER = "X-Kyodo-Trace-Id"


def problem_response(problem: Problem, instance: str | None = None) -> JSONResponse:
    body = problem.body(instance)
    headers = problem.headers
    trace_id = current_trace_id()
    if trace_id is not None:
        # What a clerk reads out to operations: one search finds every service's log lines.
        # In the header too: a 500 is answered outside the middleware that adds it.
        body["trace_id"] = trace_id
        headers = {**headers, TRACE_ID_HEADER: trace_id}
    return JSONResponse(body, status_code=problem.status, media_type=PROBLEM_JSON,
                        headers=headers)


def _field_name(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def validation_problem(errors: Sequence[Any]) -> Problem:
    if any(e.get("type") == "json_invalid" for e in errors):
        return Problem(400, "Malformed JSON", detail="The request body is not valid JSON",
                       kind="malformed-json",
                       invalid_params=[{"name": "body", "reason": "not valid JSON"}])
    params = [{"name": _field_name(e.get("loc", ())), "reason": str(e.get("msg", "invalid"))}
              for e in errors]
    return Problem(422, "Invalid input", detail="One or more fields are invalid",
                   kind="invalid-input", invalid_params=params)


# character_not_in_repertoire (NUL, invalid UTF-8) and untranslatable_character.
_ENCODING_SQLSTATES = frozenset({"22021", "22P05"})


def is_text_encoding_error(exc: BaseException) -> bool:
    """The database (or the driver, encoding a parameter) refused a character of some text:
    the request's fault, whatever field it came in."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, UnicodeError):
            return True
        if getattr(current, "sqlstate", None) in _ENCODING_SQLSTATES:
            return True
        orig = getattr(current, "orig", None)  # SQLAlchemy's wrapper of the driver's error
        current = orig if isinstance(orig, BaseException) and id(orig) not in seen \
            else current.__cause__
    return False


def unstorable_text_problem() -> Problem:
    reason = "holds a character that cannot be stored"
    return Problem(422, "Invalid input", detail=f"the request {reason}", kind="invalid-input",
                   invalid_params=[{"name": "body", "reason": reason}])


def install_problem_handlers(app: FastAPI) -> None:
    """Every error leaves the service as problem+json, never as HTML or a bare string."""

    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Problem)
        return problem_response(exc, request.url.path)

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return problem_response(validation_problem(exc.errors()), request.url.path)

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        title = _TITLES.get(exc.status_code, "HTTP error")
        detail = exc.detail if isinstance(exc.detail, str) else None
        problem = Problem(exc.status_code, title, detail=detail,
                          headers=dict(exc.headers or {}))
        return problem_response(problem, request.url.path)

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        return problem_response(
            Problem(500, "Internal error", detail="An unexpected error occurred",
                    kind="internal-error"),
            request.url.path,
        )

    async def on_database(request: Request, exc: Exception) -> JSONResponse:
        """A safety net behind the checks at the boundary (kyodo_common.text): text the
        database refuses is a 422, not a 500 that would close the connection."""
        if is_text_encoding_error(exc):
            return problem_response(unstorable_text_problem(), request.url.path)
        raise exc  # a real failure: the 500 of on_unexpected

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(DBAPIError, on_database)
    app.add_exception_handler(asyncpg.PostgresError, on_database)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_unexpected)
