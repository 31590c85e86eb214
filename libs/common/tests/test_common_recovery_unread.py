"""The republish point reads every unread message through the end of its partition
(kyodo_common.events.recovery._unread_messages): through the high watermark the broker's
fetches report, however slow a fetch, and whatever ListOffsets said the end was."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterable
from typing import Any

import pytest
from aiokafka import TopicPartition
from aiokafka.structs import ConsumerRecord

from kyodo_common.events.recovery import QUIET_ROUNDS, _unread_messages

TP = TopicPartition("kyodo.residents.v1", 0)


def _record(offset: int, event_id: uuid.UUID) -> ConsumerRecord[bytes, bytes]:
    return ConsumerRecord(TP.topic, TP.partition, offset, 0, 0, b"k", b"{}", None, 1, 2,
                          [("ce_id", str(event_id).encode())])


def _ids(n: int) -> list[uuid.UUID]:
    return [uuid.uuid4() for _ in range(n)]


class _Tansu:
    """A probe (aiokafka's consumer, as _unread_messages uses it) reading one partition of
    a Tansu-like broker: its log is batches of messages at offsets from 0 on; a fetch answers
    the batches that begin at or after the fetch offset (never the one holding it: what
    Tansu 0.6.0's source reads like, not what it does, tests/integration/test_tansu_offsets.py;
    the guard's case), one batch per answer, and the high watermark (the next offset). The
    calls of getmany in ``stalls`` come back empty with no answer (a fetch slower than the
    wait: a loaded machine); ``arrivals`` maps a call to a batch published just before it.
    ``watermark=False``: a broker whose answers carry no high watermark."""

    def __init__(self, batches: list[list[uuid.UUID]], stalls: Iterable[int] = (),
                 arrivals: dict[int, list[uuid.UUID]] | None = None,
                 watermark: bool = True) -> None:
        self.log: list[tuple[int, list[uuid.UUID]]] = []
        for batch in batches:
            self._append(batch)
        self.stalls = set(stalls)
        self.arrivals = arrivals or {}
        self.watermark = watermark
        self.calls = 0
        self.position_of = 0
        self.answered: int | None = None
        self.highwater_of: int | None = None
        self.sought: list[int] = []

    def _append(self, batch: list[uuid.UUID]) -> None:
        self.log.append((self.end, batch))

    @property
    def end(self) -> int:
        return self.log[-1][0] + len(self.log[-1][1]) if self.log else 0

    def assign(self, partitions: list[TopicPartition]) -> None:
        assert partitions == [TP]

    def seek(self, tp: TopicPartition, offset: int) -> None:
        self.position_of = offset
        self.sought.append(offset)

    def pause(self, tp: TopicPartition) -> None:
        pass

    async def position(self, tp: TopicPartition) -> int:
        return self.position_of

    def highwater(self, tp: TopicPartition) -> int | None:
        return self.highwater_of

    def last_poll_timestamp(self, tp: TopicPartition) -> int | None:
        return self.answered

    async def getmany(self, timeout_ms: int) -> dict[TopicPartition, Any]:
        call, self.calls = self.calls, self.calls + 1
        if call in self.arrivals:
            self._append(self.arrivals[call])
        if call in self.stalls:
            await asyncio.sleep(timeout_ms / 1000)
            return {}
        self.answered = call + 1  # a time, never 0
        self.highwater_of = self.end if self.watermark else None
        for base, batch in self.log:
            if base >= self.position_of:
                self.position_of = base + len(batch)
                return {TP: [_record(base + i, event_id) for i, event_id in enumerate(batch)]}
        await asyncio.sleep(timeout_ms / 1000)
        return {}


async def _read(probe: _Tansu, offset: int, listed_end: int,
                patience: float = 5.0) -> list[uuid.UUID]:
    found = await _unread_messages(probe, {TP: offset}, {TP: listed_end},  # type: ignore[arg-type]
                                   quiet_ms=1, patience=patience)
    return found[TP]


@pytest.mark.parametrize("slow_rounds", [0, 1, 2, QUIET_ROUNDS, 10])
async def test_the_last_unread_message_is_read_however_slow_the_fetch(slow_rounds: int) -> None:
    """Position 1 is ListOffsets' end here, and one more message is there: empty rounds,
    however many, are no proof it is not (with the rule by time, QUIET_ROUNDS of them made
    the point skip it)."""
    first, last = uuid.uuid4(), uuid.uuid4()
    probe = _Tansu([[first], [last]], stalls=range(1, 1 + slow_rounds))
    assert await _read(probe, 0, listed_end=1) == [first, last]


async def test_a_first_fetch_slower_than_the_quiet_rounds_is_waited_for() -> None:
    only = uuid.uuid4()
    probe = _Tansu([[only]], stalls=range(2 * QUIET_ROUNDS))
    assert await _read(probe, 0, listed_end=0) == [only]


async def test_a_partition_is_read_through_when_its_position_reaches_the_watermark() -> None:
    """A single record's partition (ListOffsets: the next offset) is done at once, without
    waiting for quiet rounds."""
    only = uuid.uuid4()
    probe = _Tansu([[only]])
    assert await _read(probe, 0, listed_end=1) == [only]
    assert probe.calls == 1


async def test_every_message_of_a_batch_past_list_offsets_end_is_read() -> None:
    """Tansu's ListOffsets answers the first offset of the batch written last, plus one:
    here 4, while the partition ends at 6."""
    older, unread = _ids(3), _ids(3)
    probe = _Tansu([older, unread])
    assert await _read(probe, 3, listed_end=4) == unread


async def test_a_partition_committed_past_list_offsets_end_is_read_too() -> None:
    batch = _ids(5)
    probe = _Tansu([batch])
    assert await _read(probe, 3, listed_end=1) == batch[3:]


@pytest.mark.parametrize("later", [0, 1, 2])
async def test_a_commit_inside_a_batch_reads_the_rest_of_that_batch(later: int) -> None:
    """A broker whose fetch from offset 3 answers the batches that begin at 3 or later: the
    batch holding 3 (offsets 0-4) is sought from further back, its messages before 3 dropped."""
    batch, after = _ids(5), [_ids(2) for _ in range(later)]
    probe = _Tansu([batch, *after])
    expected = batch[3:] + [event_id for b in after for event_id in b]
    assert await _read(probe, 3, listed_end=1) == expected
    assert probe.sought[0] == 3 and probe.sought[-1] == 0


async def test_a_commit_deep_inside_a_large_batch_is_found_by_seeking_back_further() -> None:
    batch = _ids(1000)
    probe = _Tansu([batch])
    assert await _read(probe, 900, listed_end=1) == batch[900:]


async def test_messages_published_after_the_round_began_are_not_waited_for() -> None:
    """The end is the high watermark of the first answer: a partition that keeps growing
    is read through all the same."""
    first = uuid.uuid4()
    arrivals = {call: [uuid.uuid4()] for call in range(1, 50)}
    probe = _Tansu([[first]], arrivals=arrivals)
    assert await _read(probe, 0, listed_end=1) == [first]


async def test_without_a_high_watermark_the_rule_by_time_is_the_fallback() -> None:
    only = uuid.uuid4()
    probe = _Tansu([[only]], watermark=False)
    assert await _read(probe, 0, listed_end=1) == [only]
    assert probe.calls == 1 + QUIET_ROUNDS


async def test_a_partition_not_read_through_raises_rather_than_give_a_point() -> None:
    """Its last message never comes within the patience: no point is taken past it."""
    first, last = uuid.uuid4(), uuid.uuid4()
    probe = _Tansu([[first], [last]], stalls=range(1, 10_000))
    with pytest.raises(LookupError):
        await _read(probe, 0, listed_end=1, patience=0.2)


async def test_a_partition_no_fetch_answered_raises() -> None:
    probe = _Tansu([[uuid.uuid4()]], stalls=range(10_000))
    with pytest.raises(LookupError):
        await _read(probe, 1, listed_end=1, patience=0.2)
