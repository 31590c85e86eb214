"""Forwarding over one shared aiohttp session: bodies streamed both ways, never buffered."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence

import aiohttp
from yarl import URL

from kyodo_common.errors import Problem
from kyodo_gateway.asgi import Receive, Scope, Send
from kyodo_gateway.headers import response_headers
from kyodo_gateway.routing import Route

logger = logging.getLogger("kyodo.gateway")

_CHUNK = 64 * 1024
# Below uvicorn's 5 s keep-alive, so the gateway drops an idle connection before the upstream
# does and never writes a request into a socket the upstream is closing.
_KEEPALIVE_SECONDS = 4.0
_POOL_LIMIT = 1024
# Not set on the request unless the client sent them: the upstream sees what the client sent.
_NO_AUTO_HEADERS = ("User-Agent", "Accept", "Accept-Encoding", "Content-Type")
# What the gateway reports (in its span) when the client left before any response.
CLIENT_CLOSED = 499


def payload_too_large(limit: int) -> Problem:
    return Problem(413, "Payload too large", detail=f"the request body exceeds {limit} bytes",
                   kind="payload-too-large")


class _UploadStopped(Exception):
    """Raised inside the upload to make aiohttp abandon the upstream request."""


class RequestBody:
    """The client's body as an async generator for aiohttp, cut off at the size limit."""

    def __init__(self, receive: Receive, limit: int) -> None:
        self._receive = receive
        self._limit = limit
        self.too_large = False
        self.client_gone = False
        self.done = False

    async def chunks(self) -> AsyncIterator[bytes]:
        seen = 0
        while True:
            message = await self._receive()
            if message["type"] == "http.disconnect":
                self.client_gone = True
                raise _UploadStopped("the client disconnected")
            chunk: bytes = message.get("body", b"")
            seen += len(chunk)
            if seen > self._limit:
                self.too_large = True
                raise _UploadStopped("the body is too large")
            if chunk:
                yield chunk
            if not message.get("more_body", False):
                self.done = True
                return


class Forwarder:
    """Owns the connection pool to the upstreams; opened and closed by the ASGI lifespan."""

    def __init__(self, *, timeout_seconds: float, max_body_bytes: int) -> None:
        self._timeout = aiohttp.ClientTimeout(
            total=None, connect=timeout_seconds, sock_read=timeout_seconds
        )
        self._max_body = max_body_bytes
        self._session: aiohttp.ClientSession | None = None

    @property
    def is_open(self) -> bool:
        return self._session is not None and not self._session.closed

    async def open(self) -> None:
        connector = aiohttp.TCPConnector(limit=_POOL_LIMIT, keepalive_timeout=_KEEPALIVE_SECONDS)
        self._session = aiohttp.ClientSession(
            connector=connector,
            timeout=self._timeout,
            # A shared jar would hand one caller's upstream cookies to the next caller.
            cookie_jar=aiohttp.DummyCookieJar(),
            # Bytes pass through as the upstream encoded them, with their Content-Encoding.
            auto_decompress=False,
            skip_auto_headers=_NO_AUTO_HEADERS,
        )

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def forward(self, *, route: Route, scope: Scope, receive: Receive, send: Send,
                      headers: Sequence[tuple[str, str]], has_body: bool) -> int:
        """Sends the request upstream and streams the answer back; returns the status.

        Raises only before the response has started, so the caller can still answer.
        """
        if self._session is None:
            raise Problem(503, "Not ready", detail="the gateway is starting", kind="not-ready")
        body = RequestBody(receive, self._max_body) if has_body else None
        try:
            response = await self._session.request(
                scope["method"], _upstream_url(route.upstream, scope), headers=headers,
                data=body.chunks() if body else None, allow_redirects=False,
            )
        except TimeoutError as exc:  # aiohttp's timeouts are TimeoutError subclasses
            _log_failure(route, exc)
            raise Problem(504, "Gateway timeout", kind="gateway-timeout",
                          detail=f"the {route.service} service did not answer in time") from exc
        except aiohttp.ClientError as exc:
            if body is not None and body.too_large:
                raise payload_too_large(self._max_body) from exc
            if body is not None and body.client_gone:
                return CLIENT_CLOSED
            _log_failure(route, exc)
            raise Problem(502, "Bad gateway", kind="bad-gateway",
                          detail=f"the {route.service} service could not be reached") from exc
        try:
            await _stream_back(response, receive, send, body, route)
        except Exception:
            # Never raise once headers are out: the caller could not answer with a problem.
            # Returning with the response incomplete makes uvicorn close the connection.
            logger.exception("forwarding to %s failed mid-response", route.service)
            response.close()
        finally:
            response.release()
        return response.status


def _upstream_url(base: str, scope: Scope) -> URL:
    # The raw path and query, byte for byte: encoded=True stops yarl from re-quoting them.
    raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
    query: bytes = scope.get("query_string", b"")
    target = raw_path + b"?" + query if query else raw_path
    return URL(base + target.decode("latin-1"), encoded=True)


async def _stream_back(response: aiohttp.ClientResponse, receive: Receive, send: Send,
                       body: RequestBody | None, route: Route) -> None:
    await send({"type": "http.response.start", "status": response.status,
                "headers": response_headers(response.raw_headers)})
    content = response.content
    watcher: asyncio.Task[None] | None = None
    try:
        async for chunk in content.iter_chunked(_CHUNK):
            last = content.at_eof()
            await send({"type": "http.response.body", "body": chunk, "more_body": not last})
            if last:
                return
            if watcher is None and (body is None or body.done):
                # uvicorn's send() drops data silently once the client is gone; without this
                # a long response would be read to its end for nobody.
                watcher = asyncio.create_task(_close_on_disconnect(receive, response))
        await send({"type": "http.response.body", "body": b"", "more_body": False})
    except (aiohttp.ClientError, TimeoutError) as exc:
        # Headers are out: all that is left is to cut the response, which uvicorn does by
        # closing the connection when the app returns with the response incomplete.
        if watcher is None or not watcher.done():  # else the client left: not a failure
            _log_failure(route, exc)
        response.close()
    finally:
        if watcher is not None:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher


async def _close_on_disconnect(receive: Receive, response: aiohttp.ClientResponse) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass
    response.close()


def _log_failure(route: Route, exc: BaseException) -> None:
    # The exception's class only: its text can carry the URL, and the URL the query string.
    logger.warning("upstream %s failed: %s", route.service, type(exc).__name__)
