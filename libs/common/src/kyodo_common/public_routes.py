"""The token-free routes outside /v1/municipalities the gateway forwards, by path prefix:
identity's (login, keys, the platform's operators, RFC 8414 metadata) and anyone's check of a
certificate. One list for the gateway's default, `make run` and the generated client."""

from __future__ import annotations

from kyodo_common.auth import WELL_KNOWN_METADATA

PUBLIC_ROUTES: dict[str, str] = {
    "/v1/auth": "identity",
    "/v1/platform": "identity",
    WELL_KNOWN_METADATA: "identity",
    "/v1/certificates/verify": "certificates",
}
