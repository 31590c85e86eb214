"""The waterfall orders spans as a tree, children by start time."""

from __future__ import annotations

from kyodo_launcher.trace_view import ordered_tree, waterfall


def _span(span_id: str, parent: str | None, start: int, end: int, name: str) -> dict[str, object]:
    return {"trace_id": "t" * 32, "span_id": span_id, "parent_id": parent, "name": name,
            "service": "svc", "start_ns": start, "end_ns": end, "status": "UNSET"}


def test_children_follow_their_parent_in_start_order_and_orphans_are_roots() -> None:
    spans = [_span("c2", "root", 30, 40, "second"), _span("root", None, 0, 100, "request"),
             _span("c1", "root", 10, 20, "first"), _span("g1", "c1", 12, 15, "grandchild"),
             _span("o1", "missing", 50, 60, "consumer")]
    order = [(depth, s["name"]) for depth, s in ordered_tree(spans)]
    assert order == [(0, "request"), (1, "first"), (2, "grandchild"), (1, "second"),
                     (0, "consumer")]


def test_the_waterfall_has_a_row_per_span() -> None:
    spans = [_span("root", None, 0, 2_000_000, "request"), _span("c", "root", 0, 1, "child")]
    table = waterfall(spans)
    assert table.row_count == 2
