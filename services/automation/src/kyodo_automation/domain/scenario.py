"""A scenario as saved: YAML text checked against the JSON Schema and the template language,
with every error pointing at its line, and the calls it makes listed for the scope check."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from kyodo_automation.domain import expressions
from kyodo_automation.domain.schedule import ScheduleInvalid, parse_cron
from kyodo_automation.domain.scopes import OutOfScope, required_scope_of_template

MAX_YAML_BYTES = 200_000
MAX_DEPTH = 40  # the engine and the checks below recurse over the document
STEP_KINDS = ("call", "for_each", "if", "set", "approval", "notify", "review")
NESTED = ("do", "then", "else")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario: where (JSON pointer and line) and why."""

    pointer: str
    line: int
    reason: str

    def as_param(self) -> dict[str, Any]:
        return {"name": self.pointer or "/", "line": self.line, "reason": self.reason}


class ScenarioInvalid(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"line {p.line}: {p.reason}" for p in problems))
        self.problems = sorted(problems, key=lambda p: (p.line, p.pointer))


@dataclass(frozen=True)
class Call:
    pointer: str
    line: int
    method: str
    path: str
    scope: str


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    minutes_per_item: float
    trigger: dict[str, Any]
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    steps: list[dict[str, Any]]
    calls: tuple[Call, ...] = field(default=())
    source: dict[str, Any] = field(default_factory=dict)

    @property
    def trigger_kind(self) -> str:
        return next(iter(self.trigger))

    @property
    def event_types(self) -> tuple[str, ...]:
        wanted = self.trigger.get("event", {}).get("type")
        if wanted is None:
            return ()
        return (wanted,) if isinstance(wanted, str) else tuple(wanted)

    @property
    def scopes_needed(self) -> frozenset[str]:
        return frozenset(c.scope for c in self.calls)

    @classmethod
    def from_source(cls, data: dict[str, Any], calls: tuple[Call, ...] = ()) -> Scenario:
        return cls(name=data["scenario"], title=data["title"],
                   minutes_per_item=float(data["minutes_per_item"]),
                   trigger=data["trigger"], inputs=data.get("inputs") or {},
                   outputs=data.get("outputs") or {}, steps=data["steps"], calls=calls,
                   source=data)


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    text = (resources.files("kyodo_automation") / "schema" / "scenario.schema.json").read_text()
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema())


def parse(text: str, known_event_types: frozenset[str] | None = None) -> Scenario:
    """The scenario in ``text``, or ScenarioInvalid listing every problem with its line.

    With ``known_event_types``, an event trigger must name events the service receives."""
    if len(text.encode()) > MAX_YAML_BYTES:
        raise ScenarioInvalid([Problem("", 1, f"a scenario is at most {MAX_YAML_BYTES} bytes")])
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
        lines = line_map(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise ScenarioInvalid([Problem("", line, f"not valid YAML: {exc.problem}")]) from None
    except yaml.YAMLError as exc:  # a control character, an encoding error: no mark
        raise ScenarioInvalid([Problem("", 1, f"not valid YAML: {exc}"[:300])]) from None
    except RecursionError:
        raise ScenarioInvalid([Problem("", 1, "nested too deeply")]) from None
    if _depth(data) > MAX_DEPTH:
        raise ScenarioInvalid([Problem("", 1, f"nested deeper than {MAX_DEPTH} levels")])
    if not isinstance(data, dict):
        raise ScenarioInvalid([Problem("", 1, "a scenario is a YAML mapping (key: value)")])
    problems = [_schema_problem(error, lines) for error in _validator().iter_errors(data)]
    if problems:
        raise ScenarioInvalid(_deduplicated(problems))
    problems, calls = _check_steps(data, lines)
    problems += _check_templates(data, lines)
    problems += _check_schedule(data, lines)
    if known_event_types is not None:
        problems += _check_event_types(data, lines, known_event_types)
    if problems:
        raise ScenarioInvalid(problems)
    return Scenario.from_source(data, tuple(calls))


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level)
    return level


def line_map(node: yaml.Node | None) -> dict[str, int]:
    """JSON pointer → 1-based line, for every value in the document (keys' own lines)."""
    lines: dict[str, int] = {}

    def walk(n: yaml.Node, pointer: str, line: int) -> None:
        lines[pointer] = line
        if isinstance(n, yaml.MappingNode):
            for key, value in n.value:
                walk(value, f"{pointer}/{_escape(str(key.value))}", key.start_mark.line + 1)
        elif isinstance(n, yaml.SequenceNode):
            for index, item in enumerate(n.value):
                walk(item, f"{pointer}/{index}", item.start_mark.line + 1)

    if node is not None:
        walk(node, "", node.start_mark.line + 1)
    return lines


def line_of(lines: dict[str, int], pointer: str) -> int:
    """The line of the pointer, or of its nearest parent that has one."""
    while pointer not in lines and pointer:
        pointer = pointer.rsplit("/", 1)[0]
    return lines.get(pointer, 1)


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _pointer(parts: Any) -> str:
    return "".join(f"/{_escape(str(p))}" for p in parts)


_ADDITIONAL = re.compile(r"\('(?P<key>[^']+)' was unexpected\)")


def _schema_problem(error: ValidationError, lines: dict[str, int]) -> Problem:
    pointer = _pointer(error.absolute_path)
    reason = error.message
    if error.validator == "additionalProperties":
        found = _ADDITIONAL.search(error.message)
        if found:  # point at the unknown key itself
            pointer = f"{pointer}/{_escape(found['key'])}"
            reason = f"unknown key {found['key']!r}"
    elif error.validator == "oneOf" and error.schema.get("description", "").startswith(
            "exactly one of"):
        reason = "a step needs exactly one of: " + ", ".join(STEP_KINDS)
    elif error.validator == "oneOf" and pointer == "/trigger/schedule":
        reason = "a schedule needs exactly one of: every, cron"
    elif error.validator == "required":
        reason = error.message.replace("is a required property", "is required")
    elif error.validator == "pattern":
        reason = f"{error.instance!r} does not have the expected form"
        if pointer.endswith("/call"):
            reason += " (METHOD /service/path, e.g. POST /tax/assessments)"
    return Problem(pointer, line_of(lines, pointer), reason)


def _deduplicated(problems: list[Problem]) -> list[Problem]:
    seen: dict[tuple[str, str], Problem] = {}
    for problem in problems:
        seen.setdefault((problem.pointer, problem.reason), problem)
    return list(seen.values())


def walk_steps(steps: list[dict[str, Any]], pointer: str = "/steps"
               ) -> list[tuple[str, dict[str, Any]]]:
    """Every step with its pointer, depth first, in document order."""
    found: list[tuple[str, dict[str, Any]]] = []
    for index, step in enumerate(steps):
        here = f"{pointer}/{index}"
        found.append((here, step))
        for key in NESTED:
            if isinstance(step.get(key), list):
                found += walk_steps(step[key], f"{here}/{key}")
    return found


def _check_steps(data: dict[str, Any], lines: dict[str, int]
                 ) -> tuple[list[Problem], list[Call]]:
    problems: list[Problem] = []
    calls: list[Call] = []
    for pointer, step in walk_steps(data["steps"]):
        if "call" in step:
            method, path = step["call"].split(" ", 1)
            where = f"{pointer}/call"
            try:
                scope = required_scope_of_template(method, path)
            except OutOfScope as exc:
                problems.append(Problem(where, line_of(lines, where), exc.reason))
                continue
            calls.append(Call(where, line_of(lines, where), method, path, scope))
            if "pages" in step and method != "GET":
                here = f"{pointer}/pages"
                problems.append(Problem(here, line_of(lines, here), "pages follow a GET only"))
        if "for_each" in step:
            for name, spec in (step.get("item") or {}).items():
                if "pattern" in spec:
                    try:
                        re.compile(spec["pattern"])
                    except re.error as exc:
                        where = f"{pointer}/item/{name}/pattern"
                        problems.append(Problem(where, line_of(lines, where),
                                                f"not a valid pattern: {exc}"))
    return problems, calls


def _check_templates(data: dict[str, Any], lines: dict[str, int]) -> list[Problem]:
    problems: list[Problem] = []

    def visit(value: Any, pointer: str) -> None:
        if isinstance(value, str):
            if "${" in value:
                try:
                    expressions.check(value)
                except expressions.ExpressionError as exc:
                    problems.append(Problem(pointer, line_of(lines, pointer),
                                            f"expression {exc.expression!r}: {exc.reason}"))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                visit(item, f"{pointer}/{index}")
        elif isinstance(value, dict):
            for key, item in value.items():
                visit(item, f"{pointer}/{_escape(str(key))}")

    visit(data.get("steps"), "/steps")
    visit(data.get("outputs"), "/outputs")
    return problems


def _check_schedule(data: dict[str, Any], lines: dict[str, int]) -> list[Problem]:
    cron = data["trigger"].get("schedule", {}).get("cron")
    if cron is None:
        return []
    try:
        parse_cron(cron)
    except ScheduleInvalid as exc:
        pointer = "/trigger/schedule/cron"
        return [Problem(pointer, line_of(lines, pointer), f"not a schedule: {exc}")]
    return []


def _check_event_types(data: dict[str, Any], lines: dict[str, int],
                       known: frozenset[str]) -> list[Problem]:
    wanted = data["trigger"].get("event", {}).get("type")
    if wanted is None:
        return []
    listed = [wanted] if isinstance(wanted, str) else list(wanted)
    problems = []
    for index, event_type in enumerate(listed):
        if event_type not in known:
            pointer = "/trigger/event/type" + ("" if isinstance(wanted, str) else f"/{index}")
            problems.append(Problem(pointer, line_of(lines, pointer),
                                    f"{event_type!r} is not an event automation receives"))
    return problems


def check_scopes(scenario: Scenario, granted: frozenset[str]) -> None:
    """Save time: every call is within the scenario account's scopes."""
    problems = [Problem(c.pointer, c.line,
                        f"{c.method} {c.path} needs the scope {c.scope}, which the scenario's "
                        f"account does not have")
                for c in scenario.calls if c.scope not in granted]
    if problems:
        raise ScenarioInvalid(problems)
