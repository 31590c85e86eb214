"""Ports handed to a test's platform are never ones the kernel lends to outgoing connections."""

from pathlib import Path

from kyodo_launcher.ports import free_port, free_port_block


def _ephemeral_low() -> int:
    return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])


def test_a_port_block_lies_below_the_ephemeral_range() -> None:
    # A restarted platform's service once lost its port to a worker's connection to the broker.
    low = _ephemeral_low()
    for _ in range(50):
        base = free_port_block(20)
        assert base + 20 <= low
        assert free_port() < low
