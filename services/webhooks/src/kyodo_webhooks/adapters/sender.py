"""One POST to a receiver: to the address checked just before (pinned), the host in the Host
header and the TLS server name, no redirect followed, the answer's body read up to a bound and
dropped, and a reason for the delivery log whatever happens."""

from __future__ import annotations

import ssl
import time
from dataclasses import dataclass

from kyodo_webhooks.adapters import http1
from kyodo_webhooks.domain import ssrf

USER_AGENT = "Kyodo-Webhooks/1.0"


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


def client(*, connect_timeout: float, timeout: float) -> http1.Pool:
    """A subscription's own connections: a slow receiver uses up no one else's."""
    return http1.Pool(tls=_tls(), connect_timeout=connect_timeout, timeout=timeout)


def refused(reason: str) -> Outcome:
    """The callback's address was not called (SSRF)."""
    return Outcome(False, None, f"refused before sending: {reason}", 0)


def _host_header(target: ssrf.Target) -> str:
    """The Host header in ASCII (an internationalised name as IDNA)."""
    host = target.host_header
    return host if host.isascii() else host.encode("idna").decode("ascii")


async def post(pool: http1.Pool, target: ssrf.Target, address: str, body: bytes,
               headers: dict[str, str]) -> Outcome:
    """POSTs to ``address``, which ssrf.resolve checked for this batch of messages."""
    started = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    request = http1.request("POST", target.path, {
        "host": _host_header(target), "user-agent": USER_AGENT, **headers}, body)
    try:
        status = await pool.post(address, target.port,
                                 target.host if target.scheme == "https" else None, request)
    except http1.Failed as exc:
        return Outcome(False, None, str(exc), took())
    except Exception as exc:  # a reason in the delivery log rather than a stuck queue
        return Outcome(False, None, f"request failed ({type(exc).__name__})", took())
    if 200 <= status < 300:
        return Outcome(True, status, None, took())
    if 300 <= status < 400:
        return Outcome(False, status, f"HTTP {status}: redirects are not followed", took())
    return Outcome(False, status, f"HTTP {status}", took())
