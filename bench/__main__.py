"""`python -m bench [--quick] [NAME ...]`: run every benchmark module in bench/ (or those named)."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time
import traceback
from pathlib import Path

from rich.console import Console

console = Console()


# Run only when named: minutes (`make chaos`, which kills processes; `make soak`, 30 minutes;
# `make fairness`, 280,000 assessments and 100,000 houses imported beside the counters).
NOT_BY_DEFAULT = frozenset({"chaos", "fairness", "soak"})


def available() -> list[str]:
    here = str(Path(__file__).parent)
    return sorted(m.name for m in pkgutil.iter_modules([here])
                  if not m.name.startswith("_") and not m.ispkg)


def main(argv: list[str] | None = None) -> int:
    names = available()
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer and shorter runs")
    parser.add_argument("--minutes", type=float,
                        help="how long a timed benchmark runs (soak: 30 by default)")
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help="benchmarks to run (default: all of "
                             f"{', '.join(n for n in names if n not in NOT_BY_DEFAULT)})")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in names]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(names)}")
    failed: list[str] = []
    for name in args.names or [n for n in names if n not in NOT_BY_DEFAULT]:
        console.rule(f"[bold]bench.{name}[/]")
        started = time.monotonic()
        try:
            module = importlib.import_module(f"bench.{name}")
            if args.minutes is not None:
                module.main(quick=args.quick, minutes=args.minutes)
            else:
                module.main(quick=args.quick)
        except KeyboardInterrupt:
            console.print("[red]interrupted[/]")
            return 130
        except Exception:
            failed.append(name)
            console.print(f"[red]bench.{name} failed:[/]\n{traceback.format_exc()}")
        console.print(f"[dim]bench.{name}: {time.monotonic() - started:.0f} s[/]")
    if failed:
        console.print(f"[red]failed: {', '.join(failed)}[/]")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
