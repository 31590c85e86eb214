"""The scenario engine: runs the steps of one run over two ports, the platform (API calls)
and the journal (what this run already did, and the human queue).

A run is replayed from its first step every time it resumes: a step the journal holds is not
done again (its recorded output is used), and an item of a for_each the journal holds as
finished is skipped whole. A call cut short by a crash, before its result was recorded, is
sent again with the same Idempotency-Key (from the run, the step and the item), so the
called service answers it from its memory instead of doing it twice.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from kyodo_automation.domain import expressions, fields
from kyodo_automation.domain.scenario import Scenario
from kyodo_automation.domain.scopes import OutOfScope, check_call

RunState = Literal["done", "waiting", "failed", "rejected"]
MAX_ITEMS = 200_000


@dataclass(frozen=True)
class Response:
    status: int
    body: Any


@dataclass(frozen=True)
class Record:
    key: str
    kind: str  # call | item | approval | notify | review
    status: str  # done | review | refused | failed | approved | rejected | pending
    output: Any = None


class Platform(Protocol):
    async def call(self, method: str, path: str, body: Any, *, idempotency_key: str,
                   purpose: str | None) -> Response: ...


class Journal(Protocol):
    def recorded(self, key: str) -> Record | None: ...

    async def record(self, key: str, *, kind: str, status: str, step: str, item: int | None,
                     input: Any, output: Any = None, error: str | None = None) -> None: ...

    async def to_human(self, key: str, *, kind: str, step: str, item: int | None,
                       reason: str, data: Any) -> None: ...

    async def notify(self, key: str, *, to: str, message: str) -> None: ...


class StepFailed(Exception):
    """The run stops here: a refused call, a 4xx the scenario did not expect, a bad value."""

    def __init__(self, step: str, reason: str, *, limit: bool = False) -> None:
        super().__init__(f"{step}: {reason}")
        self.step = step
        self.reason = reason
        self.limit = limit  # an expression exceeded the sandbox's limits


class _Waiting(Exception):
    pass


class _Rejected(Exception):
    pass


class _ItemToReview(Exception):
    def __init__(self, failed: int | None = None) -> None:
        super().__init__("to review")
        self.failed = failed  # of a batch's items; None: all of them


@dataclass
class Outcome:
    state: RunState
    outputs: dict[str, Any] = field(default_factory=dict)
    items_done: int = 0
    items_failed: int = 0
    error: str | None = None
    failed_step: str | None = None
    limit_exceeded: bool = False


def idempotency_key(run_id: str, key: str) -> str:
    """Stable across resumes of the run, distinct per step and item."""
    return f"automation-{run_id}-{hashlib.sha256(key.encode()).hexdigest()[:40]}"


def journal_key(pointer: str, items: tuple[int, ...]) -> str:
    return pointer + "".join(f"[{i}]" for i in items)


class Engine:
    def __init__(self, scenario: Scenario, *, run_id: str, platform: Platform,
                 journal: Journal, granted: frozenset[str]) -> None:
        self.scenario = scenario
        self.run_id = run_id
        self.platform = platform
        self.journal = journal
        self.granted = granted
        self.outcome = Outcome(state="done")
        self._counted_items = False

    async def run(self, inputs: Mapping[str, Any]) -> Outcome:
        scope: dict[str, Any] = {"inputs": dict(inputs), "steps": {}}
        try:
            await self._steps(self.scenario.steps, "/steps", scope, ())
        except _Waiting:
            self.outcome.state = "waiting"
            return self.outcome
        except _Rejected:
            self.outcome.state = "rejected"
            return self.outcome
        except _ItemToReview:
            self.outcome.items_failed += 1
            return self.outcome
        except (StepFailed, OutOfScope, expressions.ExpressionError) as exc:
            self.outcome.state = "failed"
            self.outcome.error = str(exc)
            self.outcome.failed_step = getattr(exc, "step", None)
            self.outcome.limit_exceeded = getattr(exc, "limit", False)
            return self.outcome
        if not self._counted_items:
            self.outcome.items_done += 1  # a run without a for_each is one item
        try:
            self.outcome.outputs = self._outputs(scope)
        except StepFailed as exc:
            self.outcome.state = "failed"
            self.outcome.error = str(exc)
            self.outcome.failed_step = exc.step
        return self.outcome

    def _outputs(self, scope: dict[str, Any]) -> dict[str, Any]:
        """Each output rendered; one declared with a type is converted to it and checked."""
        outputs: dict[str, Any] = {}
        for name, spec in self.scenario.outputs.items():
            where = f"/outputs/{name}"
            if not (isinstance(spec, dict) and {"value", "type"} <= set(spec)):
                outputs[name] = self._value(spec, where, scope)
                continue
            value = self._value(spec["value"], f"{where}/value", scope)
            typed, problems = fields.typed({name: value}, {name: {"type": spec["type"],
                                                                  "required": True}})
            if problems:
                raise StepFailed(where, f"the output is not of type {spec['type']}: "
                                        f"{problems[0]['reason']}")
            outputs[name] = typed[name]
        return outputs

    async def _steps(self, steps: list[dict[str, Any]], pointer: str, scope: dict[str, Any],
                     items: tuple[int, ...]) -> None:
        for index, step in enumerate(steps):
            here = f"{pointer}/{index}"
            if "call" in step:
                await self._call(step, here, scope, items)
            elif "for_each" in step:
                await self._for_each(step, here, scope, items)
            elif "if" in step:
                chosen = "then" if self._value(step["if"], here, scope) else "else"
                await self._steps(step.get(chosen) or [], f"{here}/{chosen}", scope, items)
            elif "set" in step:
                for name, template in step["set"].items():
                    scope[name] = self._value(template, f"{here}/set/{name}", scope)
            elif "approval" in step:
                await self._approval(step, here, scope, items)
            elif "notify" in step:
                await self._notify(step, here, scope, items)
            elif "review" in step:
                await self._review(step, here, scope, items)

    def _value(self, template: Any, where: str, scope: dict[str, Any]) -> Any:
        try:
            return expressions.render(template, scope)
        except expressions.ExpressionError as exc:
            raise StepFailed(where, f"expression {exc.expression!r}: {exc.reason}",
                             limit=isinstance(exc, expressions.ExpressionLimit)) from None

    async def _call(self, step: dict[str, Any], here: str, scope: dict[str, Any],
                    items: tuple[int, ...]) -> None:
        key = journal_key(here, items)
        done = self.journal.recorded(key)
        if done is not None and done.status == "done":
            if step.get("save_as"):
                scope[step["save_as"]] = done.output
            return
        method, path_template = step["call"].split(" ", 1)
        path = self._value(path_template, f"{here}/call", scope)
        body = self._value(step.get("body"), f"{here}/body", scope)
        item = items[-1] if items else None
        try:
            check_call(method, path, self.granted)
        except OutOfScope as exc:
            await self.journal.record(key, kind="call", status="refused", step=here, item=item,
                                      input={"method": method, "path": path},
                                      error=exc.reason)
            raise StepFailed(f"{here}/call", f"{method} {path}: {exc.reason}") from None
        call_input = {"method": method, "path": path, "body": body}
        if "pages" in step:
            response = await self._pages(step, here, items, path)
        else:
            response = await self.platform.call(
                method, path, body if method != "GET" else None,
                idempotency_key=idempotency_key(self.run_id, key), purpose=step.get("purpose"))
        if 200 <= response.status < 300:
            await self.journal.record(key, kind="call", status="done", step=here, item=item,
                                      input=call_input, output=response.body)
            if step.get("save_as"):
                scope[step["save_as"]] = response.body
            return
        reason = f"{method} {path} answered {response.status}: {_problem_text(response.body)}"
        if step.get("on_error") == "review" and 400 <= response.status < 500:
            await self.journal.record(key, kind="call", status="review", step=here, item=item,
                                      input=call_input, output=response.body, error=reason)
            await self.journal.to_human(key, kind="call_refused", step=here, item=item,
                                        reason=reason, data=body)
            raise _ItemToReview
        await self.journal.record(key, kind="call", status="failed", step=here, item=item,
                                  input=call_input, output=response.body, error=reason)
        raise StepFailed(f"{here}/call", reason)

    async def _pages(self, step: dict[str, Any], here: str, items: tuple[int, ...],
                     path: str) -> Response:
        """A GET of a paged list, followed page by page through the answer's cursor. Each page
        is journalled on its own (a resumed run does not fetch it again); the answer is the
        last page's with the items of every page and no cursor. A page refused is the answer."""
        spec = step["pages"]
        # The defaults are the platform's one list envelope (kyodo_common.paging).
        field_name, next_field = spec.get("items", "items"), spec.get("next", "next")
        param = spec.get("param", "cursor")
        gathered: list[Any] = []
        page_path = path
        for number in itertools.count():
            key = journal_key(f"{here}/pages/{number}", items)
            done = self.journal.recorded(key)
            if done is not None and done.status == "done":
                page = done.output
            else:
                response = await self.platform.call(
                    "GET", page_path, None, idempotency_key=idempotency_key(self.run_id, key),
                    purpose=step.get("purpose"))
                if not 200 <= response.status < 300:
                    return response
                page = response.body
                await self.journal.record(key, kind="page", status="done", step=here,
                                          item=items[-1] if items else None,
                                          input={"method": "GET", "path": page_path},
                                          output=page)
            # A dry run without reads answers every call {}: no items, no further page.
            listed = page.get(field_name, [] if page == {} else None) \
                if isinstance(page, dict) else None
            if not isinstance(listed, list):
                raise StepFailed(f"{here}/pages", f"page {number + 1} of GET {path} has no "
                                                  f"list {field_name!r}")
            gathered += listed
            if len(gathered) > MAX_ITEMS:
                raise StepFailed(f"{here}/pages", f"more than {MAX_ITEMS} items")
            cursor = page.get(next_field)
            if cursor in (None, "") or not listed:
                return Response(200, {**page, field_name: gathered, next_field: None})
            page_path = _with_query(path, param, str(cursor))
        raise AssertionError("unreachable")  # pragma: no cover

    async def _for_each(self, step: dict[str, Any], here: str, scope: dict[str, Any],
                        items: tuple[int, ...]) -> None:
        values = self._value(step["for_each"], f"{here}/for_each", scope)
        if not isinstance(values, list):
            raise StepFailed(f"{here}/for_each", "does not give a list")
        if len(values) > MAX_ITEMS:
            raise StepFailed(f"{here}/for_each", f"more than {MAX_ITEMS} items")
        name = step.get("as", "item")
        outermost = not items
        if outermost:
            self._counted_items = True
        if step.get("batch"):
            await self._for_each_batch(step, here, scope, items, name, values, outermost)
            return
        for index, value in enumerate(values):
            item_key = journal_key(f"{here}/item", (*items, index))
            finished = self.journal.recorded(item_key)
            if finished is None:
                status = await self._item(step, here, scope, (*items, index), name, value)
                await self.journal.record(item_key, kind="item", status=status, step=here,
                                          item=index, input=None)
            else:
                status = finished.status
            if outermost:
                if status == "done":
                    self.outcome.items_done += 1
                elif status == "review":
                    self.outcome.items_failed += 1

    async def _checked(self, step: dict[str, Any], here: str, items: tuple[int, ...],
                       value: Any) -> Any | None:
        """The item typed as the for_each declares, or None once it is in the human queue."""
        if not step.get("item"):
            return value
        if not isinstance(value, dict):
            value = {"value": value}
        value, problems = fields.typed(value, step["item"])
        if problems:
            await self.journal.to_human(
                journal_key(f"{here}/item", items), kind="invalid_item", step=here,
                item=items[-1], data=value,
                reason="; ".join(f"{p['name']}: {p['reason']}" for p in problems))
            return None
        return value

    async def _item(self, step: dict[str, Any], here: str, scope: dict[str, Any],
                    items: tuple[int, ...], name: str, value: Any) -> str:
        value = await self._checked(step, here, items, value)
        if value is None:
            return "review"
        inner = {**scope, name: value, "index": items[-1]}
        try:
            await self._steps(step["do"], f"{here}/do", inner, items)
        except _ItemToReview:
            return "review"
        except _Rejected:
            return "rejected"
        return "done"

    async def _for_each_batch(self, step: dict[str, Any], here: str, scope: dict[str, Any],
                              items: tuple[int, ...], name: str, values: list[Any],
                              outermost: bool) -> None:
        """`batch: N`: each item is checked on its own, then `do` runs once per N items (the
        valid ones of them, as a list). A batch is one journal record and one idempotency key
        per call; its counts say how many of its items were done and failed."""
        size = int(step["batch"])
        for number, start in enumerate(range(0, len(values), size)):
            batch_key = journal_key(f"{here}/batch", (*items, number))
            finished = self.journal.recorded(batch_key)
            if finished is None:
                counts = await self._batch(step, here, scope, items, name,
                                           values[start:start + size], start, number)
                await self.journal.record(batch_key, kind="batch", status="done", step=here,
                                          item=number, input=None, output=counts)
            else:
                counts = finished.output
            if outermost:
                self.outcome.items_done += counts["done"]
                self.outcome.items_failed += counts["failed"]

    async def _batch(self, step: dict[str, Any], here: str, scope: dict[str, Any],
                     items: tuple[int, ...], name: str, chunk: list[Any], start: int,
                     number: int) -> dict[str, int]:
        valid = []
        for offset, value in enumerate(chunk):
            checked = await self._checked(step, here, (*items, start + offset), value)
            if checked is not None:
                valid.append(checked)
        invalid = len(chunk) - len(valid)
        if not valid:
            return {"done": 0, "failed": invalid}
        inner = {**scope, name: valid, "index": number}
        try:
            await self._steps(step["do"], f"{here}/do", inner, (*items, number))
        except _ItemToReview as review:
            failed = len(valid) if review.failed is None else min(review.failed, len(valid))
            return {"done": len(valid) - failed, "failed": invalid + failed}
        except _Rejected:
            return {"done": 0, "failed": invalid}
        return {"done": len(valid), "failed": invalid}

    async def _approval(self, step: dict[str, Any], here: str, scope: dict[str, Any],
                        items: tuple[int, ...]) -> None:
        key = journal_key(here, items)
        decided = self.journal.recorded(key)
        if decided is None:
            question = self._value(step["approval"], f"{here}/approval", scope)
            await self.journal.to_human(key, kind="approval", step=here,
                                        item=items[-1] if items else None, reason=question,
                                        data=None)
            decided = self.journal.recorded(key)  # a dry run's journal approves at once
        if decided is None or decided.status == "pending":
            raise _Waiting
        if step.get("save_as"):
            scope[step["save_as"]] = decided.output
        if decided.status != "approved":
            raise _Rejected

    async def _notify(self, step: dict[str, Any], here: str, scope: dict[str, Any],
                      items: tuple[int, ...]) -> None:
        key = journal_key(here, items)
        if self.journal.recorded(key) is not None:
            return
        to = self._value(step["notify"]["to"], f"{here}/notify/to", scope)
        message = self._value(step["notify"]["message"], f"{here}/notify/message", scope)
        await self.journal.notify(key, to=str(to), message=str(message))
        await self.journal.record(key, kind="notify", status="done", step=here,
                                  item=items[-1] if items else None,
                                  input={"to": to, "message": message})

    async def _review(self, step: dict[str, Any], here: str, scope: dict[str, Any],
                      items: tuple[int, ...]) -> None:
        key = journal_key(here, items)
        if self.journal.recorded(key) is None:
            reason = self._value(step["review"], f"{here}/review", scope)
            item = items[-1] if items else None
            await self.journal.to_human(key, kind="review", step=here, item=item,
                                        reason=str(reason), data=None)
            failed = self._value(step["items"], f"{here}/items", scope) \
                if "items" in step else None
            await self.journal.record(key, kind="review", status="review", step=here,
                                      item=item, input={"reason": reason}, output=failed)
        else:
            failed = self.journal.recorded(key).output  # type: ignore[union-attr]
        raise _ItemToReview(failed if isinstance(failed, int) else None)


def _with_query(path: str, name: str, value: str) -> str:
    """``path`` with the query parameter ``name`` set to ``value`` (replacing it if there)."""
    parts = urlsplit(path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    return urlunsplit(parts._replace(query=urlencode([*query, (name, value)])))


def _problem_text(body: Any) -> str:
    if isinstance(body, dict):
        parts = [str(body.get("detail") or body.get("title") or "")]
        for param in body.get("invalid_params") or []:
            if isinstance(param, dict):
                parts.append(f"{param.get('name')}: {param.get('reason')}")
        return "; ".join(p for p in parts if p)[:500]
    return str(body)[:200]
