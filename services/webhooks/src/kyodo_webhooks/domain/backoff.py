"""When to try again: exponential backoff with full jitter, for a message and for a failing
receiver (whose probe interval stays short so that its backlog flows soon after it is back)."""

from __future__ import annotations

import random


def delay(attempts: int, *, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Seconds before the next try after ``attempts`` failed ones: uniform in
    [ceiling/2, ceiling], ceiling = min(cap, base·2^(attempts−1)). Half the ceiling is kept so a
    failing receiver is not hammered by draws near zero."""
    ceiling = min(cap, base * 2.0 ** max(0, min(attempts - 1, 40)))
    return (rng or random).uniform(ceiling / 2, ceiling)
