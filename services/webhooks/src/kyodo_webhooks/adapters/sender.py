"""One POST to a receiver: to the address checked just before (pinned), the host in the Host
header and the TLS server name, no redirect followed, the answer's body read up to a bound and
dropped, and a reason for the delivery log whatever happens.

aiohttp, not httpx: its C parser and plain connection pool cost about a fifth of httpx's CPU
per request (docs/webhooks.md, "Measured"), which was most of a delivery's CPU."""

from __future__ import annotations

import asyncio
import ssl
import time
from dataclasses import dataclass

import aiohttp

from kyodo_webhooks.domain import ssrf

USER_AGENT = "Kyodo-Webhooks/1.0"
# The answer's body is read up to this and dropped: read to its end, the connection is kept
# alive for the next message; a longer one is cut off with its connection.
ANSWER_BYTES = 65_536


@dataclass(frozen=True)
class Outcome:
    delivered: bool
    status: int | None
    reason: str | None
    duration_ms: int


_TLS: ssl.SSLContext | None = None


def _tls() -> ssl.SSLContext:
    """One verifying TLS context for every client (making one costs tens of milliseconds)."""
    global _TLS
    if _TLS is None:
        _TLS = ssl.create_default_context()
    return _TLS


def client(*, connections: int, connect_timeout: float, timeout: float) -> aiohttp.ClientSession:
    """A subscription's own client: its connections are its own (a slow receiver uses up no
    one else's pool). Pooled connections are keyed by the pinned address and the TLS server
    name, so a connection is reused only for the address just checked. No cookies are kept,
    nothing is taken from the environment (proxies)."""
    connector = aiohttp.TCPConnector(limit=connections, limit_per_host=0, ssl=_tls(),
                                     use_dns_cache=False, keepalive_timeout=30.0)
    return aiohttp.ClientSession(
        connector=connector, trust_env=False, cookie_jar=aiohttp.DummyCookieJar(),
        auto_decompress=False, skip_auto_headers=("User-Agent",),
        timeout=aiohttp.ClientTimeout(total=connect_timeout + timeout,
                                      sock_connect=connect_timeout, sock_read=timeout))


def _ssl_reason(exc: BaseException) -> str | None:
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLError):
            return f"TLS failed: {getattr(cause, 'reason', None) or type(cause).__name__}"
        cause = getattr(cause, "os_error", None) or cause.__cause__ or cause.__context__
    return None


def _reason(exc: BaseException, timeout: float) -> str:
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return "could not connect in time (connect timeout)"
    if isinstance(exc, asyncio.TimeoutError | aiohttp.ServerTimeoutError):
        return f"no answer within {timeout:g} s (timeout)"
    tls = _ssl_reason(exc)
    if tls is not None or isinstance(exc, aiohttp.ClientSSLError):
        return tls or f"TLS failed: {type(exc).__name__}"
    if isinstance(exc, aiohttp.ClientConnectorError):
        if isinstance(exc.os_error, ConnectionRefusedError):
            return "connection refused"
        return f"could not connect ({exc.os_error.strerror or 'unreachable'})"
    if isinstance(exc, aiohttp.ClientResponseError | aiohttp.ClientPayloadError):
        return "not an HTTP answer (protocol error)"
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return "not an HTTP answer (the connection was closed without an answer)"
    if isinstance(exc, OSError) and exc.strerror:
        return f"connection lost ({exc.strerror})"
    return f"request failed ({type(exc).__name__})"


def refused(reason: str) -> Outcome:
    """The callback's address was not called (SSRF)."""
    return Outcome(False, None, f"refused before sending: {reason}", 0)


async def post(http: aiohttp.ClientSession, target: ssrf.Target, address: str, body: bytes,
               headers: dict[str, str], *, timeout: float) -> Outcome:
    """POSTs to ``address``, which ssrf.resolve checked for this batch of messages."""
    started = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        async with http.post(
                target.url_to(address), data=body, allow_redirects=False,
                headers={**headers, "Host": target.host_header, "User-Agent": USER_AGENT},
                server_hostname=target.host if target.scheme == "https" else None) as response:
            status = response.status
            seen = 0
            async for chunk in response.content.iter_any():
                seen += len(chunk)
                if seen > ANSWER_BYTES:
                    response.close()  # the connection goes with the rest of the answer
                    break
    except (aiohttp.ClientError, asyncio.TimeoutError, ssl.SSLError, OSError) as exc:
        return Outcome(False, None, _reason(exc, timeout), took())
    if 200 <= status < 300:
        return Outcome(True, status, None, took())
    if 300 <= status < 400:
        return Outcome(False, status, f"HTTP {status}: redirects are not followed", took())
    return Outcome(False, status, f"HTTP {status}", took())
