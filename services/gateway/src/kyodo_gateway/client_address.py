"""The client's address, signed for the services behind the gateway (identity limits logins
per address; it sees only the gateway as its TCP peer)."""

from __future__ import annotations

from kyodo_common.assertion import CLIENT_ADDRESS_SECONDS, AssertionSigner, sign_client_address

_MAX_PEERS = 10_000
# A value is re-signed when less than this is left of its lifetime: never stale on arrival.
_RENEW_BEFORE_SECONDS = CLIENT_ADDRESS_SECONDS / 2


class ClientAddresses:
    """One signed header value per peer address, reused until half its lifetime is gone."""

    __slots__ = ("_signed", "_signer")

    def __init__(self, signer: AssertionSigner) -> None:
        self._signer = signer
        self._signed: dict[bytes, tuple[bytes, float]] = {}

    def header_value(self, peer: bytes, now: float) -> bytes:
        cached = self._signed.get(peer)
        if cached is not None and cached[1] - now > _RENEW_BEFORE_SECONDS:
            return cached[0]
        if len(self._signed) >= _MAX_PEERS:
            self._signed.clear()
        value = sign_client_address(self._signer, peer.decode("latin-1"), now).encode("ascii")
        self._signed[peer] = (value, now + CLIENT_ADDRESS_SECONDS)
        return value
