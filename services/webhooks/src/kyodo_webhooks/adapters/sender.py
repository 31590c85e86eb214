"""One POST to a receiver: to the address checked just before (pinned), the host in the Host
header and the TLS server name, no redirect followed, the answer's body never read, and a
reason for the delivery log whatever happens."""

from __future__ import annotations

import ssl
import time
from dataclasses import dataclass

import httpx

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
        _TLS = httpx.create_ssl_context()
    return _TLS


def client(*, connections: int, connect_timeout: float, timeout: float) -> httpx.AsyncClient:
    """A subscription's own client: its connections are its own (a slow receiver uses up no
    one else's pool), and pooled connections never mix two hosts' TLS sessions."""
    return httpx.AsyncClient(
        follow_redirects=False, trust_env=False, verify=_tls(),
        timeout=httpx.Timeout(timeout, connect=connect_timeout, pool=timeout),
        limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections,
                            keepalive_expiry=30.0))


def _reason(exc: Exception, timeout: float) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return "could not connect in time (connect timeout)"
    if isinstance(exc, httpx.TimeoutException):
        return f"no answer within {timeout:g} s (timeout)"
    if isinstance(exc, httpx.ConnectError):
        cause: BaseException | None = exc
        while cause is not None:
            if isinstance(cause, ssl.SSLError):
                return f"TLS failed: {getattr(cause, 'reason', None) or type(cause).__name__}"
            if isinstance(cause, ConnectionRefusedError):
                return "connection refused"
            if isinstance(cause, OSError) and cause.strerror:
                return f"could not connect ({cause.strerror})"
            cause = cause.__cause__ or cause.__context__
        text = str(exc).lower()
        if "refused" in text:
            return "connection refused"
        return f"could not connect ({str(exc)[:120] or 'unreachable'})"
    if isinstance(exc, httpx.RemoteProtocolError | httpx.LocalProtocolError):
        return "not an HTTP answer (protocol error)"
    return f"request failed ({type(exc).__name__})"


def refused(reason: str) -> Outcome:
    """The callback's address was not called (SSRF)."""
    return Outcome(False, None, f"refused before sending: {reason}", 0)


async def post(http: httpx.AsyncClient, target: ssrf.Target, address: str, body: bytes,
               headers: dict[str, str], *, timeout: float) -> Outcome:
    """POSTs to ``address``, which ssrf.resolve checked for this batch of messages."""
    started = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    try:
        request = http.build_request(
            "POST", target.url_to(address), content=body,
            headers={**headers, "host": target.host_header, "user-agent": USER_AGENT},
            extensions=extensions)
        response = await http.send(request, stream=True)
        try:
            seen = 0
            async for chunk in response.aiter_raw():
                seen += len(chunk)
                if seen > ANSWER_BYTES:
                    break
        finally:
            await response.aclose()
    except (httpx.HTTPError, ssl.SSLError, OSError) as exc:
        return Outcome(False, None, _reason(exc, timeout), took())
    status = response.status_code
    if 200 <= status < 300:
        return Outcome(True, status, None, took())
    if 300 <= status < 400:
        return Outcome(False, status, f"HTTP {status}: redirects are not followed", took())
    return Outcome(False, status, f"HTTP {status}", took())
