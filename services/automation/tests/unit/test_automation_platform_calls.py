"""Calls to the platform: the account's token, retries with backoff on 5xx and lost
connections with the same Idempotency-Key, and 4xx handed back to the engine."""

from __future__ import annotations

import httpx
import pytest

from kyodo_automation.adapters.platform_http import (
    AccountRefused,
    AccountTokens,
    GatewayPlatform,
    PlatformUnavailable,
)


class Platform:
    """The gateway and identity's token endpoint, scripted."""

    def __init__(self, answers: list[int | type[Exception]]) -> None:
        self.answers = answers
        self.seen: list[httpx.Request] = []
        self.tokens = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/auth/token":
            self.tokens += 1
            return httpx.Response(200, json={"access_token": "t-1", "expires_in": 300,
                                             "scope": "tax:read tax:write"})
        self.seen.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, type):
            raise answer("connection lost", request=request)
        return httpx.Response(answer, json={"status": answer})


def platform(answers: list[int | type[Exception]], attempts: int = 4
             ) -> tuple[GatewayPlatform, Platform]:
    script = Platform(answers)
    http = httpx.AsyncClient(transport=httpx.MockTransport(script))
    tokens = AccountTokens(http, "http://gateway", "152048-abc", "secret")
    return GatewayPlatform(http, "http://gateway", "152048", tokens, attempts=attempts,
                           max_wait=0.01), script


async def test_5xx_and_lost_connections_are_retried_with_the_same_key() -> None:
    calls, script = platform([503, httpx.ConnectError, 502, 201])
    response = await calls.call("POST", "/tax/assessments", {"a": 1}, idempotency_key="k-1",
                                purpose=None)
    assert response.status == 201
    assert [r.headers["Idempotency-Key"] for r in script.seen] == ["k-1"] * 4
    assert {r.url.path for r in script.seen} == {"/v1/municipalities/152048/tax/assessments"}
    assert script.seen[0].headers["Authorization"] == "Bearer t-1"
    assert script.tokens == 1  # the token is kept until it expires


async def test_a_4xx_is_an_answer_not_a_retry() -> None:
    calls, script = platform([422])
    response = await calls.call("POST", "/tax/x", {}, idempotency_key="k", purpose=None)
    assert (response.status, len(script.seen)) == (422, 1)


async def test_after_the_last_attempt_the_platform_is_unavailable() -> None:
    calls, script = platform([500, 500, 500], attempts=3)
    with pytest.raises(PlatformUnavailable, match="answered 500 after 3 attempts"):
        await calls.call("POST", "/tax/x", {}, idempotency_key="k", purpose=None)
    assert len(script.seen) == 3


async def test_a_get_sends_its_purpose_and_no_key() -> None:
    calls, script = platform([200])
    await calls.call("GET", "/tax/rules", None, idempotency_key="k", purpose="tax-assessment")
    (request,) = script.seen
    assert request.headers["X-Kyodo-Purpose"] == "tax-assessment"
    assert "Idempotency-Key" not in request.headers


async def test_a_revoked_account_is_refused_by_identity() -> None:
    def identity(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"title": "Unauthorized"})

    http = httpx.AsyncClient(transport=httpx.MockTransport(identity))
    with pytest.raises(AccountRefused):
        await AccountTokens(http, "http://gateway", "152048-abc", "secret").current()
