"""Argon2 password hashing, and verification that takes as long for unknown accounts.

Verification runs on a small pool of threads (argon2-cffi releases the GIL), never on the
event loop, and only a few verifications wait for a thread: a flood of logins waits in a short
queue or is refused with 503 instead of starving every other request.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kyodo_common.errors import Problem

hasher = PasswordHasher()
# Compared against when the login is unknown, so timing does not tell which logins exist.
_DUMMY_HASH = hasher.hash("kyodo-no-such-user")
BUSY_RETRY_AFTER_SECONDS = 1


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; an absent hash is checked against a dummy (same cost)."""
    try:
        return hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def busy() -> Problem:
    return Problem(503, "Service busy", kind="busy",
                   detail="too many logins are being checked right now; retry shortly",
                   headers={"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)})


def _lowest_priority() -> None:
    """Nice 19 for the calling thread (Linux: per thread, and inherited by the threads argon2
    starts for its lanes); where that is not possible the thread runs as it is."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


class HashingBusy(Exception):
    """Every worker and queue place is taken: the password was not checked."""


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else (os.cpu_count() or 1))


class Verifier(Protocol):
    async def verify(self, password_hash: str | None, password: str) -> bool: ...


@dataclass(frozen=True)
class _Suspect:
    pool: PasswordHashing

    async def verify(self, password_hash: str | None, password: str) -> bool:
        return await self.pool.verify(password_hash, password, suspect=True)


class PasswordHashing:
    """``workers`` threads verify passwords; up to ``queue`` more wait, the rest are busy.

    A *suspect* verification (its login or its address failed recently, see
    domain/throttle.py) never takes the last free worker when there are two or more, and waits
    behind every clean one, in a queue of its own: a flood of wrong guesses cannot make other
    people's logins wait for more than the hashes already running.
    """

    def __init__(self, workers: int, queue: int) -> None:
        self.workers = workers
        self.queue = queue
        self.running = 0
        self._running_suspect = 0
        self._waiting: dict[bool, deque[asyncio.Future[None]]] = {False: deque(),
                                                                   True: deque()}
        self._executors = {
            False: ThreadPoolExecutor(workers, thread_name_prefix="argon2"),
            # Suspect hashes also run at the lowest CPU priority: those already running take
            # the cores only when nobody else needs them.
            True: ThreadPoolExecutor(max(1, workers - 1), thread_name_prefix="argon2-suspect",
                                     initializer=_lowest_priority),
        }

    @property
    def admitted(self) -> int:
        return self.running + sum(len(q) for q in self._waiting.values())

    async def verify(self, password_hash: str | None, password: str, *,
                     suspect: bool = False) -> bool:
        if self._may_start(suspect):
            self._start(suspect)
        else:
            await self._wait_turn(suspect)
        loop = asyncio.get_running_loop()
        future: Future[bool] = self._executors[suspect].submit(verify_password, password_hash,
                                                                password)
        # Released when the thread is done, not when the caller stops waiting (a client that
        # hangs up does not free a place its hash still occupies).
        future.add_done_callback(lambda _: self._release_from_thread(loop, suspect))
        return await asyncio.wrap_future(future)

    def _may_start(self, suspect: bool) -> bool:
        if self.running >= self.workers:
            return False
        return not (suspect and self.workers > 1
                    and self._running_suspect >= self.workers - 1)

    def _start(self, suspect: bool) -> None:
        self.running += 1
        self._running_suspect += suspect

    async def _wait_turn(self, suspect: bool) -> None:
        waiting = self._waiting[suspect]
        if len(waiting) >= self.queue:
            raise HashingBusy
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        waiting.append(turn)
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():  # handed a worker just as it gave up
                self._release(suspect)
            else:
                with contextlib.suppress(ValueError):
                    waiting.remove(turn)
            raise

    def _release_from_thread(self, loop: asyncio.AbstractEventLoop, suspect: bool) -> None:
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: nothing to free
            loop.call_soon_threadsafe(self._release, suspect)

    def _release(self, suspect: bool) -> None:
        self.running -= 1
        self._running_suspect -= suspect
        for kind in (False, True):  # clean logins first
            waiting = self._waiting[kind]
            while waiting and self._may_start(kind):
                turn = waiting.popleft()
                if not turn.done():
                    self._start(kind)
                    turn.set_result(None)

    def for_attempt(self, suspect: bool) -> Verifier:
        """The pool as one attempt uses it: behind the others when the attempt is suspect."""
        return _Suspect(self) if suspect else self

    def close(self) -> None:
        for executor in self._executors.values():
            executor.shutdown(wait=False, cancel_futures=True)
