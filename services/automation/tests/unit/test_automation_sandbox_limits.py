"""The sandbox's limits: what would exhaust the worker's memory or CPU is refused quickly,
before it is made, with a reason; ordinary expressions are unaffected."""

from __future__ import annotations

import resource
import time
from typing import Any

import pytest

from kyodo_automation.domain import sandbox
from kyodo_automation.domain.engine import Engine, Outcome
from kyodo_automation.domain.expressions import ExpressionError, ExpressionLimit, check, render
from kyodo_automation.domain.scenario import parse

pytestmark = pytest.mark.timeout(60)

HOSTILE = [
    "${'x' * 10**9}", "${[0] * 10**9}", "${10**9 * 'x'}", "${9**(9**9)}", "${2**100000}",
    "${10**2000 * 10**2000}", "${('x' * 900000) + ('y' * 900000)}",
    "${('x' * 100000).replace('', 'y' * 100)}", "${('x' * 1000).replace('x', 'y' * 10000)}",
    "${'%999999999d' % 1}", "${round(10**100, -10**9)}", "${[s, s] ~ ''}",
    "${('x' * 999999) ~ ('y' * 999999)}", "${[s] | join('y' * 999999)}",
    "${(s, s, s) | string}",
]
MAY_NOT = ["${'x'.ljust(10**9)}", "${'x'.zfill(10**9)}", "${'{:>999999999}'.format(1)}",
           "${'x' | center(10**9)}", "${'x' | indent(10**9)}", "${[1] | batch(10**9, 0)}"]


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize("template", HOSTILE)
def test_what_would_exhaust_memory_or_cpu_is_refused_before_it_is_made(template: str) -> None:
    scope = {"s": "x" * 900_000}
    before, started = _rss_mib(), time.monotonic()
    with pytest.raises(ExpressionLimit) as refused:
        render(template, scope)
    assert time.monotonic() - started < 1.0
    assert _rss_mib() - before < 50  # nothing large was allocated
    assert refused.value.reason  # says which limit


@pytest.mark.parametrize("template", MAY_NOT)
def test_methods_and_filters_that_take_a_width_are_not_available(template: str) -> None:
    with pytest.raises(ExpressionError) as refused:
        render(template, {})
    assert "may not be called" in str(refused.value) or "No filter named" in str(refused.value)


def test_values_that_double_step_after_step_are_stopped() -> None:
    """Each set step puts the previous list twice into a new one: small in memory, but its
    text and its JSON grow exponentially."""
    scope: dict[str, Any] = {"a": ["x" * 100]}
    with pytest.raises(ExpressionLimit):
        for _ in range(64):
            scope["a"] = render("${[a, a]}", scope)
            render("${a | length}", scope)
    with pytest.raises(ExpressionLimit):
        render("id ${a}", scope)


def test_a_step_that_takes_too_long_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "STEP_SECONDS", 0.05)
    rows = [{"n": i} for i in range(200_000)]
    started = time.monotonic()
    with pytest.raises(ExpressionLimit, match="takes more than"):
        render("${rows | map(attribute='n') | select('odd') | map('string') | list | length}",
               {"rows": rows})
    assert time.monotonic() - started < 1.0


def test_a_constant_expression_beyond_the_limits_is_refused_when_saved() -> None:
    with pytest.raises(ExpressionLimit):
        check("${'x' * 10**9}")
    check("${'x' * inputs.n}")  # depends on its input: the run decides
    check("${1 / 0}")  # other failures stay the run's, with their step


@pytest.mark.parametrize(("template", "value"), [
    ("${row.amount * 2}", 2_000_000), ("${'-' * 3}", "---"), ("${[1] * 3}", [1, 1, 1]),
    ("${2 ** 10}", 1024), ("${round(1234.5678, 2)}", 1234.57), ("${row.name ~ '様'}", "山田様"),
    ("${row.name | replace('山', '川')}", "川田"), ("${[row.name, 'a'] | join(',')}", "山田,a"),
    ("${row.amount % 7}", 1_000_000 % 7), ("${str(row.amount)}", "1000000"),
    ("${row.name.startswith('山')}", True), ("${row.get('amount')}", 1_000_000),
    ("${rows | length}", 3), ("${rows}", [1, 2, 3]),
])
def test_ordinary_expressions_still_work(template: str, value: Any) -> None:
    scope = {"row": {"amount": 1_000_000, "name": "山田"}, "rows": [1, 2, 3]}
    assert render(template, scope) == value


class _Nothing:
    async def call(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("no call")


async def test_a_run_fails_with_the_step_and_the_limit_as_its_reason() -> None:
    scenario = parse("""
scenario: hostile
title: x
minutes_per_item: 1
trigger: {manual: {}}
inputs: {n: {type: integer}}
steps:
  - set: {big: "${'x' * inputs.n}"}
""")
    outcome: Outcome = await Engine(scenario, run_id="r", platform=_Nothing(),  # type: ignore[arg-type]
                                    journal=None, granted=frozenset()).run({"n": 10**9})  # type: ignore[arg-type]
    assert outcome.state == "failed" and outcome.limit_exceeded
    assert outcome.failed_step == "/steps/0/set/big"
    assert "more than 1000000 characters" in (outcome.error or "")
