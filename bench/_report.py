"""What every benchmark reports: percentiles, medians of runs with min–max, the machine, the
package versions, and the JSON file in bench/results/."""

from __future__ import annotations

import importlib.metadata
import json
import math
import os
import platform
import statistics
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).parent / "results"
PACKAGES = ("aiokafka", "asyncpg", "fastapi", "sqlalchemy", "uvicorn", "aiohttp", "httpx",
            "uvloop")


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of unsorted values; NaN when there are none."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def distribution(values: Sequence[float]) -> dict[str, float]:
    return {"n": len(values), "p50": percentile(values, 50), "p95": percentile(values, 95),
            "p99": percentile(values, 99), "max": max(values) if values else math.nan,
            "mean": statistics.fmean(values) if values else math.nan}


def across_runs(values: Iterable[float]) -> dict[str, float]:
    """Median of the runs' figures, with min and max."""
    finite = [v for v in values if not math.isnan(v)]
    if not finite:
        return {"median": math.nan, "min": math.nan, "max": math.nan}
    return {"median": statistics.median(finite), "min": min(finite), "max": max(finite)}


def summarise(runs: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Same shape as one run, each number replaced by {median, min, max} over the runs."""
    first = runs[0]
    out: dict[str, Any] = {}
    for key, value in first.items():
        if isinstance(value, Mapping):
            out[key] = summarise([r[key] for r in runs])
        elif isinstance(value, int | float) and not isinstance(value, bool):
            out[key] = across_runs(float(r[key]) for r in runs)
    return out


def fmt(summary: Mapping[str, float], digits: int = 1, unit: str = "") -> str:
    median, low, high = summary["median"], summary["min"], summary["max"]
    if math.isnan(median):
        return "–"
    return f"{median:,.{digits}f}{unit} [dim]({low:,.{digits}f}–{high:,.{digits}f})[/]"


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "platform": platform.platform(),
            "python": sys.version.split()[0], "implementation": platform.python_implementation(),
            "load_average": list(os.getloadavg())}


def versions(packages: Iterable[str] = PACKAGES) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for name in packages:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = None
    return found


def _clean(value: Any) -> Any:
    """JSON has no NaN: write null instead."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def write_results(name: str, figures: Mapping[str, Any]) -> Path:
    now = datetime.now(UTC)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}-{now.strftime('%Y%m%dT%H%M%SZ')}.json"
    document = {"benchmark": name, "finished_at": now.isoformat(), "machine": machine(),
                "versions": versions(), **figures}
    path.write_text(json.dumps(_clean(document), indent=2, ensure_ascii=False) + "\n")
    return path
