"""The engine over a fake platform and a journal in memory: no I/O."""

from __future__ import annotations

from typing import Any

import pytest

from kyodo_automation.domain.dry_run import DryRunPlatform, MemoryJournal
from kyodo_automation.domain.engine import Engine, Response
from kyodo_automation.domain.expressions import ExpressionError, render
from kyodo_automation.domain.scenario import parse

INTAKE = """scenario: intake
title: 取り込み
minutes_per_item: 3
trigger:
  file: {format: csv}
inputs:
  year: {type: integer, required: true}
  rows: {type: rows}
outputs:
  year: ${inputs.year}
steps:
  - for_each: ${inputs.rows}
    as: row
    item:
      amount: {type: integer, required: true, minimum: 0}
      name: {type: string, required: true}
    do:
      - set:
          doubled: ${row.amount * 2}
      - call: POST /tax/things?year=${inputs.year}
        body: {name: "${row.name}", amount: "${doubled}"}
        save_as: made
        on_error: review
      - if: ${made.flagged}
        then:
          - review: "flagged: ${row.name}"
"""


class FakePlatform:
    def __init__(self, fail_at: int | None = None) -> None:
        self.calls: list[tuple[str, str, Any, str]] = []
        self.fail_at = fail_at

    async def call(self, method: str, path: str, body: Any, *, idempotency_key: str,
                   purpose: str | None) -> Response:
        if self.fail_at is not None and len(self.calls) == self.fail_at:
            raise ConnectionError("the worker died here")
        self.calls.append((method, path, body, idempotency_key))
        if body and body.get("name") == "refused":
            return Response(422, {"detail": "bad", "invalid_params": [
                {"name": "amount", "reason": "too big"}]})
        return Response(201, {"flagged": bool(body and body.get("name") == "flag")})


def rows(*pairs: tuple[Any, Any]) -> list[dict[str, Any]]:
    return [{"amount": a, "name": n} for a, n in pairs]


def engine(platform: Any, journal: MemoryJournal, text: str = INTAKE,
           granted: frozenset[str] = frozenset({"tax:write"})) -> Engine:
    return Engine(parse(text), run_id="run-1", platform=platform, journal=journal,
                  granted=granted)


async def test_rows_are_typed_called_and_counted() -> None:
    platform, journal = FakePlatform(), MemoryJournal()
    outcome = await engine(platform, journal).run(
        {"year": 2025, "rows": rows(("100", "a"), ("x", "b"), ("7", "flag"), ("1", "refused"))})
    assert outcome.state == "done"
    assert (outcome.items_done, outcome.items_failed) == (1, 3)
    assert outcome.outputs == {"year": 2025}
    assert [c[2] for c in platform.calls] == [
        {"name": "a", "amount": 200}, {"name": "flag", "amount": 14},
        {"name": "refused", "amount": 2}]
    assert platform.calls[0][1] == "/tax/things?year=2025"
    kinds = [(h["kind"], h["item"]) for h in journal.human]
    assert kinds == [("invalid_item", 1), ("review", 2), ("call_refused", 3)]
    assert "amount" in journal.human[0]["reason"]
    assert "too big" in journal.human[2]["reason"]


async def test_a_resumed_run_does_no_call_twice_and_reuses_its_keys() -> None:
    journal = MemoryJournal()
    items = rows(*[(str(i), f"n{i}") for i in range(10)])
    crashing = FakePlatform(fail_at=6)
    with pytest.raises(ConnectionError):
        await engine(crashing, journal).run({"year": 2025, "rows": items})
    resumed = FakePlatform()
    outcome = await engine(resumed, journal).run({"year": 2025, "rows": items})
    assert outcome.items_done == 10
    done_first = [c[2]["name"] for c in crashing.calls]
    done_then = [c[2]["name"] for c in resumed.calls]
    assert done_first == [f"n{i}" for i in range(6)]
    assert done_then == [f"n{i}" for i in range(6, 10)]
    keys = [c[3] for c in crashing.calls + resumed.calls]
    assert len(set(keys)) == 10


async def test_the_key_of_a_call_cut_short_is_the_key_it_is_sent_again_with() -> None:
    journal = MemoryJournal()
    first, again = FakePlatform(), FakePlatform()
    await engine(first, MemoryJournal()).run({"year": 1, "rows": rows(("1", "a"))})
    await engine(again, journal).run({"year": 1, "rows": rows(("1", "a"))})
    assert first.calls[0][3] == again.calls[0][3]


async def test_a_rendered_path_outside_the_scopes_fails_the_run_at_run_time() -> None:
    text = """scenario: sneaky
title: x
minutes_per_item: 1
trigger: {manual: {}}
inputs:
  where: {type: string}
steps:
  - call: GET /tax/${inputs.where}
"""
    platform, journal = FakePlatform(), MemoryJournal()
    outcome = await engine(platform, journal, text, frozenset({"tax:read"})).run(
        {"where": "../identity/staff"})
    assert outcome.state == "failed" and "plain path" in (outcome.error or "")
    assert platform.calls == []
    narrower = await engine(FakePlatform(), MemoryJournal(), text, frozenset()).run(
        {"where": "rules"})
    assert narrower.state == "failed" and "lacks the scope tax:read" in (narrower.error or "")


APPROVAL = """scenario: approve-me
title: x
minutes_per_item: 5
trigger: {manual: {}}
steps:
  - approval: "switch ${inputs.n} people?"
    save_as: decision
  - call: POST /tax/switches
    body: {n: "${inputs.n}"}
  - notify: {to: 税務課, message: "done ${inputs.n}"}
"""


async def test_an_approval_waits_and_the_run_goes_on_once_approved() -> None:
    from kyodo_automation.domain.engine import Record

    platform, journal = FakePlatform(), MemoryJournal()
    first = await engine(platform, journal, APPROVAL).run({"n": 3})
    assert first.state == "waiting" and platform.calls == []
    assert journal.human[0]["reason"] == "switch 3 people?"
    journal.records["/steps/0"] = Record("/steps/0", "approval", "approved", {"by": "x"})
    second = await engine(platform, journal, APPROVAL).run({"n": 3})
    assert second.state == "done" and second.items_done == 1
    assert [c[2] for c in platform.calls] == [{"n": 3}]
    assert journal.notifications == [{"to": "税務課", "message": "done 3"}]
    again = await engine(platform, journal, APPROVAL).run({"n": 3})
    assert len(platform.calls) == 1 and len(journal.notifications) == 1 and again.state == "done"


async def test_a_rejected_approval_ends_the_run() -> None:
    from kyodo_automation.domain.engine import Record

    platform, journal = FakePlatform(), MemoryJournal()
    journal.records["/steps/0"] = Record("/steps/0", "approval", "rejected", None)
    outcome = await engine(platform, journal, APPROVAL).run({"n": 1})
    assert outcome.state == "rejected" and platform.calls == []


async def test_a_dry_run_lists_the_calls_and_makes_none() -> None:
    reads = FakePlatform()
    dry = DryRunPlatform(reads)
    journal = MemoryJournal(approve_all=True)
    outcome = await engine(dry, journal, APPROVAL).run({"n": 2})
    assert outcome.state == "done"
    assert [(c.method, c.path, c.body, c.performed) for c in dry.calls] == [
        ("POST", "/tax/switches", {"n": 2}, False)]
    assert reads.calls == []


@pytest.mark.parametrize("template", [
    "${row.__class__}", "${row.amount.__globals__}", "${nothing}",
    "${().__class__.__base__.__subclasses__()}", "${lipsum}", "${cycler}",
])
def test_expressions_cannot_reach_python(template: str) -> None:
    with pytest.raises(ExpressionError):
        render(template, {"row": {"amount": 1}})


def test_a_whole_expression_keeps_its_type_and_text_stays_text() -> None:
    scope = {"row": {"amount": 5, "tags": ["a"]}}
    assert render("${row.amount}", scope) == 5
    assert render("${row}", scope) == {"amount": 5, "tags": ["a"]}
    assert render("n=${row.amount}", scope) == "n=5"
    assert render({"x": ["${row.amount + 1}"]}, scope) == {"x": [6]}


BATCHED = INTAKE.replace("    as: row\n", "    as: rows\n    batch: 3\n").replace(
    '      - set:\n          doubled: ${row.amount * 2}\n', '').replace(
    'body: {name: "${row.name}", amount: "${doubled}"}', 'body: {rows: "${rows}"}').replace(
    '      - if: ${made.flagged}\n        then:\n          - review: "flagged: ${row.name}"\n',
    '      - if: ${made.flagged}\n        then:\n          - review: "flagged"\n'
    '            items: ${made.flagged}\n')


class BatchPlatform(FakePlatform):
    async def call(self, method: str, path: str, body: Any, *, idempotency_key: str,
                   purpose: str | None) -> Response:
        self.calls.append((method, path, body, idempotency_key))
        flagged = sum(1 for r in body["rows"] if r["name"] == "flag")
        return Response(201, {"flagged": flagged})


async def test_a_batch_checks_each_item_and_calls_once_per_batch() -> None:
    items = rows(("1", "a"), ("x", "b"), ("3", "c"), ("4", "flag"), ("5", "e"), ("6", "f"),
                 ("7", "g"))
    platform, journal = BatchPlatform(), MemoryJournal()
    outcome = await engine(platform, journal, BATCHED).run({"year": 2025, "rows": items})
    assert outcome.state == "done", outcome.error
    assert [[r["name"] for r in c[2]["rows"]] for c in platform.calls] == [
        ["a", "c"], ["flag", "e", "f"], ["g"]]
    assert platform.calls[0][2]["rows"][0]["amount"] == 1  # typed
    assert (outcome.items_done, outcome.items_failed) == (5, 2)
    assert [(h["kind"], h["item"]) for h in journal.human] == [("invalid_item", 1),
                                                                ("review", 1)]
    again = BatchPlatform()
    replayed = await engine(again, journal, BATCHED).run({"year": 2025, "rows": items})
    assert again.calls == [] and (replayed.items_done, replayed.items_failed) == (5, 2)


TYPED_OUTPUTS = """scenario: typed
title: x
minutes_per_item: 1
trigger: {manual: {}}
inputs:
  n: {type: string}
outputs:
  count: {value: "${inputs.n}", type: integer}
  note: "n is ${inputs.n}"
steps:
  - set: {a: 1}
"""


async def test_a_typed_output_is_converted_and_checked() -> None:
    done = await engine(FakePlatform(), MemoryJournal(), TYPED_OUTPUTS).run({"n": "42"})
    assert done.state == "done" and done.outputs == {"count": 42, "note": "n is 42"}
    wrong = await engine(FakePlatform(), MemoryJournal(), TYPED_OUTPUTS).run({"n": "many"})
    assert wrong.state == "failed" and wrong.failed_step == "/outputs/count"
    assert "not of type integer" in (wrong.error or "")
