"""Callback URLs (SSRF), backoff, signatures with overlap, and the protection check."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, date, datetime
from uuid import uuid4

import pytest
from standardwebhooks import Webhook

from kyodo_common.errors import InvalidInput
from kyodo_webhooks.domain import backoff, ordering, protection, ssrf
from kyodo_webhooks.domain.notification import headers, new_secret, notification


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/hook", "http://localhost:8080/hook", "http://[::1]/hook",
    "https://10.0.0.8/hook", "https://172.16.4.4/hook", "https://192.168.1.10/hook",
    "http://169.254.169.254/latest/meta-data", "http://[fe80::1]/hook",
    "http://100.64.0.1/hook", "http://0.0.0.0/hook", "http://[::ffff:127.0.0.1]/hook",
    "http://224.0.0.1/hook", "ftp://partner.example/hook", "https://u:p@partner.example/",
    "https:///hook", "https://partner.example/hook#frag",
])
def test_callbacks_outside_the_public_internet_are_refused(url: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        ssrf.check_url(url, allow_private=False)
    assert refused.value.invalid_params == [{"name": "callback_url",
                                             "reason": refused.value.detail}]


def test_public_callbacks_are_accepted_and_development_allows_loopback() -> None:
    target = ssrf.check_url("https://partner.example:8443/kyodo?x=1", allow_private=False)
    assert (target.host, target.port, target.path, target.host_header) == (
        "partner.example", 8443, "/kyodo?x=1", "partner.example:8443")
    assert target.url_to("203.0.114.7") == "https://203.0.114.7:8443/kyodo?x=1"
    ssrf.check_url("http://127.0.0.1:9000/hook", allow_private=True)


def test_a_name_that_resolves_to_a_private_address_is_refused_at_delivery() -> None:
    target = ssrf.parse("http://localhost:9/hook")
    with pytest.raises(ssrf.Refused, match="non-public address"):
        asyncio.run(ssrf.resolve(target, allow_private=False))
    assert asyncio.run(ssrf.resolve(target, allow_private=True)) in ("127.0.0.1", "::1")


def test_backoff_grows_exponentially_with_jitter_up_to_its_cap() -> None:
    rng = random.Random(7)
    ceilings = [1, 2, 4, 8, 16, 32, 64]
    for attempts, ceiling in enumerate(ceilings, start=1):
        d = backoff.delay(attempts, base=1, cap=3600, rng=rng)
        assert ceiling / 2 <= d <= ceiling
    assert 1800 <= backoff.delay(500, base=1, cap=3600, rng=rng) <= 3600
    # Retries at the cap for a day: about 50 attempts, none after the first day's window.
    total, attempts = 0.0, 0
    while total < 86_400:
        attempts += 1
        total += backoff.delay(attempts, base=1, cap=3600, rng=rng)
    assert 25 <= attempts <= 60


def test_every_secret_in_force_signs_so_a_rotation_has_no_gap() -> None:
    old, new = new_secret(), new_secret()
    body = notification(event_id="e1", event_type="t", source="s", subject="u",
                        time=datetime(2026, 12, 1, tzinfo=UTC), municipality="152048")
    sent = headers([new, old], "msg_1", datetime.now(UTC), body)
    assert Webhook(new).verify(body, sent) == Webhook(old).verify(body, sent)
    with pytest.raises(Exception, match="signature"):
        Webhook(new_secret()).verify(body, sent)


def test_a_measure_in_force_or_still_to_come_hides_and_an_ended_one_does_not() -> None:
    today = date(2026, 12, 7)
    assert protection.in_force(True, None, None, today)
    assert protection.in_force(False, date(2027, 1, 1), date(2027, 12, 31), today)
    assert protection.in_force(True, date(2026, 1, 1), None, today)
    assert not protection.in_force(False, date(2025, 1, 1), date(2026, 12, 6), today)
    assert not protection.in_force(False, None, None, today)
    assert protection.hidden([], today, [uuid4()])


def test_a_subjects_next_message_waits_for_its_earlier_one_pending_or_in_flight() -> None:
    def m(i: int, subject: str, due: bool = True) -> dict[str, object]:
        return {"id": i, "subject": subject, "due": due}

    window = [m(1, "a"), m(2, "b", due=False), m(3, "a"), m(4, "b"), m(5, "c"), m(6, "d"),
              m(7, "c"), m(8, "e")]
    # a's first is in flight (being recorded): neither it nor a's next goes; b's first waits
    # for its own backoff, and b's next waits for it.
    assert [h["id"] for h in ordering.heads(window, 10, in_flight={1})] == [5, 6, 8]
    assert [h["id"] for h in ordering.heads(window, 2, in_flight=set())] == [1, 5]
