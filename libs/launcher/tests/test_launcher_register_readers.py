"""The register's readers that must hold each registration: one list (kyodo_launcher.faults),
which the fault suite and the e2e tier's delivery counts share, true to the workers."""

from __future__ import annotations

from kyodo_launcher.catalogue import consumer_groups
from kyodo_launcher.faults import REGISTER_READERS, REGISTER_TOPIC


def test_each_listed_reader_is_a_worker_group_reading_the_register() -> None:
    groups = consumer_groups()
    for service, group in REGISTER_READERS.items():
        assert group.startswith(f"{service}."), (service, group)
        assert REGISTER_TOPIC in groups[group], group
