"""Time-ordered ids: valid version-7 UUIDs, increasing within a batch and across batches."""

from __future__ import annotations

import time

from kyodo_tax.adapters.ids import time_ordered_ids


def test_ids_increase_and_are_version_7() -> None:
    first = time_ordered_ids(5000)
    time.sleep(0.002)
    second = time_ordered_ids(10)
    assert first == sorted(first) and len(set(first)) == 5000
    assert max(first) < min(second)
    assert {i.version for i in first + second} == {7}
    assert {i.variant for i in first} == {"specified in RFC 4122"}


def test_the_counter_never_spills_into_the_version_bits() -> None:
    for _ in range(2000):
        ids = time_ordered_ids(3)
        assert {i.version for i in ids} == {7} and ids == sorted(ids)
