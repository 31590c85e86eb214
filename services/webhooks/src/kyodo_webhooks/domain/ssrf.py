"""Callback URLs and the addresses a delivery may connect to (SSRF).

A callback is an absolute http(s) URL without credentials. Outside development, every address
its host resolves to must be public: no loopback, private, link-local, shared (CGNAT),
multicast, reserved or unspecified address, nor an IPv4 one mapped into IPv6. The check is made
again at each delivery, on the addresses just resolved, and the request then goes to the
address that was checked (pinned), so a DNS answer that changes in between cannot send it
elsewhere.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from kyodo_common.errors import InvalidInput

MAX_URL_LENGTH = 2048
_BLOCKED_V4 = [ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24", "198.18.0.0/15",
    "198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4")]
_BLOCKED_V6 = [ipaddress.ip_network(n) for n in ("64:ff9b::/96", "64:ff9b:1::/48", "2001:db8::/32",
                                                 "fc00::/7", "fe80::/10")]


class Refused(Exception):
    """The callback may not be called: the reason is for the delivery log."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # as written in the URL (Host header, TLS server name)
    port: int
    path: str  # path and query

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == default else f"{host}:{self.port}"

    def url_to(self, address: str) -> str:
        literal = f"[{address}]" if ":" in address else address
        return f"{self.scheme}://{literal}:{self.port}{self.path}"


def parse(url: str) -> Target:
    """The callback's parts; InvalidInput (field callback_url) when it is not one we call."""
    if len(url) > MAX_URL_LENGTH:
        raise InvalidInput("callback_url", f"at most {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InvalidInput("callback_url", "not a URL") from exc
    if parts.scheme not in ("http", "https"):
        raise InvalidInput("callback_url", "an http or https URL is required")
    if not parts.hostname:
        raise InvalidInput("callback_url", "the URL names no host")
    if parts.username is not None or parts.password is not None:
        raise InvalidInput("callback_url", "credentials in the URL are not accepted")
    if parts.fragment:
        raise InvalidInput("callback_url", "a fragment is never sent: leave it out")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80),
                  path)


def public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return False
    if (address.is_loopback or address.is_private or address.is_link_local
            or address.is_multicast or address.is_reserved or address.is_unspecified
            or not address.is_global):
        return False
    blocked = _BLOCKED_V4 if address.version == 4 else _BLOCKED_V6
    return not any(address in net for net in blocked)


def check_address(text: str, *, allow_private: bool) -> str:
    address = ipaddress.ip_address(text.split("%", 1)[0])
    if not allow_private and not public(address):
        raise Refused(f"the callback's host resolves to a non-public address ({address})")
    return str(address)


async def resolve(target: Target, *, allow_private: bool) -> str:
    """The one address this delivery connects to: every address the host resolves to is
    checked (an attacker's name may answer a public and a private one), the first is used."""
    try:
        literal = ipaddress.ip_address(target.host)
    except ValueError:
        literal = None
    if literal is not None:
        return check_address(str(literal), allow_private=allow_private)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(
            target.host, target.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Refused(f"the callback's host does not resolve ({type(exc).__name__})") from exc
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise Refused("the callback's host does not resolve")
    checked = [check_address(a, allow_private=allow_private) for a in addresses]
    return checked[0]


def check_url(url: str, *, allow_private: bool) -> Target:
    """At subscription: the URL's form, and a literal address's kind (names are checked at
    each delivery, when they are resolved)."""
    target = parse(url)
    if not allow_private:
        if target.host.lower() in ("localhost",) or target.host.lower().endswith(".localhost"):
            raise InvalidInput("callback_url", "a loopback host is not accepted")
        try:
            check_address(target.host, allow_private=False)
        except Refused as exc:
            raise InvalidInput("callback_url", str(exc)) from exc
        except ValueError:
            pass  # a name: resolved and checked at each delivery
    return target
