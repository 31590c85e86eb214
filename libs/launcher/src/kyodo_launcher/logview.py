"""`kyodo logs`: the components' log files, merged, filtered and readable (or JSON).

Every Kyodo process writes one JSON object per line (kyodo_common.logs); PostgreSQL and the
broker write text, shown as it is (and left out when filtering by municipality or trace).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

TAIL_BYTES = 8 << 20  # the tail reads at most this much of each file
LEVEL_STYLE = {"ERROR": "red", "CRITICAL": "red", "WARNING": "yellow", "DEBUG": "dim"}


@dataclass(frozen=True)
class Filters:
    components: tuple[str, ...] = ()
    municipality: str | None = None
    trace_id: str | None = None

    def wants_file(self, component: str) -> bool:
        return not self.components or component in self.components

    def wants(self, entry: dict[str, Any]) -> bool:
        if self.municipality and entry.get("municipality") != self.municipality:
            return False
        return not (self.trace_id and (entry.get("trace_id") or "") != self.trace_id.lower())


def parse(component: str, line: str) -> dict[str, Any]:
    """The line as an entry with its component; a text line becomes {"message": line}."""
    line = line.rstrip("\n")
    try:
        entry = json.loads(line)
        if not isinstance(entry, dict):
            raise ValueError
    except ValueError:
        entry = {"message": line}
    entry["component"] = component
    return entry


def _clock(value: object) -> str:
    """HH:MM:SS.mmm of an ISO time ('' for none), in the time zone it was written in."""
    try:
        return datetime.fromisoformat(str(value)).strftime("%H:%M:%S.%f")[:-3]
    except ValueError:
        return ""


def readable(entry: dict[str, Any]) -> str:
    """One line as a person reads it (rich markup): time, level, component, municipality,
    message, and the trace id's first 8 hex digits; an error's traceback below it."""
    from rich.markup import escape

    moment = _clock(entry.get("time"))
    level = str(entry.get("level", ""))
    style = LEVEL_STYLE.get(level, "")
    tenant = f" [{entry['municipality']}]" if entry.get("municipality") else ""
    trace = f" [dim]trace {entry['trace_id'][:8]}[/]" if entry.get("trace_id") else ""
    text = (f"[dim]{moment}[/] " if moment else "") + \
        (f"[{style}]{level:<7}[/] " if style else (f"{level:<7} " if level else "")) + \
        f"[cyan]{escape(entry['component'])}[/]{escape(tenant)} {escape(str(entry['message']))}" \
        + trace
    if entry.get("error"):
        text += "\n" + escape(str(entry["error"]))
    return text


def _tail_lines(path: Path) -> tuple[list[str], int]:
    """The file's lines within its last TAIL_BYTES, and the offset of its end."""
    with path.open("rb") as f:
        size = f.seek(0, 2)
        f.seek(max(0, size - TAIL_BYTES))
        data = f.read(size)
    lines = data.decode("utf-8", errors="replace").splitlines()
    if size > TAIL_BYTES and lines:
        lines = lines[1:]  # a partial first line
    return lines, size


def components(log_dir: Path) -> list[str]:
    return sorted(p.stem for p in log_dir.glob("*.log"))


def tail(log_dir: Path, filters: Filters, lines: int) -> tuple[list[dict[str, Any]],
                                                                  dict[Path, int]]:
    """The last ``lines`` matching entries of the chosen components, in time order, and where
    each file ended (for following)."""
    entries: list[dict[str, Any]] = []
    offsets: dict[Path, int] = {}
    for component in components(log_dir):
        if not filters.wants_file(component):
            continue
        path = log_dir / f"{component}.log"
        raw, offsets[path] = _tail_lines(path)
        matching = [e for e in (parse(component, line) for line in raw if line.strip())
                    if filters.wants(e)]
        entries += matching[-lines:]
    entries.sort(key=lambda e: str(e.get("time", "")))  # text lines (no time) first
    return entries[-lines:] if lines else [], offsets


def follow(log_dir: Path, filters: Filters, offsets: dict[Path, int],
           keep_going: Callable[[], bool] = lambda: True,
           interval: float = 0.25) -> Iterator[dict[str, Any]]:
    """New matching entries as they are written, from ``offsets`` on; a file that appears
    later is read from its start, one that shrank (truncated) from its start again."""
    partial: dict[Path, str] = {}
    while keep_going():
        for component in components(log_dir):
            if not filters.wants_file(component):
                continue
            path = log_dir / f"{component}.log"
            try:
                size = path.stat().st_size
            except OSError:
                continue
            start = offsets.get(path, 0)
            if size < start:
                start, partial[path] = 0, ""
            if size == start:
                continue
            with path.open("rb") as f:
                f.seek(start)
                chunk = f.read(size - start)
            offsets[path] = size
            text = partial.get(path, "") + chunk.decode("utf-8", errors="replace")
            *complete, partial[path] = text.split("\n")
            yield from (e for e in (parse(component, line) for line in complete
                                    if line.strip()) if filters.wants(e))
        time.sleep(interval)


def as_json(entries: Iterable[dict[str, Any]]) -> Iterator[str]:
    for entry in entries:
        yield json.dumps(entry, ensure_ascii=False)
