"""Which topics a service's republish point covers, and who reads them."""

from __future__ import annotations

from kyodo_launcher.recovery import produced, readers


def test_dead_letters_count_as_unread_until_re_driven() -> None:
    topics = produced()
    assert topics["residents"] == ["kyodo.residents.v1", "kyodo.residents.v1.dlq"]
    groups = readers()
    assert "kyodo.residents.v1.dlq" in groups["kyodo.redrive"]
    # Every worker's group, with the topics its subscriptions read.
    assert "kyodo.residents.v1" in groups["certificates.read-models"]
    assert set(groups) >= {"identity.disasters", "residents.transfers", "tax.read-models",
                           "disaster.read-models", "automation.triggers"}
