"""The republish point reads every unread message through the end of its partition
(kyodo_common.events.recovery._unread_messages), even when a fetch is slow."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from aiokafka import TopicPartition
from aiokafka.structs import ConsumerRecord

from kyodo_common.events.recovery import _unread_messages

TP = TopicPartition("kyodo.residents.v1", 0)


def _record(offset: int, event_id: uuid.UUID) -> ConsumerRecord[bytes, bytes]:
    return ConsumerRecord(TP.topic, TP.partition, offset, 0, 0, b"k", b"{}", None, 1, 2,
                          [("ce_id", str(event_id).encode())])


class _SlowProbe:
    """Answers the partition's messages in the given rounds; an empty round is a fetch that
    took longer than the wait (a loaded machine)."""

    def __init__(self, rounds: list[list[ConsumerRecord[bytes, bytes]]]) -> None:
        self.rounds = rounds
        self.position_of = 0

    def assign(self, partitions: list[TopicPartition]) -> None:
        pass

    def seek(self, tp: TopicPartition, offset: int) -> None:
        self.position_of = offset

    def pause(self, tp: TopicPartition) -> None:
        pass

    async def position(self, tp: TopicPartition) -> int:
        return self.position_of

    async def getmany(self, timeout_ms: int) -> dict[TopicPartition, Any]:
        records = self.rounds.pop(0) if self.rounds else []
        if records:
            self.position_of = records[-1].offset + 1
        return {TP: records} if records else {}


@pytest.mark.parametrize("slow_rounds", [0, 1, 2])
async def test_the_last_unread_message_is_read_even_after_a_slow_fetch(slow_rounds: int) -> None:
    """Tansu's end may be the last message's offset: at position == end that message may
    still be unread, and one or two empty rounds are no proof it is not there."""
    first, last = uuid.uuid4(), uuid.uuid4()
    probe = _SlowProbe([[_record(0, first)], *([[]] * slow_rounds), [_record(1, last)]])
    found = await _unread_messages(probe, {TP: 0}, {TP: 1}, {TP}, quiet_ms=1,  # type: ignore[arg-type]
                                   patience=5.0)
    assert found[TP] == [first, last]


async def test_a_partition_read_to_its_end_is_done_after_quiet_rounds() -> None:
    """Tansu's end may also be the next offset (a single produced record): then nothing more
    comes, and the partition is done once it stayed quiet."""
    only = uuid.uuid4()
    probe = _SlowProbe([[_record(0, only)]])
    found = await _unread_messages(probe, {TP: 0}, {TP: 1}, {TP}, quiet_ms=1,  # type: ignore[arg-type]
                                   patience=5.0)
    assert found[TP] == [only]
