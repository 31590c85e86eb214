"""Hostile text through the gateway to the real services: a 422 for the caller, and the next
request of another municipality on the gateway's kept-alive connections still served (before,
the service's 500 closed its connection and the next request through it got a 502)."""

from __future__ import annotations

import json

import httpx
import pytest
from e2e.conftest import RunningPlatform

pytestmark = pytest.mark.e2e
SANJO, NAGAOKA = "152048", "152021"
HOSTILE = ["\x00", "\x01", "\x7f", "\x85", "\ud800", "\uffff"]


def test_a_hostile_search_is_a_422_and_the_next_municipality_is_served(
        platform: RunningPlatform) -> None:
    sanjo = {"Authorization": f"Bearer {platform.login(SANJO)}",
             "X-Kyodo-Purpose": "identity-check", "Content-Type": "application/json"}
    nagaoka = {"Authorization": f"Bearer {platform.login(NAGAOKA)}",
               "X-Kyodo-Purpose": "identity-check", "Content-Type": "application/json"}
    url = f"{platform.gateway}/v1/municipalities/{{}}/residents/search"
    with httpx.Client(timeout=10) as client:
        for _ in range(5):  # the race of a closing connection, given a few chances
            for bad in HOSTILE:
                for field, value in (("kana_prefix", f"ナ{bad}"),
                                     ("address_contains", f"旭町{bad}二丁目")):
                    # json.dumps escapes: a lone surrogate travels as JSON allows
                    refused = client.post(url.format(SANJO), headers=sanjo,
                                          content=json.dumps({field: value}).encode())
                    served = client.post(url.format(NAGAOKA), headers=nagaoka,
                                         content=json.dumps({"kana_prefix": "ナ"}).encode())
                    assert served.status_code == 200, served.text
                    assert refused.status_code == 422, refused.text
                    assert refused.json()["invalid_params"][0]["name"] == field
