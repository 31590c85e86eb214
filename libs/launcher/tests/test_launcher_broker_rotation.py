"""When the launcher rotates the embedded broker for its memory (kyodo_launcher.recovery)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rich.console import Console

from kyodo_common.events.recovery import MARGIN
from kyodo_launcher.broker import quiesce, release, start_empty
from kyodo_launcher.config import LauncherSettings
from kyodo_launcher.platform import Platform
from kyodo_launcher.processes import Child
from kyodo_launcher.recovery import Recovery, should_rotate

MB = 2**20
NOW = datetime(2026, 12, 7, 18, 0, tzinfo=UTC)
AFTER = 300.0
LAG = 120.0


def _points(*lags: float) -> dict[str, str]:
    """Points as take_points leaves them: each service's oldest unread event minus MARGIN."""
    return {f"service{n}": (NOW - timedelta(seconds=lag) - MARGIN).isoformat()
            for n, lag in enumerate(lags)}


def test_a_full_broker_whose_readers_keep_up_is_rotated() -> None:
    assert should_rotate(65 * MB, 64 * MB, 600, _points(0, 2, 119), NOW, AFTER, LAG)


def test_not_below_its_bound_nor_when_the_bound_is_off() -> None:
    assert not should_rotate(63 * MB, 64 * MB, 600, _points(0), NOW, AFTER, LAG)
    assert not should_rotate(500 * MB, 0, 600, _points(0), NOW, AFTER, LAG)


def test_not_soon_after_its_start() -> None:
    assert not should_rotate(65 * MB, 64 * MB, 299, _points(0), NOW, AFTER, LAG)


def test_the_bound_itself_wins_over_the_wait_after_the_start() -> None:
    """At a high rate the broker can pass its bound well before rotate_after: past it by
    5 % it is rotated once it ran MIN_RUNNING seconds (the soak's broker reached 76 MB of 64)."""
    assert should_rotate(68 * MB, 64 * MB, 120, _points(0), NOW, AFTER, LAG)
    assert not should_rotate(66 * MB, 64 * MB, 120, _points(0), NOW, AFTER, LAG)  # within 5 %
    assert not should_rotate(68 * MB, 64 * MB, 20, _points(0), NOW, AFTER, LAG)  # just started
    assert not should_rotate(68 * MB, 64 * MB, 120, _points(0, 121), NOW, AFTER, LAG)  # lags


def test_not_when_its_republication_would_fill_the_new_broker_again() -> None:
    """A surge's consumers a minute behind: a broker 40 s old holds mostly what the last
    rotation republished into it, and rotating it would republish the same again (9
    rotations in 6 minutes). Once it ran twice as long as what it would republish, it is."""
    assert not should_rotate(80 * MB, 64 * MB, 40, _points(0, 30), NOW, AFTER, LAG)
    assert not should_rotate(80 * MB, 64 * MB, 179, _points(0, 30), NOW, AFTER, LAG)
    assert should_rotate(80 * MB, 64 * MB, 180, _points(0, 30), NOW, AFTER, LAG)
    # After rotate_after the lag bound alone decides: a lagging group still lets it rotate.
    assert should_rotate(65 * MB, 64 * MB, AFTER, _points(0, 119), NOW, AFTER, LAG)


def test_not_while_a_group_lags_nor_without_points() -> None:
    """A lagging group's unread events would be republished at every rotation: the broker
    keeps them (it must anyway) until the group caught up."""
    assert not should_rotate(65 * MB, 64 * MB, 600, _points(0, 121), NOW, AFTER, LAG)
    assert not should_rotate(65 * MB, 64 * MB, 600, {}, NOW, AFTER, LAG)


def test_the_lag_is_counted_beyond_the_margin_the_points_were_taken_with() -> None:
    """A point 140 s old taken with a 10 s margin is a group 130 s behind (past a 120 s
    bound); counted with the default 60 s it would look 80 s behind: the same margin both
    ways."""
    ten = timedelta(seconds=10)
    point = {"residents": (NOW - timedelta(seconds=130) - ten).isoformat()}
    assert not should_rotate(65 * MB, 64 * MB, 600, point, NOW, AFTER, LAG, ten)
    assert should_rotate(65 * MB, 64 * MB, 600, point, NOW, AFTER, LAG)


async def test_no_points_are_taken_while_a_republication_is_owed(tmp_path: Path) -> None:
    """After the broker came back empty, a round of points would read the new broker (no
    commits, new events only) and move the points past what the old one lost: until the
    republication succeeds the points stay (the review of 2026-12-07)."""
    before = {"residents": "2026-12-07T10:00:00+00:00"}
    recovery = Recovery(tmp_path / "recovery.json", points=dict(before))
    recovery.owed = "broker rotated"
    assert await recovery.take_points({"residents": "postgresql://127.0.0.1:1/none"},
                                      "127.0.0.1:1") is False
    assert recovery.points == before
    assert recovery.summary()["republication_owed"] == "broker rotated"


class _Recorded(Child):
    """A child that only records what was done to it, in one list with the others."""

    def __init__(self, name: str, done: list[str], tmp_path: Path) -> None:
        super().__init__(name, [], tmp_path / f"{name}.log")
        self.done = done

        self.running = True

    def start(self) -> None:
        self.done.append(f"start {self.name}")
        self.running = True

    def kill(self) -> None:
        if self.running:  # as Child.kill: nothing to do for a dead one
            self.done.append(f"kill {self.name}")
        self.running = False

    def stop(self, timeout: float = 10.0) -> None:
        self.done.append(f"stop {self.name}")
        self.running = False

    def alive(self) -> bool:
        return self.running


class _Pausable(_Recorded):
    """A worker that pauses when asked (and acknowledges at once, or never)."""

    def __init__(self, name: str, done: list[str], tmp_path: Path,
                 acknowledges: bool = True) -> None:
        super().__init__(name, done, tmp_path)
        self.acknowledges, self.is_paused = acknowledges, False

    def pause(self) -> bool:
        self.done.append(f"pause {self.name}")
        self.is_paused = self.acknowledges
        return True

    def paused(self) -> bool:
        return self.running and self.is_paused

    def resume(self) -> None:
        self.done.append(f"resume {self.name}")
        self.is_paused = False

    def kill(self) -> None:
        super().kill()
        self.is_paused = False


def test_an_empty_broker_starts_with_no_reader_of_the_old_one_alive(tmp_path: Path) -> None:
    """Killed before the new broker starts and started after: no reader carries a position
    of the old broker into the new one (tests/integration/test_broker_came_back_empty.py)."""
    done: list[str] = []
    readers = [_Recorded(name, done, tmp_path) for name in ("tax-worker", "residents-worker")]
    start_empty(_Recorded("broker", done, tmp_path), readers)
    assert done == ["kill tax-worker", "kill residents-worker", "start broker"]
    assert all(r.held for r in readers)  # the supervisor leaves them until release
    release(readers)
    assert done[3:] == ["start tax-worker", "start residents-worker"]
    assert not any(r.held for r in readers)
    release(readers)  # a second restart's release, after another's: nobody started twice
    assert done[5:] == []


def test_a_paused_reader_lives_through_and_is_resumed(tmp_path: Path) -> None:
    """Paused (its broker clients stopped, kyodo_common.worker_pause), a reader needs no kill
    and no new process: release resumes it, and starts the one that was killed."""
    done: list[str] = []
    paused = _Pausable("tax-worker", done, tmp_path)
    paused.pause()
    unpaused = _Pausable("residents-worker", done, tmp_path, acknowledges=False)
    done.clear()
    start_empty(_Recorded("broker", done, tmp_path), [paused, unpaused])
    assert done == ["kill residents-worker", "start broker"]
    release([paused, unpaused])
    assert done[2:] == ["resume tax-worker", "start residents-worker"]


async def test_quiesce_pauses_the_readers_and_kills_those_that_do_not_pause(
        tmp_path: Path) -> None:
    done: list[str] = []
    pauses = _Pausable("tax-worker", done, tmp_path)
    silent = _Pausable("residents-worker", done, tmp_path, acknowledges=False)
    cannot = _Recorded("identity-worker", done, tmp_path)  # no paused file: Child.pause False
    await quiesce([pauses, silent, cannot], timeout=0.3)
    assert done == ["pause tax-worker", "pause residents-worker", "kill identity-worker",
                    "kill residents-worker"]
    assert pauses.paused() and all(r.held for r in (pauses, silent, cannot))


@pytest.mark.parametrize("rotated", [False, True])
async def test_the_supervisor_restarts_every_worker_with_the_broker(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rotated: bool) -> None:
    """A crash kills the workers; a rotation pauses them while the broker still runs (a
    worker started again costs seconds of CPU, and the counters wait meanwhile). The APIs,
    the gateway and the apps do not read."""
    done: list[str] = []
    platform = Platform(LauncherSettings(var_dir=tmp_path), Console(quiet=True))
    platform.recovery = Recovery(tmp_path / "recovery.json")
    broker = _Recorded("broker", done, tmp_path)
    broker.running = rotated  # a crash: the supervisor found it dead
    platform.children = [broker, *(
        (_Pausable if name.endswith("-worker") else _Recorded)(name, done, tmp_path)
        for name in ("identity", "identity-worker", "residents", "residents-worker",
                     "gateway", "counter"))]

    async def ready(*_: object) -> None:
        done.append("broker ready")

    async def republished() -> bool:
        done.append("republished")
        return True

    async def topics() -> None:
        done.append("topics")

    monkeypatch.setattr(platform, "_until_ready", ready)
    monkeypatch.setattr(platform, "_create_topics", topics)
    monkeypatch.setattr(platform, "_republish_owed", republished)
    await platform._restart_broker(broker, rotated=rotated)
    # The workers only once the topics exist: a consumer that joined before would see them
    # at its next metadata refresh (aiokafka: 5 minutes).
    if rotated:
        assert done == ["pause identity-worker", "pause residents-worker", "stop broker",
                        "start broker", "broker ready", "topics", "resume identity-worker",
                        "resume residents-worker", "republished"]
    else:
        assert done == ["kill identity-worker", "kill residents-worker", "start broker",
                        "broker ready", "topics", "start identity-worker",
                        "start residents-worker", "republished"]


async def test_the_supervisor_leaves_a_held_worker_alone(tmp_path: Path) -> None:
    """Between the kill and the release the supervisor must not start a worker itself (it
    would join the new broker before its topics exist)."""
    import asyncio

    done: list[str] = []
    platform = Platform(LauncherSettings(var_dir=tmp_path), Console(quiet=True))
    held = _Dead("tax-worker", done, tmp_path)
    held.held, held.restart = True, True
    platform.children = [held]
    stop = asyncio.Event()
    asyncio.get_running_loop().call_later(0.7, stop.set)
    await platform._supervise(stop)
    assert done == []
    held.held = False
    stop.clear()
    asyncio.get_running_loop().call_later(0.7, stop.set)
    await platform._supervise(stop)
    assert done[:1] == ["start tax-worker"]


class _Dead(_Recorded):
    def alive(self) -> bool:
        return False


async def test_a_broker_restart_waits_for_the_one_under_way(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The supervisor's restart (the new broker died) while a rotation waits for its broker:
    one after the other, so the first's release cannot start the workers before the second
    broker has its topics."""
    import asyncio

    done: list[str] = []
    platform = Platform(LauncherSettings(var_dir=tmp_path), Console(quiet=True))
    platform.recovery = Recovery(tmp_path / "recovery.json")
    broker = _Recorded("broker", done, tmp_path)
    platform.children = [broker, _Recorded("tax-worker", done, tmp_path)]
    readies = 0

    async def ready(*_: object) -> None:
        nonlocal readies
        done.append("broker ready")
        await asyncio.sleep(0.05)
        readies += 1
        broker.running = readies > 1  # the rotation's new broker dies at once

    async def nothing() -> None:
        done.append("topics")

    async def republished() -> bool:
        return True

    monkeypatch.setattr(platform, "_until_ready", ready)
    monkeypatch.setattr(platform, "_create_topics", nothing)
    monkeypatch.setattr(platform, "_republish_owed", republished)
    await asyncio.gather(platform._restart_broker(broker, rotated=True),
                         platform._restart_broker(broker))
    once = ["kill tax-worker", "start broker", "broker ready", "topics", "start tax-worker"]
    assert done == ["kill tax-worker", "stop broker", *once[1:], *once]
    # A restart that finds the broker alive when its turn comes does nothing: the one it
    # waited for started it.
    await platform._restart_broker(broker)
    assert done == ["kill tax-worker", "stop broker", *once[1:], *once]


def test_a_resumed_worker_no_longer_reads_as_paused(tmp_path: Path) -> None:
    """Until the worker handles SIGUSR2 its file would say paused: a restart right after
    would keep it alive (and it would join the new broker before its topics). The resume
    removes the file first (the review of 2026-12-08)."""
    import sys
    import time

    ready = tmp_path / "ready"
    slow = ("import pathlib, signal, sys, time; signal.signal(signal.SIGUSR2, signal.SIG_IGN);"
            " pathlib.Path(sys.argv[1]).touch(); time.sleep(30)")  # never handles the resume
    worker = Child("tax-worker", [sys.executable, "-c", slow, str(ready)], tmp_path / "w.log",
                   paused_file=tmp_path / "run" / "tax-worker.paused")
    worker.start()
    try:
        deadline = time.monotonic() + 20
        while not ready.exists():
            assert time.monotonic() < deadline, "the stand-in did not start"
            time.sleep(0.05)
        assert worker.paused_file is not None
        worker.paused_file.write_text(str(worker.pid))  # as the worker acknowledges
        assert worker.paused()
        worker.resume()
        assert worker.alive() and not worker.paused()
    finally:
        worker.kill()
