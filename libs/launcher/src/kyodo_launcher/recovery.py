"""Nothing lost when the embedded broker loses its log (it keeps it in memory).

While the platform runs, each service's republish point (kyodo_common.events.recovery) is
taken every few seconds and kept in var/recovery.json. When the broker died and the supervisor
restarted it, and when `kyodo up` starts the platform again, every service's events since its
point are queued again; its relay publishes them and the consumers' inboxes drop those they
had already applied. What was done is in the state file: `kyodo status` shows it.

The same bounds the broker's memory (Tansu 0.6's memory engine keeps every record: it has no
retention and no DeleteRecords). When the broker holds more than its bound, a round of points
has just been taken and every point is recent (no consumer group lags by more than
KYODO_BROKER_ROTATE_LAG), the launcher rotates it: stops it and starts an empty one, into which
every service republishes its events since its point. What the new broker no longer holds is
only what every consumer group had committed; a lagging group's unread events are
republished, or, while it lags by more than that, the broker is left as it is.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kyodo_common.events.recovery import MARGIN, queue_again, republish_points

log = logging.getLogger(__name__)

CHECKPOINT_INTERVAL = 5.0
HARD_BOUND_OVER = 0.05  # the share over its memory bound at which rotate_after gives way
MIN_RUNNING = 30.0  # seconds: not twice in a row while a republication is still arriving


def produced() -> dict[str, list[str]]:
    """Each service's topics and their dead-letter topics: a dead letter not re-driven yet
    is lost with the broker too, so its event counts as unread (it carries the event's id)."""
    from kyodo_common.events.inbox import DEAD_LETTER_SUFFIX
    from kyodo_launcher.catalogue import SERVICES

    return {spec.name: [name for topic in spec.topics()
                        for name in (topic, topic + DEAD_LETTER_SUFFIX)] for spec in SERVICES}


def readers() -> dict[str, list[str]]:
    """Every consumer group and the topics it reads: the workers' (imports them: seconds),
    and the re-drive's, which reads the dead-letter topics."""
    from kyodo_common.events.inbox import DEAD_LETTER_SUFFIX
    from kyodo_common.events.redrive import REDRIVE_GROUP
    from kyodo_launcher.catalogue import SERVICES, consumer_groups

    groups = consumer_groups()
    groups[REDRIVE_GROUP] = [topic + DEAD_LETTER_SUFFIX for spec in SERVICES
                             for topic in spec.topics()]
    return groups


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Recovery:
    path: Path  # var/recovery.json: survives restarts of the platform
    points: dict[str, str] = field(default_factory=dict)  # service -> ISO time
    taken_at: str | None = None
    broker_restarts: int = 0  # found dead
    broker_rotations: int = 0  # rotated for its memory (should_rotate)
    last: dict[str, Any] | None = None  # the last republication: when, why, how many
    generation: int = 0  # bumped when the broker is found dead: older rounds are void
    margin: timedelta = MARGIN  # before the oldest unread event (KYODO_REPUBLISH_MARGIN)
    # Why a republication is owed (an empty broker since): until it succeeds the points stay
    # where they were, since a round would read the new broker and skip what the old one lost.
    owed: str | None = None
    _groups: dict[str, list[str]] | None = None

    @classmethod
    def load(cls, path: Path) -> Recovery:
        try:
            stored = json.loads(path.read_text())
        except (OSError, ValueError):
            stored = {}
        return cls(path, points=stored.get("points", {}), taken_at=stored.get("taken_at"))

    def summary(self) -> dict[str, Any]:
        """For the state file."""
        return {"points_taken_at": self.taken_at, "broker_restarts": self.broker_restarts,
                "broker_rotations": self.broker_rotations, "last": self.last,
                "republication_owed": self.owed}

    def _save(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump({"points": self.points, "taken_at": self.taken_at}, f, indent=2)
        tmp.replace(self.path)

    async def groups(self) -> dict[str, list[str]]:
        if self._groups is None:
            self._groups = await asyncio.to_thread(readers)
        return self._groups

    async def take_points(self, relays: Mapping[str, str], bootstrap: str) -> bool:
        """One round for every service; kept only if the broker was not lost meanwhile (a
        round that read the new, empty broker would skip what the old one lost)."""
        if self.owed is not None:
            return False
        generation = self.generation
        groups = await self.groups()
        taken = await republish_points(relays, bootstrap, produced(), groups, self.margin)
        points = {service: point.isoformat() for service, point in taken.items()}
        if generation != self.generation or self.owed is not None:
            return False
        self.points = points
        self.taken_at = _now()
        self._save()
        return True

    async def republish(self, relays: Mapping[str, str], reason: str) -> dict[str, int]:
        """Queue every service's events since its point (all of a service without one)."""
        counts = {}
        for service, url in relays.items():
            point = self.points.get(service)
            counts[service] = await queue_again(
                url, datetime.fromisoformat(point) if point else None)
        self.last = {"at": _now(), "reason": reason, "republished": counts,
                     "since": dict(self.points)}
        self.owed = None
        log.info("republished after %s: %s", reason, counts)
        return counts


def should_rotate(memory: int, limit: int, running_for: float, points: Mapping[str, str],
                  now: datetime, rotate_after: float, max_lag: float,
                  margin: timedelta = MARGIN) -> bool:
    """Whether to rotate the broker: above its memory ``limit`` (bytes; 0: never), running
    for ``rotate_after`` seconds at least, and every service's point (just taken) within
    ``max_lag`` seconds of ``now`` (beyond the points' own margin): what a rotation
    republishes is then a few minutes of events, and all the older ones it drops every group
    had read. ``rotate_after`` gives way to the bound itself: past it by
    ``HARD_BOUND_OVER`` a broker that ran ``MIN_RUNNING`` seconds is rotated (at 47
    requests/s the soak's broker passed 64 MB in under 300 s and reached 76 MB).

    That early rotation must free at least half of what the broker holds: what it
    republishes (the events since the oldest point) spans at most half the time the broker
    ran. Without this, a surge whose consumers lag a minute filled each new broker with its
    republication and rotated it again 40 s later (2026-12-08: 9 rotations in 6 minutes of
    罹災証明書, each queueing 28,000-41,000 events again)."""
    if not limit or memory <= limit or not points:
        return False
    oldest = min(datetime.fromisoformat(point) for point in points.values())
    republished = (now - oldest).total_seconds()
    if running_for < rotate_after and not (memory > limit * (1 + HARD_BOUND_OVER)
                                           and running_for >= MIN_RUNNING
                                           and republished <= running_for / 2):
        return False
    return republished - margin.total_seconds() <= max_lag
