"""Where the gateway sends a path by default: the public routes are one list
(kyodo_common.public_routes), the same under make run, Compose and Kubernetes."""

from __future__ import annotations

import pytest

from kyodo_gateway.routing import Router
from kyodo_gateway.settings import GatewaySettings

UPSTREAMS = {"identity": "http://127.0.0.1:8101", "certificates": "http://127.0.0.1:8103",
             "residents": "http://127.0.0.1:8102"}


@pytest.mark.parametrize(("path", "service"), [
    ("/v1/auth/token", "identity"),
    ("/v1/platform/municipalities", "identity"),
    ("/.well-known/oauth-authorization-server", "identity"),
    ("/v1/certificates/verify/152048-7K3M-Q9XD-2HPA", "certificates"),
    ("/v1/certificates/verify", "certificates"),
])
def test_the_public_routes_are_routed_without_configuration(path: str, service: str) -> None:
    for router in (Router(UPSTREAMS), Router(UPSTREAMS, GatewaySettings().public_routes)):
        route = router.route(path)
        assert route.service == service and route.municipality is None
