"""Contracts, not code, between services: a service reads another's published events (its
`events` module) and nothing else of it — not its domain, its demo data or its tables."""

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
                if parts[0].startswith("kyodo_") and other in SERVICES and other != service \
                        and parts[1:2] != ["events"]:
                    crossing.append(f"{path.relative_to(ROOT)}: {module}")
    assert not crossing, "\n".join(crossing)
