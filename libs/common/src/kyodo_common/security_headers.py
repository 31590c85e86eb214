"""The headers every service answers with, whatever the route: `nosniff`, `no-store` unless
the route says otherwise, and a Content-Security-Policy on HTML pages (the API docs).

Answers carry personal data: no browser, proxy or disk cache may keep them, and no browser
may guess a type other than the declared one (a name rendered as HTML is script injection).
"""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

NOSNIFF = (b"x-content-type-options", b"nosniff")
NO_STORE = (b"cache-control", b"no-store")
_CSP = b"content-security-policy"

_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)


def html_policy(html: bytes) -> str:
    """The CSP of a documentation page: scripts only from this origin (the assets are served
    from a package: kyodo_common.docs_pages) or inline ones with exactly this content (by
    hash), nothing framed or framing it, requests only to this origin.

    Styles may be inline: Swagger UI and ReDoc set style attributes from script; a style
    cannot run code. ReDoc runs its search in a worker made from a blob."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"
        for body in _INLINE_SCRIPT.findall(html))
    return "; ".join((
        "default-src 'none'",
        f"script-src 'self' {hashes}".rstrip(),
        "style-src 'self' 'unsafe-inline'",
        "font-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "worker-src blob:",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ))


def allows_script(policy: str, src: str) -> bool:
    """Whether `policy`'s script-src admits the external script `src` (for tests)."""
    directive = next(d for d in policy.split("; ") if d.startswith("script-src "))
    parts = urlsplit(src)
    if not parts.scheme and not parts.netloc:
        return "'self'" in directive.split()[1:]
    return f"{parts.scheme}://{parts.netloc}" in directive.split()[1:]


class SecurityHeaders:
    """Pure ASGI middleware, outermost: every answer (500s and 413s included) gets `nosniff`
    and, unless the route set its own Cache-Control, `no-store`; an HTML page without its own
    CSP gets `html_policy` of its body (the page is buffered: documentation pages are small)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        held: Message | None = None
        body: list[bytes] = []

        async def send_secured(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                names = {name.lower() for name, _ in headers}
                if NOSNIFF[0] not in names:
                    headers.append(NOSNIFF)
                if NO_STORE[0] not in names:
                    headers.append(NO_STORE)
                message = {**message, "headers": headers}
                if _CSP not in names and _is_html(headers):
                    held = message
                    return
            elif held is not None and message["type"] == "http.response.body":
                body.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                page = b"".join(body)
                policy = html_policy(page).encode()
                start = {**held, "headers": [*held["headers"], (_CSP, policy)]}
                held = None
                await send(start)
                message = {"type": "http.response.body", "body": page}
            await send(message)

        await self.app(scope, receive, send_secured)


def _is_html(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(name.lower() == b"content-type" and value.lower().startswith(b"text/html")
               for name, value in headers)
