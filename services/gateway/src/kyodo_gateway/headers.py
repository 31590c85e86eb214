"""Header handling both ways, on raw bytes: hop-by-hop stripping, framing checks.

Values pass byte for byte (UTF-8 free text round-trips unchanged; the purpose header is also
read, for the municipality's own purpose codes, kyodo_gateway.purposes).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kyodo_common.errors import Problem
from kyodo_common.purposes import refused
from kyodo_gateway.responses import bad_request

RawHeaders = Iterable[tuple[bytes, bytes]]

# RFC 9110 §7.6.1: meaningful for one connection only, never forwarded (Proxy-* by prefix).
HOP_BY_HOP = frozenset(
    {b"connection", b"keep-alive", b"te", b"trailer", b"transfer-encoding", b"upgrade"}
)

# What the gateway does with a request header (anything else is forwarded as it came).
_FORWARD_TOO = 0  # acted on and forwarded
_DROP = 1  # hop-by-hop, or rebuilt by the gateway
_LENGTH, _TRANSFER, _CONNECTION, _HOST, _XFF, _TRACEPARENT, _TRACESTATE, _EXPECT = range(2, 10)
_ORIGIN, _PREFLIGHT, _PURPOSE = 10, 11, 12
_FORWARDED = frozenset({_FORWARD_TOO, _ORIGIN, _PREFLIGHT, _PURPOSE})
_REQUEST_KINDS: dict[bytes, int] = {
    b"authorization": _FORWARD_TOO,
    b"content-length": _LENGTH,
    b"transfer-encoding": _TRANSFER,
    b"connection": _CONNECTION,
    b"host": _HOST,
    b"x-forwarded-for": _XFF,
    b"traceparent": _TRACEPARENT,
    b"tracestate": _TRACESTATE,
    b"expect": _EXPECT,
    b"origin": _ORIGIN,
    b"access-control-request-method": _PREFLIGHT,
    b"x-kyodo-purpose": _PURPOSE,
    # Rebuilt: 100-continue is answered here, the X-Forwarded-* chain is extended, and only
    # the gateway may assert who acts for which municipality, or the client's address.
    b"keep-alive": _DROP, b"te": _DROP, b"trailer": _DROP, b"upgrade": _DROP,
    b"x-forwarded-proto": _DROP, b"x-forwarded-host": _DROP, b"x-kyodo-assertion": _DROP,
    b"x-kyodo-client-address": _DROP,
}


_UNSEEN: Any = object()
# Header names as they come (case and all) → what to do; the same few names arrive on every
# request, so lower-casing and prefix checks are done once per spelling.
_request_cache: dict[bytes, int | None] = {}
_response_cache: dict[bytes, int] = {}
_CACHE_LIMIT = 1024


def _request_kind(name: bytes) -> int | None:
    lname = name.lower()
    kind = _REQUEST_KINDS.get(lname)
    if kind is None and lname.startswith(b"proxy-"):
        kind = _DROP
    if len(_request_cache) < _CACHE_LIMIT:
        _request_cache[name] = kind
    return kind


class RequestHead:
    """What the gateway needs from the request headers, read in one pass."""

    __slots__ = (
        "authorization",
        "chunked",
        "content_length",
        "expect_continue",
        "forward",
        "forwarded_for",
        "host",
        "origin",
        "preflight",
        "purpose",
        "traceparent",
        "tracestate",
    )

    def __init__(self) -> None:
        self.forward = b""  # the forwarded header lines, joined
        self.content_length: int | None = None
        self.chunked = False
        self.authorization: bytes | None = None
        self.traceparent: bytes | None = None
        self.tracestate: bytes | None = None
        self.host: bytes | None = None
        self.forwarded_for: bytes | None = None
        self.origin: bytes | None = None
        self.preflight = False
        self.purpose: bytes | None = None
        self.expect_continue = False

    @property
    def has_body(self) -> bool:
        return self.chunked or bool(self.content_length)


_PLAIN_CONNECTION = {b"keep-alive": {b"keep-alive"}, b"close": {b"close"},
                     b"Keep-Alive": {b"keep-alive"}, b"Close": {b"close"}}


def _tokens(value: bytes) -> set[bytes]:
    plain = _PLAIN_CONNECTION.get(value)
    if plain is not None:
        return plain
    return {t.strip().lower() for t in value.split(b",") if t.strip()}


def not_implemented(detail: str) -> Problem:
    return Problem(501, "Not implemented", detail=detail, kind="not-implemented")


def read_head(raw: RawHeaders, http11: bool = True) -> RequestHead:
    """Splits the headers into those forwarded and those the gateway acts on.

    Raises a 400 problem for ambiguous framing (request smuggling defence, RFC 9112 §6.3):
    Content-Length with Transfer-Encoding, several or non-numeric Content-Length, several
    Host headers (or none on HTTP/1.1).
    """
    head = RequestHead()
    lines: list[bytes] = []
    lengths: list[bytes] = []
    transfer: list[bytes] = []
    hosts = 0
    dropped: set[bytes] | None = None
    kinds = _REQUEST_KINDS
    cache = _request_cache
    for name, value in raw:
        kind = cache.get(name, _UNSEEN)
        if kind is _UNSEEN:
            kind = _request_kind(name)
        if kind is None:
            lines += (name, b": ", value, b"\r\n")
            continue
        if kind == _FORWARD_TOO:
            head.authorization = value
            lines += (name, b": ", value, b"\r\n")
        elif kind == _DROP:
            continue
        elif kind == _LENGTH:
            lengths.append(value)
        elif kind == _TRANSFER:
            transfer.append(value)
        elif kind == _CONNECTION:
            tokens = _tokens(value)
            if not tokens <= HOP_BY_HOP:
                dropped = (dropped or set()) | tokens
        elif kind == _HOST:
            head.host = value
            hosts += 1
        elif kind == _XFF:
            head.forwarded_for = value if head.forwarded_for is None \
                else head.forwarded_for + b", " + value
        elif kind == _TRACEPARENT:
            head.traceparent = value
        elif kind == _TRACESTATE:
            head.tracestate = value
        elif kind == _EXPECT:
            if value.strip().lower() != b"100-continue":
                raise Problem(417, "Expectation failed", kind="expectation-failed",
                              detail="only 100-continue is supported")
            head.expect_continue = True
        elif kind == _ORIGIN:
            head.origin = value
            lines += (name, b": ", value, b"\r\n")
        elif kind == _PREFLIGHT:
            head.preflight = True
            lines += (name, b": ", value, b"\r\n")
        elif kind == _PURPOSE:
            if head.purpose is not None:  # which one would the service read? Neither.
                raise refused("one purpose per request")
            head.purpose = value
            lines += (name, b": ", value, b"\r\n")
    if transfer:
        if lengths:
            raise bad_request("Content-Length and Transfer-Encoding must not be combined")
        codings = [t.strip().lower() for v in transfer for t in v.split(b",") if t.strip()]
        if not codings or codings[-1] != b"chunked":
            raise bad_request("a request's last transfer coding must be chunked")
        if codings != [b"chunked"]:
            raise not_implemented("only the chunked transfer coding is supported")
        head.chunked = True
    elif lengths:
        if len(lengths) > 1 or not lengths[0].isdigit():
            raise bad_request("the Content-Length header is not a single number")
        head.content_length = int(lengths[0])
    if hosts > 1 or (hosts == 0 and http11):
        raise bad_request("exactly one Host header is required")
    if dropped is not None and dropped - HOP_BY_HOP:
        extra = dropped - HOP_BY_HOP
        lines = []
        for name, value in raw:
            lname = name.lower()
            if (lname in extra or kinds.get(lname, _FORWARD_TOO) not in _FORWARDED
                    or lname.startswith(b"proxy-")):
                continue
            lines += (name, b": ", value, b"\r\n")
    head.forward = b"".join(lines)
    return head


# Response headers the client never sees from the upstream: hop-by-hop ones, the upstream's
# Server (it would only advertise its software) and CORS (the gateway owns it).
_RESPONSE_DROP = HOP_BY_HOP | {b"server"}
_PASS, _GONE, _RESP_LENGTH, _RESP_CONNECTION, _RESP_TRANSFER = range(5)


def _response_kind(name: bytes) -> int:
    lname = name.lower()
    if lname == b"content-length":
        kind = _RESP_LENGTH
    elif lname == b"connection":
        kind = _RESP_CONNECTION
    elif lname == b"transfer-encoding":
        kind = _RESP_TRANSFER
    elif lname in _RESPONSE_DROP or lname.startswith((b"proxy-", b"access-control-")):
        kind = _GONE
    else:
        kind = _PASS
    if len(_response_cache) < _CACHE_LIMIT:
        _response_cache[name] = kind
    return kind


class ResponseHead:
    __slots__ = ("chunked", "content_length", "lines")

    def __init__(self, lines: bytes, content_length: bytes | None, chunked: bool) -> None:
        self.lines = lines
        self.content_length = content_length
        self.chunked = chunked


def read_response_head(raw: list[tuple[bytes, bytes]]) -> ResponseHead:
    """The upstream's headers minus those above; Content-Length is set aside for framing."""
    lines: list[bytes] = []
    length: bytes | None = None
    chunked = False
    dropped: set[bytes] | None = None
    cache = _response_cache
    for name, value in raw:
        kind = cache.get(name)
        if kind is None:
            kind = _response_kind(name)
        if kind == _PASS:
            lines += (name, b": ", value, b"\r\n")
        elif kind == _RESP_LENGTH:
            length = value
        elif kind == _RESP_CONNECTION:
            tokens = _tokens(value)
            if not tokens <= HOP_BY_HOP:
                dropped = (dropped or set()) | tokens
        elif kind == _RESP_TRANSFER:
            chunked = chunked or b"chunked" in value.lower()
    if dropped is not None and dropped - HOP_BY_HOP:
        extra = dropped - HOP_BY_HOP
        lines = []
        for name, value in raw:
            if name.lower() not in extra and _response_kind(name) == _PASS:
                lines += (name, b": ", value, b"\r\n")
    return ResponseHead(b"".join(lines), length, chunked)
