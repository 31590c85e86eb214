"""Header handling both ways: hop-by-hop stripping, framing checks, forwarding headers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kyodo_common.errors import Problem

RawHeaders = Iterable[tuple[bytes, bytes]]

# RFC 9110 §7.6.1: meaningful for one connection only, never forwarded (Proxy-* by prefix).
HOP_BY_HOP = frozenset(
    {b"connection", b"keep-alive", b"te", b"trailer", b"transfer-encoding", b"upgrade"}
)
# Rebuilt by the gateway: Host is the upstream's, 100-continue was answered here, the
# X-Forwarded-* chain is extended, and trace context is replaced by the gateway's span.
_REBUILT = frozenset(
    {b"host", b"expect", b"x-forwarded-for", b"x-forwarded-proto", b"x-forwarded-host",
     b"traceparent", b"tracestate"}
)
# uvicorn writes its own Date; the upstream's Server would only advertise its software.
_NOT_RETURNED = frozenset({b"date", b"server"})


def bad_request(detail: str) -> Problem:
    return Problem(400, "Bad request", detail=detail, kind="bad-request")


def _is_hop_by_hop(name: bytes) -> bool:
    return name in HOP_BY_HOP or name.startswith(b"proxy-")


def _connection_tokens(value: bytes) -> set[bytes]:
    return {t.strip().lower() for t in value.split(b",") if t.strip()}


@dataclass(slots=True)
class IncomingRequest:
    """What the gateway needs from the request headers, read in one pass."""

    forward: list[tuple[str, str]] = field(default_factory=list)
    content_length: int | None = None
    chunked: bool = False
    authorization: str | None = None
    trace_carrier: dict[str, str] = field(default_factory=dict)
    host: str | None = None
    forwarded_for: str | None = None

    @property
    def has_body(self) -> bool:
        return self.chunked or bool(self.content_length)


def _text(value: bytes) -> str:
    # UTF-8, not Latin-1: aiohttp writes header values as UTF-8, so Japanese free text
    # (e.g. a purpose header) must round-trip byte for byte.
    return value.decode("utf-8", "replace")


def read_request(raw: RawHeaders) -> IncomingRequest:
    """Splits the headers into those forwarded and those the gateway acts on."""
    incoming = IncomingRequest()
    lengths: list[bytes] = []
    dropped: set[bytes] = set()
    for name, value in raw:
        if name == b"content-length":
            lengths.append(value)
        elif name == b"transfer-encoding":
            incoming.chunked = True
            continue
        elif name == b"connection":
            dropped |= _connection_tokens(value)
            continue
        elif name == b"authorization":
            incoming.authorization = _text(value)
        elif name in _REBUILT:
            if name in (b"traceparent", b"tracestate"):
                incoming.trace_carrier[name.decode()] = _text(value)
            elif name == b"host":
                incoming.host = _text(value)
            elif name == b"x-forwarded-for":
                incoming.forwarded_for = _text(value)
            continue
        elif _is_hop_by_hop(name):
            continue
        incoming.forward.append((name.decode("latin-1"), _text(value)))
    if lengths:
        if incoming.chunked:
            # Request smuggling defence (RFC 9112 §6.3): two framings, two possible readings.
            raise bad_request("Content-Length and Transfer-Encoding must not be combined")
        if len(lengths) > 1 or not lengths[0].isdigit():
            raise bad_request("the Content-Length header is not a single number")
        incoming.content_length = int(lengths[0])
    if dropped - HOP_BY_HOP:
        incoming.forward = [(n, v) for n, v in incoming.forward
                            if n.encode("latin-1") not in dropped]
    return incoming


def forwarding_headers(incoming: IncomingRequest, client: str | None,
                       scheme: str) -> list[tuple[str, str]]:
    """X-Forwarded-*: the chain so far plus the peer this gateway saw."""
    headers = [("x-forwarded-proto", scheme)]
    if client:
        prior = incoming.forwarded_for
        headers.append(("x-forwarded-for", f"{prior}, {client}" if prior else client))
    if incoming.host:
        headers.append(("x-forwarded-host", incoming.host))
    return headers


def response_headers(raw: RawHeaders) -> list[tuple[bytes, bytes]]:
    """The upstream's response headers minus hop-by-hop ones, names lower-cased for ASGI."""
    out: list[tuple[bytes, bytes]] = []
    dropped: set[bytes] = set()
    for name, value in raw:
        lname = name.lower()
        if lname == b"connection":
            dropped |= _connection_tokens(value)
        elif not (_is_hop_by_hop(lname) or lname in _NOT_RETURNED):
            out.append((lname, value))
    if dropped - HOP_BY_HOP:
        out = [(n, v) for n, v in out if n not in dropped]
    return out
