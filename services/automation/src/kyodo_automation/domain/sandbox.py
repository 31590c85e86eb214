"""The limits of the expression sandbox: memory and time, besides Jinja's safety.

Jinja's sandbox keeps expressions away from Python's internals, not from the machine:
``'x' * 10**9`` asks for a gigabyte, ``9**9**9`` for minutes of one CPU, and a few ``set``
steps that each put a list twice into a new one make a value whose text is exponentially
long. So every operation that can make something larger than its operands (arithmetic,
``~``, the filters, the few methods an expression may call) is intercepted: the size of its
result is worked out before it is made and refused beyond the limits, and the step's clock is
checked at each of them, so that a step's evaluation stops after ``STEP_SECONDS``.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from typing import Any

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.filters import FILTERS
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

MAX_LENGTH = 1_000_000  # characters of a string, items of a list an expression makes
MAX_INT_BITS = 4_096  # about 1,200 digits: far beyond any amount of money
MAX_NODES = 10_000_000  # values in what one step's expression gives (lists of rows, …)
STEP_SECONDS = 2.0  # one step's evaluation (a value, a call's body, a condition)

_deadline: ContextVar[float | None] = ContextVar("kyodo_automation_deadline", default=None)


class LimitExceeded(Exception):
    """An expression would make too large a value, or take too long."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def tick() -> None:
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline:
        raise LimitExceeded(f"takes more than {STEP_SECONDS:g} s to evaluate")


class Step:
    """The time limit of one step's evaluation (nested ones share the outermost's)."""

    def __enter__(self) -> None:
        self._token = (_deadline.set(time.monotonic() + STEP_SECONDS)
                       if _deadline.get() is None else None)

    def __exit__(self, *exc: object) -> None:
        if self._token is not None:
            _deadline.reset(self._token)


def text_size(value: Any, limit: int = MAX_LENGTH) -> int:
    """About how many characters ``str(value)`` has, counted only up to ``limit``: a list
    that holds another list twice counts it twice (its text would)."""
    total, stack = 0, [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item) + 2
        elif isinstance(item, Mapping):
            total += 2
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            total += 2 + len(item)
            stack.extend(item)
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 2
        else:
            total += 24
        if total > limit:
            raise LimitExceeded(f"gives more than {limit} characters")
    return total


def check_nodes(value: Any) -> None:
    """What one expression gives holds at most MAX_NODES values, counted as its JSON would
    count them; only values an expression made are counted (a row as it came is not)."""
    count, stack = 0, [value]
    while stack:
        item = stack.pop()
        count += 1
        if isinstance(item, Mapping):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, str):
            count += len(item) >> 7
        if count > MAX_NODES:
            raise LimitExceeded(f"gives more than {MAX_NODES} values")
        if not count & 0xFFFF:
            tick()


def _length(value: Any) -> int | None:
    return len(value) if isinstance(value, str | list | tuple) else None


def _check_length(length: int) -> None:
    if length > MAX_LENGTH:
        raise LimitExceeded(f"gives more than {MAX_LENGTH} characters or items")


def _check_bits(bits: int) -> None:
    if bits > MAX_INT_BITS:
        raise LimitExceeded(f"gives a number of more than {MAX_INT_BITS} bits")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuses, before it is computed, a result beyond the limits."""
    if operator == "*":
        for seq, times in ((left, right), (right, left)):
            if _length(seq) is not None and _is_int(times):
                _check_length(len(seq) * max(times, 0))
        if _is_int(left) and _is_int(right):
            _check_bits(left.bit_length() + right.bit_length())
    elif operator == "**":
        if _is_int(left) and _is_int(right) and right > 0 and abs(left) > 1:
            _check_bits(left.bit_length() * right)
    elif operator == "+":
        if _length(left) is not None and _length(right) is not None:
            _check_length(len(left) + len(right))
    elif operator == "%" and isinstance(left, str):
        raise LimitExceeded("formats text with %: use ~ to join text")


def _round(number: Any, ndigits: int = 0) -> Any:
    if abs(ndigits) > 20:  # round(10**9, -10**9) computes 10 to the 10**9th power
        raise LimitExceeded("rounds to more than 20 digits")
    return round(number, ndigits)


def _str(value: Any = "") -> str:
    text_size(value)
    return str(value)


GLOBALS: dict[str, Any] = {"len": len, "int": int, "str": _str, "round": _round,
                           "min": min, "max": max}

# Methods an expression may call on the values it is given: none makes its result much
# larger than the value (replace is checked before it runs).
_METHODS: dict[type, frozenset[str]] = {
    str: frozenset({"lower", "upper", "strip", "lstrip", "rstrip", "startswith", "endswith",
                    "split", "rsplit", "splitlines", "isdigit", "isnumeric", "isdecimal",
                    "isalpha", "isalnum", "isspace", "find", "rfind", "count", "title",
                    "capitalize", "casefold", "removeprefix", "removesuffix", "partition",
                    "rpartition", "replace"}),
    dict: frozenset({"get", "keys", "values", "items"}),
    list: frozenset({"index", "count"}),
    tuple: frozenset({"index", "count"}),
}


def _check_replace(text: Any, old: Any, new: Any, count: Any = -1) -> None:
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        times = text.count(old) if old else len(text) + 1
        if _is_int(count) and count >= 0:
            times = min(times, count)
        _check_length(len(text) + times * max(len(new) - len(old), 0))


def _check_join(values: Any, separator: Any = "", attribute: Any = None) -> None:
    if isinstance(values, list | tuple) and isinstance(separator, str):
        _check_length(sum(text_size(v) for v in values) + len(separator) * len(values))


def _check_sum(values: Any, attribute: Any = None, start: Any = 0) -> None:
    if isinstance(values, list | tuple):
        _check_length(sum(_length(v) or 0 for v in values) + (_length(start) or 0))


def _check_text(value: Any, *args: Any, **kwargs: Any) -> None:
    text_size(value)


def _check_round(value: Any, precision: Any = 0, method: Any = "common") -> None:
    if _is_int(precision) and abs(precision) > 20:
        raise LimitExceeded("rounds to more than 20 digits")


# The filters a scenario may use, each with the check run before it (None: its result is no
# larger than its input). center, indent, wordwrap, format, batch, slice and the like, which
# take a width or a fill, are not among them.
_FILTER_CHECKS: dict[str, Callable[..., None] | None] = {
    "abs": None, "attr": None, "capitalize": None, "count": None, "d": None, "default": None,
    "dictsort": None, "first": None, "float": None, "groupby": None, "int": None,
    "items": None, "last": None, "length": None, "list": None, "lower": None, "map": None,
    "max": None, "min": None, "reject": None, "rejectattr": None, "reverse": None,
    "select": None, "selectattr": None, "sort": None, "title": None, "trim": None,
    "truncate": None, "unique": None, "upper": None,
    "join": _check_join, "replace": _check_replace, "round": _check_round, "sum": _check_sum,
    "string": _check_text, "tojson": _check_text,
}


def _bounded_filter(name: str, check: Callable[..., None] | None) -> Callable[..., Any]:
    function = FILTERS[name]
    passes = getattr(function, "jinja_pass_arg", None)

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        tick()
        if check is not None:
            check(*(args[1:] if passes is not None else args), **kwargs)
        result = function(*args, **kwargs)
        length = _length(result)
        if length is not None:
            _check_length(length)
        return result

    return bounded


class _Generator(CodeGenerator):
    """``a ~ b`` goes through the environment, which counts before it joins."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.concat_bounded((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class BoundedEnvironment(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "+", "%"})
    code_generator_class = _Generator

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals.clear()
        self.globals.update(GLOBALS)
        self.filters.clear()
        self.filters.update({name: _bounded_filter(name, check)
                             for name, check in _FILTER_CHECKS.items()})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        tick()
        check_binop(operator, left, right)
        return self.binop_table[operator](left, right)

    def concat_bounded(self, parts: Iterable[Any]) -> str:
        tick()
        parts = tuple(parts)
        _check_length(sum(text_size(p) for p in parts))
        return "".join(map(str, parts))

    def getattr(self, obj: Any, attribute: str) -> Any:
        tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        tick()
        return super().getitem(obj, argument)

    def call(__self, __context: Context, __obj: Any, *args: Any,
             **kwargs: Any) -> Any:
        """Only the globals and the methods above; their results are measured too."""
        tick()
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if any(__obj is g for g in GLOBALS.values()):
            pass
        elif type(owner) in _METHODS and name in _METHODS[type(owner)]:
            if name == "replace":
                _check_replace(owner, *args, **kwargs)
        else:
            raise SecurityError(f"{name or type(__obj).__name__} may not be called here")
        result = __context.call(__obj, *args, **kwargs)
        length = _length(result)
        if length is not None:
            _check_length(length)
        if _is_int(result):
            _check_bits(result.bit_length())
        return result


def is_plain_reference(node: nodes.Node) -> bool:
    """``inputs.rows``, ``row["name"]``: a value the scope holds, not one made here."""
    while isinstance(node, nodes.Getattr | nodes.Getitem):
        if isinstance(node, nodes.Getitem) and not isinstance(node.arg, nodes.Const):
            return False
        node = node.node
    return isinstance(node, nodes.Name)

