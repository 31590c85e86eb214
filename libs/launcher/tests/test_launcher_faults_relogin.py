"""The load's clerks log in again once when their token expires, not once per request in
flight (the second soak's stampede of logins at the 15-minute expiry)."""

from __future__ import annotations

import asyncio

import httpx

from kyodo_launcher.faults import NAGAOKA, Clerk, Ledger

IN_FLIGHT = 20


def test_requests_in_flight_at_the_expiry_share_one_login() -> None:
    logins = 0
    valid = {"fresh"}

    async def handler(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.01)  # every request is in flight when the token expires
        if request.headers["Authorization"].removeprefix("Bearer ") not in valid:
            return httpx.Response(401, json={"title": "token expired"})
        return httpx.Response(201, json={"id": request.headers["Idempotency-Key"]})

    async def relogin() -> str:
        nonlocal logins
        logins += 1
        await asyncio.sleep(0.05)  # identity takes its time, as a hash does
        token = f"token-{logins}"
        valid.add(token)
        return token

    async def run() -> list[str | None]:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler),
                                     base_url="http://gateway.test") as client:
            clerk = Clerk(NAGAOKA, "expired", client, Ledger(), [], relogin)
            return await asyncio.gather(*(clerk.register() for _ in range(IN_FLIGHT)))

    answers = asyncio.run(run())
    assert all(answers), answers
    assert logins == 1


def test_the_load_registers_people_of_their_own_readings_and_birth_dates() -> None:
    """One shared reading and birth date made the register's duplicate check read every
    earlier registration of a long run (the soak's latency grew 60-fold in 30 minutes)."""
    import re

    from kyodo_launcher.faults import birth_date, reading

    people = {(reading(n), birth_date(n)) for n in range(1, 60_001)}
    assert len(people) == 60_000
    assert all(re.fullmatch(r"[ァ-ヶー]+", reading(n)) for n in (1, 9, 10, 59_999))
