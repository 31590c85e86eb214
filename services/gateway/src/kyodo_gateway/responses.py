"""Responses the gateway writes itself, as bytes: JSON, RFC 9457 problems, status lines."""

from __future__ import annotations

import json
from collections.abc import Mapping
from email.utils import formatdate
from http import HTTPStatus
from typing import Any

from kyodo_common.errors import PROBLEM_JSON, Problem

JSON = b"application/json"
PROBLEM = PROBLEM_JSON.encode()

_STATUS_LINES = {s.value: b"HTTP/1.1 %d %s\r\n" % (s.value, s.phrase.encode()) for s in HTTPStatus}


def status_line(status: int) -> bytes:
    line = _STATUS_LINES.get(status)
    return line if line is not None else b"HTTP/1.1 %d Status\r\n" % status


def http_date() -> bytes:
    return b"date: " + formatdate(usegmt=True).encode() + b"\r\n"


# On every answer the gateway writes itself, as the services do on theirs (kyodo_common's
# security_headers): the declared type only, and kept by no cache.
_SECURED = b"x-content-type-options: nosniff\r\ncache-control: no-store\r\n"


_NOSNIFF_ONLY = b"x-content-type-options: nosniff\r\n"


def response_bytes(status: int, body: bytes, *, content_type: bytes, date: bytes,
                   extra: bytes = b"", head: bool = False, close: bool = False,
                   secured: bool = True) -> bytes:
    """A complete response; `extra` holds whole header lines; HEAD gets no body.
    `secured=False`: public static content, whose `extra` sets its own Cache-Control."""
    return b"".join((
        status_line(status), date,
        b"content-type: ", content_type, b"\r\ncontent-length: %d\r\n" % len(body),
        _SECURED if secured else _NOSNIFF_ONLY, extra,
        b"connection: close\r\n\r\n" if close else b"\r\n",
        b"" if head else body,
    ))


def json_body(value: Mapping[str, Any] | list[Any]) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def header_lines(headers: Mapping[str, str]) -> bytes:
    return b"".join(f"{k}: {v}\r\n".encode("latin-1") for k, v in headers.items())


def problem_bytes(problem: Problem, instance: str | None, *, date: bytes, extra: bytes = b"",
                  head: bool = False, close: bool = False,
                  trace_id: bytes | None = None) -> bytes:
    body = problem.body(instance)
    if trace_id is not None:  # as the services do (kyodo_common.errors.problem_response)
        body["trace_id"] = trace_id.decode()
        extra = b"x-kyodo-trace-id: " + trace_id + b"\r\n" + extra
    return response_bytes(problem.status, json_body(body),
                          content_type=PROBLEM, date=date,
                          extra=header_lines(problem.headers) + extra, head=head, close=close)


def internal_error() -> Problem:
    return Problem(500, "Internal error", detail="An unexpected error occurred",
                   kind="internal-error")


def bad_request(detail: str) -> Problem:
    return Problem(400, "Bad request", detail=detail, kind="bad-request")


def payload_too_large(limit: int) -> Problem:
    return Problem(413, "Payload too large", detail=f"the request body exceeds {limit} bytes",
                   kind="payload-too-large")


def bad_gateway(service: str) -> Problem:
    return Problem(502, "Bad gateway", kind="bad-gateway",
                   detail=f"the {service} service could not be reached")


def gateway_timeout(service: str) -> Problem:
    return Problem(504, "Gateway timeout", kind="gateway-timeout",
                   detail=f"the {service} service did not answer in time")


def unavailable(detail: str) -> Problem:
    return Problem(503, "Service unavailable", detail=detail, kind="unavailable")
