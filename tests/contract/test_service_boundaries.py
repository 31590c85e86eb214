"""Contracts, not code, between services: a service depends on another's published events
(the producer's own small package, `kyodo_<producer>_events`) and nothing else of it — not
its domain, its demo data or its tables."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("identity", "residents", "certificates", "tax", "disaster", "automation",
            "gateway")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
    return found


def test_no_service_imports_another_services_code_but_its_events() -> None:
    crossing = []
    for service in SERVICES:
        for path in sorted((ROOT / "services" / service / "src").rglob("*.py")):
            for module in _imports(path):
                parts = module.split(".")
                other = parts[0].removeprefix("kyodo_")
                if parts[0].startswith("kyodo_") and other in SERVICES and other != service:
                    crossing.append(f"{path.relative_to(ROOT)}: {module}")
    assert not crossing, "\n".join(crossing)


def test_consumers_depend_on_the_producers_events_not_the_producers() -> None:
    import tomllib

    for service in SERVICES:
        manifest = tomllib.loads(
            (ROOT / "services" / service / "pyproject.toml").read_text(encoding="utf-8"))
        needed = {d.split(">")[0].split("=")[0].strip() for d in
                  manifest["project"]["dependencies"]}
        assert not needed & {f"kyodo-{other}" for other in SERVICES}, service


def test_no_shipped_package_imports_the_test_fixtures_or_pytest() -> None:
    """The fixtures live in a development-only package (libs/testing, the root's dev group):
    a service, an events package or the launcher that imported them, or pytest, would need
    them in its image."""
    shipped = [p for p in sorted(ROOT.glob("*/*/src/*/**/*.py"))
               if "libs/testing/" not in p.relative_to(ROOT).as_posix()
               and p.relative_to(ROOT).parts[0] in ("libs", "services")]
    assert len(shipped) > 300
    found = [f"{p.relative_to(ROOT)}: {m}" for p in shipped for m in _imports(p)
             if m.split(".")[0] in ("kyodo_testing", "pytest", "_pytest")]
    assert not found, "\n".join(found)
    launcher = tomllib_load(ROOT / "libs" / "launcher" / "pyproject.toml")
    assert not any(d.startswith(("kyodo-testing", "pytest"))
                   for d in launcher["project"]["dependencies"])
    assert not (ROOT / "libs" / "launcher" / "src" / "kyodo_launcher" / "testing.py").exists()


def tomllib_load(path: Path) -> dict[str, Any]:
    import tomllib

    return tomllib.loads(path.read_text(encoding="utf-8"))
