"""CPU time of the platform's processes (each with its descendants: PostgreSQL's backends)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")


def _processes() -> dict[int, tuple[int, float]]:
    """pid → (parent pid, CPU seconds) of every process we can read: its own user + system
    time and that of its children that exited (PostgreSQL's closed backends)."""
    found: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) "
        ticks = sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
        found[int(entry.name)] = (int(fields[1]), ticks / _TICKS)
    return found


def cpu_seconds(roots: Mapping[str, int]) -> dict[str, float]:
    """name → CPU seconds used so far by that process and its live descendants."""
    table = _processes()
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    totals: dict[str, float] = {}
    for name, root in roots.items():
        total, stack = 0.0, [root]
        while stack:
            pid = stack.pop()
            if pid in table:
                total += table[pid][1]
                stack.extend(children.get(pid, ()))
        totals[name] = total
    return totals


def used_between(before: Mapping[str, float], after: Mapping[str, float]) -> dict[str, float]:
    return {name: max(0.0, after[name] - before.get(name, 0.0)) for name in after}


def machine_seconds() -> tuple[float, float, float]:
    """(busy, steal, total) CPU seconds of the whole machine since boot, all cores (/proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    busy = user + nice + system + irq + softirq  # guest time is already inside user
    return busy / _TICKS, steal / _TICKS, (busy + idle + iowait + steal) / _TICKS


def own_and_descendants(root: int) -> tuple[float, float]:
    """(the process's own CPU seconds so far, with its reaped children; those of its live
    descendants): a service apart from the processes it started (certificates' fork server and
    render processes), which ``cpu_seconds`` counts together."""
    table = _processes()
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    own = table[root][1] if root in table else 0.0
    descendants, stack = 0.0, list(children.get(root, ()))
    while stack:
        pid = stack.pop()
        descendants += table[pid][1]
        stack.extend(children.get(pid, ()))
    return own, descendants
