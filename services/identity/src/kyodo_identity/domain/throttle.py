"""Login throttling, checked before any password is hashed: a progressive delay per login and
a budget of failed attempts per client address. Plain values and monotonic seconds, no I/O.

Per login (municipality code + login name, whether or not such an account exists, so a delay
tells nothing about which logins exist): the first ``free_failures`` failures cost nothing;
after the n-th consecutive failure the next attempt waits ``first_delay * 2**(n - free - 1)``
seconds, at most ``max_delay``. A success forgets the failures, and so does a quiet
``forget_after`` seconds. Nobody is locked out: the real user waits at most ``max_delay``.

Per client address: a token bucket of ``source_burst`` attempts refilled at
``source_per_minute``; an attempt takes a token, a successful login gives it back, so an office
behind one address can log everybody in while one guesser there is slowed down.

An attempt is counted as a failure when it is admitted (before the password is checked), so
concurrent attempts cannot all pass the check before the first failure is recorded. An
attempt whose login or address failed recently is *suspect*: its hash waits behind the others.
"""

from __future__ import annotations

import hashlib
import math
from collections import OrderedDict
from dataclasses import dataclass

_MAX_LOGINS = 100_000
_MAX_SOURCES = 100_000


@dataclass(frozen=True)
class ThrottleRules:
    free_failures: int = 3
    first_delay: float = 1.0
    max_delay: float = 30.0
    forget_after: float = 900.0
    source_per_minute: float = 30.0
    source_burst: float = 30.0

    def delay_after(self, failures: int) -> float:
        """Seconds the next attempt waits after this many consecutive failures."""
        beyond = failures - self.free_failures
        if beyond <= 0:
            return 0.0
        return min(self.max_delay, self.first_delay * 2.0 ** min(beyond - 1, 62))


class TooManyAttempts(Exception):
    def __init__(self, retry_after: float) -> None:
        super().__init__(f"retry after {retry_after:.1f} s")
        self.retry_after = retry_after

    @property
    def retry_after_seconds(self) -> int:
        return max(1, math.ceil(self.retry_after))


@dataclass
class _Login:
    failures: int
    not_before: float
    last_attempt: float


@dataclass
class _Source:
    tokens: float
    at: float


@dataclass(frozen=True)
class Attempt:
    """An admitted attempt: report how it ended with ``succeeded`` or ``abandoned``.

    ``suspect``: its login failed since its last success, or its address has more than
    ``free_failures`` failed attempts outstanding; the hashing pool serves it after others.
    """

    login: bytes
    source: str
    suspect: bool


def login_key(municipality_code: str, login: str) -> bytes:
    # A digest, so that the throttle keeps no login names (nor passwords typed as one).
    return hashlib.sha256(f"{municipality_code}\x00{login}".encode()).digest()


class LoginThrottle:
    """The throttle of one identity process (its memory: a restart forgets it)."""

    def __init__(self, rules: ThrottleRules) -> None:
        self.rules = rules
        self._logins: OrderedDict[bytes, _Login] = OrderedDict()
        self._sources: OrderedDict[str, _Source] = OrderedDict()

    def admit(self, source: str, login: bytes, now: float) -> Attempt:
        """Count the attempt, or raise TooManyAttempts (nothing counted) when it must wait."""
        entry = self._login(login, now)
        bucket = self._source(source, now)
        wait = max(entry.not_before - now if entry else 0.0,
                   (1.0 - bucket.tokens) / self._refill if bucket.tokens < 1.0 else 0.0)
        if wait > 0:
            raise TooManyAttempts(wait)
        suspect = (entry is not None and entry.failures > 0) \
            or bucket.tokens < self.rules.source_burst - self.rules.free_failures
        bucket.tokens -= 1.0
        if entry is None:
            entry = self._logins[login] = _Login(0, now, now)
            if len(self._logins) > _MAX_LOGINS:
                self._logins.popitem(last=False)
        entry.failures += 1
        entry.last_attempt = now
        entry.not_before = now + self.rules.delay_after(entry.failures)
        self._logins.move_to_end(login)
        return Attempt(login, source, suspect)

    def succeeded(self, attempt: Attempt) -> None:
        """The password was right: the login's failures are forgotten, the token returned."""
        self._logins.pop(attempt.login, None)
        self._give_back(attempt.source)

    def abandoned(self, attempt: Attempt, now: float) -> None:
        """The password was never checked (the service was busy): the attempt does not count."""
        entry = self._logins.get(attempt.login)
        if entry is not None:
            entry.failures = max(0, entry.failures - 1)
            entry.not_before = min(entry.not_before,
                                   entry.last_attempt + self.rules.delay_after(entry.failures))
        self._give_back(attempt.source)

    @property
    def _refill(self) -> float:
        return self.rules.source_per_minute / 60.0

    def _login(self, key: bytes, now: float) -> _Login | None:
        entry = self._logins.get(key)
        if entry is not None and now - max(entry.last_attempt, entry.not_before) \
                >= self.rules.forget_after:
            del self._logins[key]
            return None
        return entry

    def _source(self, source: str, now: float) -> _Source:
        bucket = self._sources.get(source)
        if bucket is None:
            bucket = self._sources[source] = _Source(self.rules.source_burst, now)
            if len(self._sources) > _MAX_SOURCES:
                self._sources.popitem(last=False)
        else:
            bucket.tokens = min(self.rules.source_burst,
                                bucket.tokens + (now - bucket.at) * self._refill)
            bucket.at = now
            self._sources.move_to_end(source)
        return bucket

    def _give_back(self, source: str) -> None:
        bucket = self._sources.get(source)
        if bucket is not None:
            bucket.tokens = min(self.rules.source_burst, bucket.tokens + 1.0)
