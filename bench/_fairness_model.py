"""bench/fairness.py's arithmetic, apart from the platform: the order of the phases and what
one town's bulk work costs the other towns' counters (p99 during / p99 alone)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from bench._report import percentile

ALONE = "alone"
TARGET_RATIO = 1.20  # issue #22: another town's counter p99 rises by at most 20 %
# Below this many samples a window's p99 is its largest one or two: said in the verdict.
ENOUGH_SAMPLES = 200


def plan(bulk: Sequence[str], rounds: int = 1) -> list[str]:
    """Alone, then each bulk phase followed by an alone one: every bulk phase stands between
    two alone phases, so a swing of the shared machine falls on both sides alike."""
    if not bulk or rounds < 1:
        raise ValueError("a plan needs at least one bulk phase and one round")
    if ALONE in bulk:
        raise ValueError(f"{ALONE!r} is not a bulk phase")
    phases = [ALONE]
    for _ in range(rounds):
        for name in bulk:
            phases += [name, ALONE]
    return phases


def neighbours(phases: Sequence[str], index: int) -> tuple[int, int]:
    """The alone phases just before and just after the bulk phase at ``index``."""
    if phases[index] == ALONE:
        raise ValueError(f"phase {index} is an alone phase")
    if not (0 < index < len(phases) - 1 and phases[index - 1] == ALONE == phases[index + 1]):
        raise ValueError(f"phase {index} does not stand between two alone phases")
    return index - 1, index + 1


def ratio(during: Sequence[float], alone: Sequence[float]) -> float:
    """p99 during over p99 alone (NaN when either has no samples)."""
    above, below = percentile(during, 99), percentile(alone, 99)
    if math.isnan(above) or math.isnan(below) or below <= 0:
        return math.nan
    return above / below


def compare(phases: Sequence[str], samples: Sequence[Sequence[float]]) -> dict[str, Any]:
    """Each bulk phase against the two alone phases around it (their samples together), and
    each kind of bulk work over all its phases against every alone phase."""
    if len(phases) != len(samples):
        raise ValueError("one list of samples per phase")
    each: list[dict[str, Any]] = []
    for index, name in enumerate(phases):
        if name == ALONE:
            continue
        before, after = neighbours(phases, index)
        alone = [*samples[before], *samples[after]]
        each.append({"index": index, "phase": name, "n": len(samples[index]),
                     "alone_n": len(alone), "p99_ms": percentile(samples[index], 99),
                     "alone_p99_ms": percentile(alone, 99),
                     "ratio": ratio(samples[index], alone)})
    all_alone = [ms for name, values in zip(phases, samples, strict=True) if name == ALONE
                 for ms in values]
    kinds: dict[str, dict[str, float]] = {}
    for kind in dict.fromkeys(name for name in phases if name != ALONE):
        during = [ms for name, values in zip(phases, samples, strict=True) if name == kind
                  for ms in values]
        kinds[kind] = {"n": len(during), "p99_ms": percentile(during, 99),
                       "ratio": ratio(during, all_alone)}
    return {"phases": each, "kinds": kinds, "alone_p99_ms": percentile(all_alone, 99),
            "alone_n": len(all_alone), **verdict(each)}


def verdict(compared: Sequence[Mapping[str, Any]],
            target: float = TARGET_RATIO) -> dict[str, Any]:
    """Meets when every bulk phase's ratio is known and at most the target; the worst one
    decides. Enough samples when every window has ENOUGH_SAMPLES (else p99 is near the max)."""
    ratios = [float(c["ratio"]) for c in compared]
    worst = max(ratios, default=math.nan) if not any(math.isnan(r) for r in ratios) \
        else math.nan
    return {"worst_ratio": worst, "target_ratio": target,
            "meets": bool(ratios) and not math.isnan(worst) and worst <= target,
            "enough_samples": bool(compared) and all(
                c["n"] >= ENOUGH_SAMPLES and c["alone_n"] >= ENOUGH_SAMPLES for c in compared)}


def machine_share(busy: float, total: float, platform: float, bench: float
                  ) -> dict[str, float]:
    """Percentages of the whole machine (all cores) in a window: busy, the platform's
    processes, this load generator, and everything else (other people's work)."""
    if total <= 0:
        return {k: math.nan for k in ("busy_pct", "platform_pct", "bench_pct", "others_pct")}
    return {"busy_pct": busy / total * 100, "platform_pct": platform / total * 100,
            "bench_pct": bench / total * 100,
            "others_pct": max(0.0, busy - platform - bench) / total * 100}
