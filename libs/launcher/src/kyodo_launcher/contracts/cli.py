"""`kyodo contracts export|check`: the committed contracts and the code, side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

contracts_app = typer.Typer(help="The published contracts under contracts/ (OpenAPI, event "
                                 "schemas, AsyncAPI, consumer expectations).")
console = Console()

Root = Annotated[Path, typer.Option("--root", help="The repository (holds contracts/).")]


def _print_breaking(breaking: dict[str, list[object]]) -> None:
    for path, changes in sorted(breaking.items()):
        console.print(f"[red]breaking[/] contracts/{path}")
        for change in changes:
            console.print(f"  {change}", markup=False)


@contracts_app.command("export")
def export_contracts(
    root: Root = Path("."),
    accept_breaking: Annotated[bool, typer.Option(
        "--accept-breaking",
        help="Write even breaking changes (say why in the commit; prefer a new version).",
    )] = False,
) -> None:
    """Rewrite contracts/ from the code; refuses breaking changes unless accepted."""
    from kyodo_launcher.contracts.export import export

    result = export(root, accept_breaking=accept_breaking)
    if result.breaking:
        _print_breaking(result.breaking)  # type: ignore[arg-type]
        if not accept_breaking:
            console.print("[red]nothing written[/]: add a new version (event type …v2, "
                          "API /v2) instead, or pass --accept-breaking.")
            raise typer.Exit(1)
    for path in result.written:
        console.print(f"wrote contracts/{path}")
    for path in result.removed:
        console.print(f"removed contracts/{path}")
    for path in result.drafted:
        console.print(f"[yellow]drafted[/] contracts/{path}: review what it declares")
    for path, why in result.not_drafted.items():
        console.print(f"[red]not drafted[/] contracts/{path}: {why}", markup=False)
    if result.not_drafted:
        raise typer.Exit(1)
    if not (result.written or result.removed or result.drafted):
        console.print("contracts/ is up to date")


@contracts_app.command("check")
def check_contracts(root: Root = Path(".")) -> None:
    """Exit 1 when contracts/ differs from the code (breaking changes listed first)."""
    from kyodo_launcher.contracts.documents import render
    from kyodo_launcher.contracts.export import CONTRACTS, breaking_changes, committed

    before, after = committed(root / CONTRACTS), render()
    _print_breaking(breaking_changes(before, after))  # type: ignore[arg-type]
    stale = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    for path in stale:
        console.print(f"differs: contracts/{path}")
    if stale:
        console.print("run `make contracts` to rewrite them")
        raise typer.Exit(1)
    console.print("contracts/ matches the code")


@contracts_app.command("client")
def generate_client(root: Root = Path(".")) -> None:
    """Regenerate the Python client (clients/python) from the committed contracts."""
    from kyodo_launcher.contracts.client import CLIENT_DIR, generate, merged_openapi, write_client
    from kyodo_launcher.contracts.export import committed

    document = merged_openapi(committed(root / "contracts"))
    if write_client(root, generate(document)):
        console.print(f"wrote {CLIENT_DIR}")
    else:
        console.print(f"{CLIENT_DIR} is up to date")
