"""Free loopback ports for the processes the launcher starts on one machine (the test tiers,
the benchmarks and the local webhook receiver), outside the range the kernel lends."""

from __future__ import annotations

import socket
from pathlib import Path


def _ports_the_kernel_never_lends() -> range:
    """Loopback ports below the kernel's ephemeral range.

    A port found free is only bound a moment later by the process the test starts; in between,
    any outgoing connection (a worker's to the broker, a client's to PostgreSQL) may be lent an
    ephemeral port, and one was: a restarted platform's certificates service met `address already
    in use` on its own port. Ports outside the range the kernel lends cannot be taken that way.
    """
    try:
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32_768  # Linux's default
    return range(10_000, max(low, 12_000))


def _bindable(ports: range) -> bool:
    sockets = []
    try:
        for port in ports:
            s = socket.socket()
            sockets.append(s)
            s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        for s in sockets:
            s.close()


def free_port() -> int:
    """A free loopback port the kernel will not lend to an outgoing connection."""
    return free_port_block(1)


def free_port_block(count: int, *, attempts: int = 500) -> int:
    """A base port such that it and the next ``count - 1`` ports are all free on loopback
    (the launcher puts the gateway on the base and each service on base + offset), none of them
    in the kernel's ephemeral range."""
    import random

    usable = _ports_the_kernel_never_lends()
    for _ in range(attempts):
        base = random.randrange(usable.start, usable.stop - count)  # noqa: S311 - not a secret
        if _bindable(range(base, base + count)):
            return base
    raise RuntimeError("no block of free loopback ports")
