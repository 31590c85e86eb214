"""Contracts, not code, between services: a service depends on another's published events
(the producer's own small package, `kyodo_<producer>_events`) and nothing else of it — not
its domain, its demo data or its tables."""

from __future__ import annotations

import ast
from pathlib import Path

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
