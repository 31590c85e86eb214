"""Other towns' counters while a benchmark loads one town: clerks in a closed loop, each doing a
住民票の写し (signed PDF) and a resident read through the gateway, one operation every PACE
seconds, their latencies kept with the time they started (bench/disaster_surge.py,
bench/fairness.py)."""

from __future__ import annotations

import asyncio
import math
import random
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bench._platform import RunningPlatform
from bench._report import distribution
from bench.disaster import _until

COUNTER_TOWNS = ("152021", "152111")  # 長岡市, 見附市
CLERKS_PER_TOWN = 3
PACE = 0.5  # seconds between a clerk's operations
RESIDENTS_PER_TOWN = 10
OPERATIONS = ("certificate", "read")


@dataclass
class Latencies:
    """Counter operations: (start time, operation, ms) and failures."""

    samples: list[tuple[float, str, float]] = field(default_factory=list)
    failed: list[tuple[float, str]] = field(default_factory=list)

    def values(self, start: float, end: float, operation: str | None = None) -> list[float]:
        """The milliseconds of the operations started in [start, end)."""
        return [ms for t, op, ms in self.samples
                if start <= t < end and (operation is None or op == operation)]

    def between(self, start: float, end: float) -> dict[str, Any]:
        chosen = self.values(start, end)
        return {"all": distribution(chosen),
                **{op: distribution(self.values(start, end, op)) for op in OPERATIONS},
                "failed": sum(1 for t, _ in self.failed if start <= t < end),
                "rate_per_s": len(chosen) / (end - start) if end > start else math.nan}


class Town:
    """One town's counter: its clerk's token and a few residents in the register."""

    def __init__(self, platform: RunningPlatform, session: aiohttp.ClientSession,
                 code: str) -> None:
        self.code, self.session = code, session
        self.base = f"{platform.gateway}/v1/municipalities/{code}"
        self.gateway = platform.gateway
        self.token, self.residents, self.logged_at = "", list[str](), 0.0

    async def fresh(self) -> None:
        """A new token before the old one (15 minutes) runs out."""
        if time.monotonic() - self.logged_at > 600:
            await self.login()

    async def login(self) -> None:
        self.logged_at = time.monotonic()
        form = {"grant_type": "password", "municipality_code": self.code, "username": "clerk",
                "password": "kyodo-clerk"}
        async with self.session.post(f"{self.gateway}/v1/auth/token", data=form) as r:
            r.raise_for_status()
            self.token = (await r.json())["access_token"]

    async def register(self, count: int) -> None:
        auth = {"Authorization": f"Bearer {self.token}"}
        for n in range(count):
            body = {"family_name": "長岡", "given_name": f"窓口{n}", "family_name_kana": "ナガオカ",
                    "given_name_kana": "マドグチ", "birth_date": "1985-06-01", "sex": "female",
                    "postal_code": "940-8501", "address": f"新潟県長岡市大手通一丁目{n + 1}番地"}
            async with self.session.post(f"{self.base}/residents", json=body, headers={
                    **auth, "Idempotency-Key": uuid.uuid4().hex}) as r:
                if r.status != 201:
                    raise RuntimeError(f"registration: {r.status} {await r.text()}")
                self.residents.append((await r.json())["id"])
        purpose = {**auth, "X-Kyodo-Purpose": "residence-certificate"}
        for resident in self.residents:
            async def known(resident: str = resident) -> bool:
                async with self.session.get(f"{self.base}/certificates/residents/{resident}",
                                            headers=purpose) as r:
                    return r.status == 200
            await _until(known, 60, "residents in the certificates read model")

    async def certificate(self) -> bool:
        await self.fresh()
        body = {"resident_id": random.choice(self.residents), "terminal": "本庁1",
                "printer": "プリンタ001", "items": ["relationship"]}
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/pdf",
                   "X-Kyodo-Purpose": "residence-certificate",
                   "Idempotency-Key": uuid.uuid4().hex}
        async with self.session.post(f"{self.base}/certificates/residence", json=body,
                                     headers=headers) as r:
            payload = await r.read()
            return r.status == 201 and payload.startswith(b"%PDF")

    async def read(self) -> bool:
        await self.fresh()
        headers = {"Authorization": f"Bearer {self.token}", "X-Kyodo-Purpose": "identity-check"}
        async with self.session.get(f"{self.base}/residents/{random.choice(self.residents)}",
                                    headers=headers) as r:
            await r.read()
            return r.status == 200


async def clerk(town: Town, latencies: Latencies, stop: asyncio.Event,
                pace: float = PACE) -> None:
    """A clerk: a certificate, then a read, one operation every ``pace`` seconds."""
    operations = [("certificate", town.certificate), ("read", town.read)]
    n = random.randrange(2)
    await asyncio.sleep(random.uniform(0, pace))
    while not stop.is_set():
        name, operation = operations[n % 2]
        n += 1
        started = time.perf_counter()
        try:
            ok = await operation()
        except (aiohttp.ClientError, TimeoutError):
            ok = False
        elapsed = time.perf_counter() - started
        if ok:
            latencies.samples.append((started, name, elapsed * 1000))
        else:
            latencies.failed.append((started, name))
        await asyncio.sleep(max(0.0, pace - elapsed))


async def open_counters(platform: RunningPlatform, session: aiohttp.ClientSession,
                        codes: tuple[str, ...] = COUNTER_TOWNS,
                        residents: int = RESIDENTS_PER_TOWN) -> list[Town]:
    """Each town's clerk logged in and a few residents registered through the gateway."""
    towns = [Town(platform, session, code) for code in codes]
    for town in towns:
        await town.login()
        await town.register(residents)
    return towns
