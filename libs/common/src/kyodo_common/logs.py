"""Structured JSON log lines with trace id and tenant; personal data is never passed to logs."""

from __future__ import annotations

import json
import logging
import sys
import traceback
from datetime import UTC, datetime
from types import TracebackType

from kyodo_common.telemetry import current_trace_id
from kyodo_common.tenancy import current_municipality

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | \
    tuple[None, None, None]
REDACTED = "[message withheld: a database error's text may hold the statement's values]"


def _holds_values(exc_type: type[BaseException] | None) -> bool:
    """Database errors: SQLAlchemy's print the statement's parameters, the driver's quote the
    value refused ('invalid input syntax for type date: "…"', 'Key (…)=(…) already exists')."""
    if exc_type is None:
        return False
    module = exc_type.__module__
    return module.startswith(("asyncpg", "sqlalchemy.dialects")) or (
        module.startswith("sqlalchemy") and any(
            base.__name__ == "StatementError" for base in exc_type.__mro__))


def error_text(exc: BaseException) -> str:
    """"Type: message" of an error kept with a failed job or dead letter, the message withheld
    where it may hold a statement's values."""
    message = REDACTED if _holds_values(type(exc)) else str(exc)
    return f"{type(exc).__name__}: {message}"


def format_exception(exc_info: ExcInfo) -> str:
    """The traceback with every database error's message withheld (its type stays)."""
    exc = exc_info[1]
    if exc is None:
        return ""
    formatted = traceback.TracebackException.from_exception(exc)
    pending, seen = [formatted], set()
    while pending:
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if _holds_values(node.exc_type) and hasattr(node, "_str"):
            node._str = REDACTED  # the only place TracebackException keeps the message
        pending += [n for n in (node.__cause__, node.__context__) if n is not None]
        pending += getattr(node, "exceptions", None) or []
    return "".join(formatted.format()).rstrip("\n")


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "service": self.service,
            "logger": record.name,
            "message": record.getMessage(),
            "trace_id": current_trace_id(),
            "municipality": current_municipality.get(),
        }
        fields = getattr(record, "fields", None)
        if fields:
            line.update(fields)
        if record.exc_info:
            line["error"] = format_exception(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


REQUESTS = logging.getLogger("kyodo.requests")


def log_request(method: str, route: str, status: int, seconds: float,
                municipality: str | None, trace_id: str | None) -> None:
    """One line per request: what operations search by (route template, status, duration,
    municipality, trace id), nothing a person could be found by: the template, never the
    path with its ids, and no query string."""
    if REQUESTS.isEnabledFor(logging.INFO):
        duration_ms = round(seconds * 1000, 2)
        REQUESTS.info("%s %s %d %.1f ms", method, route, status, duration_ms, extra={
            "fields": {"method": method, "route": route, "status": status,
                       "duration_ms": duration_ms, "municipality": municipality,
                       "trace_id": trace_id}})


def setup_logging(service: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # uvicorn's access log would print URLs with query strings; the services log requests
    # themselves without personal data.
    logging.getLogger("uvicorn.access").disabled = True
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
