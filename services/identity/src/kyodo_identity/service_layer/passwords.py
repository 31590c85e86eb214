"""Argon2 password hashing, and verification that takes as long for unknown accounts.

Verification runs on a small pool of threads (argon2-cffi releases the GIL), never on the
event loop, and at most ``workers + queue`` verifications are admitted at a time: a flood of
logins waits in a short queue or is refused with 503 instead of starving every other request.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from concurrent.futures import Future, ThreadPoolExecutor

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


class HashingBusy(Exception):
    """Every worker and queue place is taken: the password was not checked."""


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else (os.cpu_count() or 1))


class PasswordHashing:
    """``workers`` threads verify passwords; ``queue`` more wait; anything beyond is busy."""

    def __init__(self, workers: int, queue: int) -> None:
        self.workers = workers
        self.capacity = workers + queue
        self.admitted = 0
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="argon2")

    async def verify(self, password_hash: str | None, password: str) -> bool:
        if self.admitted >= self.capacity:
            raise HashingBusy
        loop = asyncio.get_running_loop()
        self.admitted += 1
        future: Future[bool] = self._executor.submit(verify_password, password_hash, password)
        # Released when the thread is done, not when the caller stops waiting (a client that
        # hangs up does not free a place its hash still occupies).
        future.add_done_callback(lambda _: self._release_from_thread(loop))
        return await asyncio.wrap_future(future)

    def _release_from_thread(self, loop: asyncio.AbstractEventLoop) -> None:
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: nothing to free
            loop.call_soon_threadsafe(self._release)

    def _release(self) -> None:
        self.admitted -= 1

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
