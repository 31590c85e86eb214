"""What every long-running process shares: its collector settings, and waiting on its stop."""

from __future__ import annotations

import asyncio
import gc

# Young-generation collections every 700 allocations (CPython's default) run hundreds of times
# a second under load; each full collection walks every object the process holds (the web
# framework, SQLAlchemy's metadata, pydantic's schemas: hundreds of thousands), a pause that
# lands on whichever request is running. Started processes keep what they loaded for their
# whole life, so it is moved out of the collector's sight once, and collections run less often.
GC_THRESHOLDS = (20_000, 20, 50)


def settle_garbage_collector() -> None:
    """Call once the process has loaded what it keeps (before serving)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


async def sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    """Wait ``seconds``, or less if ``stop`` is set meanwhile (a loop's pause between rounds)."""
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        pass
