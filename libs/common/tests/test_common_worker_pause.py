"""A worker paused while the launcher replaces the broker (kyodo_common.worker_pause): its
session (relay, consumer: every broker client) ends, it says so in its file, and a resume
starts a new session with new clients; a stop ends it all, paused or not."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from kyodo_common.worker_pause import PAUSE_SIGNAL, RESUME_SIGNAL, PauseRequests, run_sessions


class _Sessions:
    """Records each session's start and end; a session runs until its event is set."""

    def __init__(self) -> None:
        self.started = 0
        self.ended = 0
        self.running = asyncio.Event()

    async def __call__(self, ended: asyncio.Event) -> None:
        self.started += 1
        self.running.set()
        try:
            await ended.wait()
        finally:
            self.running.clear()
            self.ended += 1


async def _until(condition: object, timeout: float = 2.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():  # type: ignore[operator]
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def test_a_pause_ends_the_session_and_a_resume_starts_a_new_one(tmp_path: Path) -> None:
    paused_file = tmp_path / "residents-worker.paused"
    pauses, stop, sessions = PauseRequests(paused_file), asyncio.Event(), _Sessions()
    running = asyncio.ensure_future(run_sessions(sessions, stop, pauses))
    await _until(lambda: sessions.started == 1)
    assert not paused_file.exists()

    pauses.pause()
    await _until(paused_file.exists)
    assert sessions.ended == 1 and not sessions.running.is_set()
    assert paused_file.read_text() == str(os.getpid())  # the launcher checks whose it is

    pauses.resume()
    await _until(lambda: sessions.started == 2)
    assert not paused_file.exists()

    stop.set()
    await asyncio.wait_for(running, 2)
    assert sessions.ended == 2


async def _paused_worker(paused_file: Path) -> tuple[
        PauseRequests, asyncio.Event, _Sessions, asyncio.Future[None]]:
    """A worker's sessions running, then paused and acknowledged."""
    pauses, stop, sessions = PauseRequests(paused_file), asyncio.Event(), _Sessions()
    running = asyncio.ensure_future(run_sessions(sessions, stop, pauses))
    await _until(lambda: sessions.started == 1)
    pauses.pause()
    await _until(paused_file.exists)
    return pauses, stop, sessions, running


async def test_a_stop_while_paused_ends_the_worker(tmp_path: Path) -> None:
    paused_file = tmp_path / "tax-worker.paused"
    _, stop, sessions, running = await _paused_worker(paused_file)
    stop.set()
    await asyncio.wait_for(running, 2)
    assert sessions.started == 1 and not paused_file.exists()


async def test_the_signals_pause_and_resume(tmp_path: Path) -> None:
    """The launcher's SIGUSR1 and SIGUSR2 (kyodo_launcher.processes.Child.pause, resume)."""
    paused_file = tmp_path / "w.paused"
    pauses, stop, sessions = PauseRequests(paused_file), asyncio.Event(), _Sessions()
    loop = asyncio.get_running_loop()
    pauses.install(loop)
    try:
        running = asyncio.ensure_future(run_sessions(sessions, stop, pauses))
        await _until(lambda: sessions.started == 1)
        os.kill(os.getpid(), PAUSE_SIGNAL)
        await _until(paused_file.exists)
        os.kill(os.getpid(), RESUME_SIGNAL)
        await _until(lambda: sessions.started == 2)
        stop.set()
        await asyncio.wait_for(running, 2)
    finally:
        loop.remove_signal_handler(PAUSE_SIGNAL)
        loop.remove_signal_handler(RESUME_SIGNAL)


async def test_a_failing_session_still_fails_the_worker(tmp_path: Path) -> None:
    async def broken(ended: asyncio.Event) -> None:
        raise RuntimeError("database away")

    pauses, stop = PauseRequests(tmp_path / "w.paused"), asyncio.Event()
    try:
        await asyncio.wait_for(run_sessions(broken, stop, pauses), 2)
    except RuntimeError as exc:
        assert str(exc) == "database away"
    else:
        raise AssertionError("the session's error was swallowed")


async def test_a_pause_that_comes_with_the_resume_is_acknowledged_again(tmp_path: Path) -> None:
    """The launcher removes the file when it asks for a pause; a worker still paused (its
    resume and the new pause handled before it woke) writes it again, or it would be killed
    for silence (the review of 2026-12-08)."""
    paused_file = tmp_path / "w.paused"
    pauses, stop, sessions, running = await _paused_worker(paused_file)
    pauses.resume()
    paused_file.unlink()  # kyodo_launcher.processes.Child.pause, before its signal
    pauses.pause()
    await _until(paused_file.exists)
    assert sessions.started == 1
    stop.set()
    await asyncio.wait_for(running, 2)
