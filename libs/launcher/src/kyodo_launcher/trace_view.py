"""`kyodo trace <id>`: one trace's spans from var/traces/, as a waterfall in the terminal."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from rich.table import Table
from rich.text import Text

BAR_WIDTH = 40


def load_spans(traces_dir: Path, trace_id: str) -> list[dict[str, Any]]:
    spans = []
    for path in sorted(traces_dir.glob("*.jsonl")):
        with path.open(encoding="utf-8") as f:
            for line in f:
                if trace_id in line:
                    span = json.loads(line)
                    if span["trace_id"] == trace_id:
                        spans.append(span)
    return spans


def ordered_tree(spans: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    """Depth-first, children by start time; spans whose parent is missing count as roots."""
    ids = {s["span_id"] for s in spans}
    children: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for span in spans:
        parent = span["parent_id"] if span["parent_id"] in ids else None
        children[parent].append(span)
    result: list[tuple[int, dict[str, Any]]] = []

    def walk(parent: str | None, depth: int) -> None:
        for span in sorted(children[parent], key=lambda s: s["start_ns"]):
            result.append((depth, span))
            walk(span["span_id"], depth + 1)

    walk(None, 0)
    return result


def waterfall(spans: list[dict[str, Any]]) -> Table:
    start = min(s["start_ns"] for s in spans)
    end = max(s["end_ns"] for s in spans)
    total = max(end - start, 1)
    table = Table(title=f"trace {spans[0]['trace_id']} — {total / 1e6:.1f} ms", expand=False)
    table.add_column("service")
    table.add_column("span")
    table.add_column("ms", justify="right")
    table.add_column("timeline")
    for depth, span in ordered_tree(spans):
        offset = int((span["start_ns"] - start) / total * BAR_WIDTH)
        width = max(1, int((span["end_ns"] - span["start_ns"]) / total * BAR_WIDTH))
        style = "red" if span["status"] == "ERROR" else "cyan"
        bar = Text(" " * offset) + Text("█" * width, style=style)
        table.add_row(span["service"], "  " * depth + span["name"],
                      f"{(span['end_ns'] - span['start_ns']) / 1e6:.2f}", bar)
    return table
