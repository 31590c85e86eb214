"""Stores and views: every SQL statement of a service lives in its `adapters/` (a store for
writes, views for reads). Its `api/` and `service_layer/` import neither SQLAlchemy nor asyncpg
and hold no SQL text, so a use case can run against a fake store without PostgreSQL.

The modules still to be converted are listed by name below. The list only shrinks: a listed
module that no longer needs its entry fails the test until the entry is removed."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("api", "service_layer")
DATABASE_PACKAGES = ("sqlalchemy", "asyncpg")
# A statement, not prose: the SQL keywords are matched in capitals, as the code writes them.
_SQL = re.compile(r"\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+SET\b"
                  r"|\bDELETE\s+FROM\b|\bON\s+CONFLICT\b")

# Every service is converted (ADR 0021): the list is empty and only stays so.
STILL_TO_CONVERT: set[str] = set()


def _modules() -> list[Path]:
    return sorted(path for layer in LAYERS
                  for path in (ROOT / "services").glob(f"*/src/*/{layer}/**/*.py"))


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the module's, classes' and functions' docstring nodes (prose may say SELECT)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def database_code(source: str) -> list[str]:
    """What makes a module database code: its imports of a driver or SQLAlchemy (wherever they
    stand, TYPE_CHECKING blocks included) and the SQL text it holds."""
    tree = ast.parse(source)
    prose = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
              and id(node) not in prose and _SQL.search(node.value)):
            found.append(f"line {node.lineno}: SQL text {node.value.strip()[:40]!r}")
            continue
        else:
            continue
        found.extend(f"line {node.lineno}: imports {name}" for name in names
                     if name.split(".")[0] in DATABASE_PACKAGES)
    return found


def _offenders() -> dict[str, list[str]]:
    offenders = {}
    for path in _modules():
        found = database_code(path.read_text(encoding="utf-8"))
        if found:
            offenders[path.relative_to(ROOT).as_posix()] = found
    return offenders


def test_api_and_service_layer_hold_no_database_code() -> None:
    new = {module: found for module, found in _offenders().items()
           if module not in STILL_TO_CONVERT}
    assert not new, "SQL belongs in the service's adapters/ (a store or a view):\n" + "\n".join(
        f"{module}: {'; '.join(found)}" for module, found in sorted(new.items()))


def test_the_list_of_modules_still_to_convert_only_shrinks() -> None:
    offenders = _offenders()
    done = sorted(module for module in STILL_TO_CONVERT if module not in offenders)
    assert not done, ("these modules hold no database code any more: remove their entries "
                      "from tests/contract/test_layers.py:\n" + "\n".join(done))


def test_the_check_finds_database_code() -> None:
    assert database_code("import sqlalchemy as sa\n") == ["line 1: imports sqlalchemy"]
    assert database_code("from asyncpg import Connection\n") == ["line 1: imports asyncpg"]
    assert database_code("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                         "    from sqlalchemy.ext.asyncio import AsyncSession\n") == [
        "line 3: imports sqlalchemy.ext.asyncio"]
    assert database_code('Q = "SELECT id FROM t WHERE x = $1"\n') == [
        "line 1: SQL text 'SELECT id FROM t WHERE x = $1'"]
    assert database_code('def f():\n    """Reads with SELECT ... FROM, once."""\n') == []
    assert database_code('message = "select a row from the list"\n') == []
