"""Which scope a support grant must lend for a route."""

from __future__ import annotations

import pytest

from kyodo_gateway.authz import route_scope


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
def test_a_grant_that_lends_subscribing_covers_the_webhooks_routes(method: str) -> None:
    """The town's consent to a partner's subscription: one scope for every webhooks route."""
    assert route_scope("webhooks", method) == "webhooks:subscribe"


def test_the_other_services_keep_their_read_and_write_scopes() -> None:
    assert route_scope("residents", "GET") == "residents:read"
    assert route_scope("residents", "POST", search=True) == "residents:read"
    assert route_scope("tax", "POST") == "tax:write"
    assert route_scope("certificates", "GET") == "certificates:issue"
    assert route_scope("identity", "GET") is None
