"""The OpenAPI document a service publishes, made to say what the server does.

FastAPI derives the document from the routes' signatures, and those say less than the truth:
the headers our dependencies insist on are optional there (they answer 400/428 themselves),
errors are described as FastAPI's `detail[]` although every error leaves as problem+json
(kyodo_common.errors), the gateway's internal assertion header shows as a parameter, and the
bearer token is a bare `authorization` header instead of a security scheme. One pass over the
generated document, in one place for every service, corrects all of that.

It also adds what a developer needs and no signature says: each service's examples (its
`api/examples.py`, kept out of the route code and checked against the schemas by
tests/contract) and a pointer to the glossary of the Japanese terms.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI

from kyodo_common.errors import PROBLEM_JSON

# Headers a route's dependency refuses to go without (kyodo_common.web marks them).
REQUIRED_MARK = "x-kyodo-required"
# Sent by the gateway only; a client that sends it is not trusted with it.
INTERNAL_HEADERS = frozenset({"x-kyodo-assertion", "x-kyodo-client-address"})
TOKEN_URL = "/v1/auth/token"  # noqa: S105 - a path, not a secret
GLOSSARY = "docs/glossary.md"
GLOSSARY_NOTE = (f"The Japanese terms of this API (住民票, 転入, 出生, 職権記載, 世帯分離, 続柄, "
                 f"支援措置, 罹災証明書, …) are explained in English in the glossary, "
                 f"[{GLOSSARY}]({GLOSSARY}) in the Kyodo repository.")


@dataclass(frozen=True)
class Example:
    """A realistic exchange with one operation: the body sent (a JSON value, or the text of a
    CSV or YAML body) and the answer's body. Fictitious people in the demo municipalities."""

    summary: str
    request: Any = None
    response: Any = None
    # The 2xx status the response is for; by default the first documented one with a body.
    status: str | None = None
    name: str = "example"

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Problem",
    "description": "An error, as RFC 9457 problem details. `type` names the kind of error "
                   "(stable: program against it), `invalid_params` the fields at fault.",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "format": "uri",
                 "description": "the kind of error: stable, program against it",
                 "examples": ["https://kyodo.example/problems/invalid-input"]},
        "title": {"type": "string", "description": "the kind of error, for people",
                  "examples": ["Invalid input"]},
        "status": {"type": "integer", "description": "the HTTP status code",
                   "examples": [422]},
        "detail": {"type": "string", "description": "what went wrong in this occurrence",
                   "examples": ["One or more fields are invalid"]},
        "instance": {"type": "string", "description": "the path of the request"},
        "trace_id": {"type": "string", "pattern": "^[0-9a-f]{32}$",
                     "description": "the W3C trace id of the request: quote it to operations "
                                    "(also in the X-Kyodo-Trace-Id response header)"},
        "invalid_params": {"type": "array", "items": {"$ref": "#/components/schemas/InvalidParam"},
                           "description": "each field or header at fault, with the reason"},
    },
}
INVALID_PARAM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "InvalidParam",
    "required": ["name", "reason"],
    "properties": {
        "name": {"type": "string", "description": "the field or header at fault, dotted for "
                                                  "nested fields", "examples": ["birth_date"]},
        "reason": {"type": "string", "description": "what is wrong with it",
                   "examples": ["a date in the future"]},
    },
}
_PROBLEM_CONTENT = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}

SECURITY_SCHEMES: dict[str, Any] = {
    "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
               "description": "An access token from POST /v1/auth/token (EdDSA JWT)."},
    "oauth2": {
        "type": "oauth2",
        "description": "Staff log in with the password flow: the username is "
                       "`<municipality code>/<login>` (e.g. `152021/tanaka`); partner systems "
                       "use client credentials. Scopes are granted by role or to the client.",
        "flows": {
            "password": {"tokenUrl": TOKEN_URL, "refreshUrl": TOKEN_URL, "scopes": {}},
            "clientCredentials": {"tokenUrl": TOKEN_URL, "scopes": {}},
        },
    },
}
_SECURITY: list[dict[str, list[str]]] = [{"bearer": []}, {"oauth2": []}]

# What any route can answer besides its own documented outcomes, and when.
_ALWAYS = {"500": "an unexpected error (the trace id in the body lets operations find it)"}
_SECURED = {"401": "no valid access token", "403": "the token's scopes, roles or grants do "
                                                  "not allow this for this municipality"}
_IN_MUNICIPALITY = {"404": "no such municipality or resource (also what a caller gets for a "
                           "record it may not see)"}
_WITH_BODY = {"413": "the body exceeds the service's limit",
              "415": "the body's media type is not one this operation takes",
              "400": "the body is not valid JSON or a header is malformed",
              "422": "a field is invalid: `invalid_params` names each one"}
_IDEMPOTENT = {"400": "the Idempotency-Key header is missing or malformed",
               "422": "a field is invalid, or the Idempotency-Key was used before for a "
                      "different request (a repeat of the same request gets the first answer)"}
_PURPOSE = {"400": "the X-Kyodo-Purpose header is missing",
            "422": "the purpose is not a code of the vocabulary (GET …/identity/purposes)"}
_IF_MATCH = {"400": "the If-Match header is not an ETag this API returned",
             "412": "the record changed since it was read: read it again",
             "428": "the If-Match header is missing: send the ETag you read"}


def _with_reason(outcomes: dict[str, str], status: str, description: str) -> str:
    """A header's own reason for a status replaces the generic one; two headers' 400s (a
    missing Idempotency-Key, a malformed If-Match) are both told."""
    known = outcomes.get(status)
    if status == "400" and known is not None and known not in _WITH_BODY.values():
        return f"{known}; or {description}"
    return description


def _header(op: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((p for p in op.get("parameters", ())
                 if p.get("in") == "header" and p.get("name", "").lower() == name.lower()),
                None)


def _correct_operation(op: dict[str, Any], path: str) -> None:
    params = op.get("parameters", [])
    secured = _header(op, "authorization") is not None
    kept = []
    for param in params:
        name = param.get("name", "").lower()
        if param.get("in") == "header" and (name in INTERNAL_HEADERS or name == "authorization"):
            continue
        schema = param.get("schema") or {}
        if schema.pop(REQUIRED_MARK, False):
            param["required"] = True
            # Optional in the signature only because the dependency answers its own error.
            any_of = schema.pop("anyOf", None)
            if any_of:
                schema.update(next(s for s in any_of if s.get("type") != "null"))
        kept.append(param)
    if kept:
        op["parameters"] = kept
    else:
        op.pop("parameters", None)
    if secured:
        op["security"] = copy.deepcopy(_SECURITY)

    outcomes: dict[str, str] = dict(_ALWAYS)
    if secured:
        outcomes.update(_SECURED)
    if "{" in path:
        outcomes.update(_IN_MUNICIPALITY)
    if kept or "requestBody" in op:
        outcomes["422"] = _WITH_BODY["422"]
    if "requestBody" in op:
        outcomes.update(_WITH_BODY)
    for header, answers in (("Idempotency-Key", _IDEMPOTENT), ("X-Kyodo-Purpose", _PURPOSE),
                            ("If-Match", _IF_MATCH)):
        if _header(op, header) is not None:
            for status, description in answers.items():
                outcomes[status] = _with_reason(outcomes, status, description)
    responses = op.setdefault("responses", {})
    for status, response in responses.items():
        if status.startswith(("4", "5")):
            content = response.setdefault("content", {})
            content.pop("application/json", None)
            content[PROBLEM_JSON] = copy.deepcopy(_PROBLEM_CONTENT[PROBLEM_JSON])
            if response.get("description") == "Validation Error":
                response["description"] = outcomes.get(status, "invalid input")
    for status, description in outcomes.items():
        responses.setdefault(status, {"description": description,
                                      "content": copy.deepcopy(_PROBLEM_CONTENT)})
    op["responses"] = dict(sorted(responses.items()))


_BINARY = frozenset({"application/pdf", "multipart/form-data"})


def _add_example(op: dict[str, Any], example: Example) -> None:
    """The example's bodies go in the media types' `examples`; a file upload (PDF) has none."""
    named = {"summary": example.summary}
    if example.request is not None:
        for media_type, content in op.get("requestBody", {}).get("content", {}).items():
            if media_type not in _BINARY:
                content.setdefault("examples", {})[example.name] = {
                    **named, "value": copy.deepcopy(example.request)}
    if example.response is not None:
        ok = [status for status, response in op.get("responses", {}).items()
              if status.startswith("2") and "application/json" in response.get("content", {})]
        status = example.status or (ok[0] if ok else None)
        if status in ok:
            content = op["responses"][status]["content"]["application/json"]
            content.setdefault("examples", {})[example.name] = {
                **named, "value": copy.deepcopy(example.response)}


def correct(document: dict[str, Any],
            examples: Mapping[str, Example | tuple[Example, ...]] | None = None,
            ) -> dict[str, Any]:
    """The corrected copy of a FastAPI-generated document, with the examples by operation id
    (one that names no operation is left out here and refused by tests/contract)."""
    document = copy.deepcopy(document)
    info = document.setdefault("info", {})
    info["description"] = "\n\n".join(filter(None, (info.get("description"), GLOSSARY_NOTE)))
    for path, item in document.get("paths", {}).items():
        for method, op in item.items():
            if method in ("get", "put", "post", "patch", "delete", "head", "options"):
                _correct_operation(op, path)
                found = (examples or {}).get(op.get("operationId", ""), ())
                for example in found if isinstance(found, tuple) else (found,):
                    _add_example(op, example)
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas["Problem"] = copy.deepcopy(PROBLEM_SCHEMA)
    schemas["InvalidParam"] = copy.deepcopy(INVALID_PARAM_SCHEMA)
    components["schemas"] = dict(sorted(schemas.items()))
    components["securitySchemes"] = copy.deepcopy(SECURITY_SCHEMES)
    return document


def install(app: FastAPI,
            examples: Mapping[str, Example | tuple[Example, ...]] | None = None) -> None:
    """`app.openapi()` returns the corrected document (built once, like FastAPI's)."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if getattr(app, "_kyodo_openapi", None) is None:
            app._kyodo_openapi = correct(generate(), examples)  # type: ignore[attr-defined]
        return app._kyodo_openapi  # type: ignore[attr-defined,no-any-return]

    app.openapi = openapi  # type: ignore[method-assign]
