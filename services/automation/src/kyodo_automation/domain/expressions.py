"""The template language of scenarios: ``${row.amount}``, ``${inputs.year + 1}``,
``${event.reason == "died"}``. Expressions are Jinja2 expressions evaluated in a sandbox: no
imports, no attribute access to Python internals, no function calls beyond a few filters,
and limits on the size of what they make and the time they take (``sandbox``).

A string that is one whole ``${...}`` gives the value itself (a number stays a number, a row
stays a row); a string with text around expressions gives text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from jinja2 import TemplateError, Undefined, nodes
from jinja2.parser import Parser

from kyodo_automation.domain import sandbox

_WHOLE = re.compile(r"^\$\{(?P<expr>.+)\}$", re.DOTALL)
_PART = re.compile(r"\$\{(?P<expr>[^{}]+)\}")
MAX_TEXT = 10_000


class ExpressionError(Exception):
    """An expression that does not compile, or fails on the values it was given."""

    def __init__(self, expression: str, reason: str) -> None:
        super().__init__(f"{expression}: {reason}")
        self.expression = expression
        self.reason = reason


class ExpressionLimit(ExpressionError):
    """An expression that would make too large a value or take too long: refused at save
    time when it needs no input, and the run fails when it does."""


class _Strict(Undefined):
    """A misspelt name is an error, not an empty string that slips into an API call."""

    def _fail_with_undefined_error(self, *args: Any, **kwargs: Any) -> Any:
        raise ExpressionError(self._undefined_name or "?", "is not defined")

    __str__ = __iter__ = __len__ = __eq__ = __ne__ = __bool__ = __hash__ = (
        _fail_with_undefined_error)
    __add__ = __radd__ = __lt__ = __le__ = __gt__ = __ge__ = __int__ = __float__ = (
        _fail_with_undefined_error)


_ENV = sandbox.BoundedEnvironment(undefined=_Strict, autoescape=False)


class _Compiled:
    def __init__(self, expression: str) -> None:
        try:
            node = Parser(_ENV, expression, state="variable").parse_expression()
            self.run = _ENV.compile_expression(expression, undefined_to_none=False)
        except TemplateError as exc:
            raise ExpressionError(expression, exc.message or "does not compile") from None
        # A value the scope holds is not measured again (the rows of a file as they came).
        self.made_here = not sandbox.is_plain_reference(node)
        self.needs_input = any(name.name not in sandbox.GLOBALS
                               for name in node.find_all(nodes.Name))


@lru_cache(maxsize=1024)
def _compiled(expression: str) -> _Compiled:
    return _Compiled(expression)


def check(text: str) -> None:
    """Raises ExpressionError for the first expression in ``text`` that does not compile, or
    that needs no input and already exceeds the sandbox's limits."""
    whole = _WHOLE.match(text)
    for expression in [whole["expr"]] if whole else _PART.findall(text):
        if not _compiled(expression.strip()).needs_input:
            try:
                evaluate(expression, {})
            except ExpressionLimit:
                raise
            except ExpressionError:
                pass  # other failures are the run's (with the step and item they had)


def evaluate(expression: str, scope: Mapping[str, Any]) -> Any:
    compiled = _compiled(expression.strip())
    try:
        with sandbox.Step():
            value = compiled.run(**scope)
            if compiled.made_here:
                sandbox.check_nodes(value)
    except ExpressionError:
        raise
    except sandbox.LimitExceeded as exc:
        raise ExpressionLimit(expression, exc.reason) from None
    except MemoryError:  # a limit missed: the worker lives on, the step fails
        raise ExpressionLimit(expression, "needs too much memory") from None
    except Exception as exc:  # the sandbox's SecurityError, a TypeError between values, …
        raise ExpressionError(expression, f"{type(exc).__name__}: {exc}") from None
    if isinstance(value, Undefined):
        raise ExpressionError(expression, "is not defined")
    return value


def render(template: Any, scope: Mapping[str, Any]) -> Any:
    """Evaluates every expression in a value: strings, and lists and objects of them, within
    one step's time limit."""
    with sandbox.Step():
        return _render(template, scope)


def _render(template: Any, scope: Mapping[str, Any]) -> Any:
    if isinstance(template, str):
        whole = _WHOLE.match(template)
        if whole and "${" not in whole["expr"]:
            return evaluate(whole["expr"], scope)
        text = _PART.sub(lambda m: _text(evaluate(m["expr"], scope), template), template)
        if len(text) > MAX_TEXT:
            raise ExpressionLimit(template, f"gives more than {MAX_TEXT} characters")
        return text
    if isinstance(template, list):
        return [_render(item, scope) for item in template]
    if isinstance(template, dict):
        return {key: _render(value, scope) for key, value in template.items()}
    return template


def expressions_in(template: Any) -> list[str]:
    """Every ${...} text in a value, for checking at save time."""
    if isinstance(template, str):
        return [template] if "${" in template else []
    if isinstance(template, list):
        return [e for item in template for e in expressions_in(item)]
    if isinstance(template, dict):
        return [e for value in template.values() for e in expressions_in(value)]
    return []


def _text(value: Any, template: str) -> str:
    try:
        sandbox.text_size(value, MAX_TEXT)
    except sandbox.LimitExceeded as exc:
        raise ExpressionLimit(template, exc.reason) from None
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
