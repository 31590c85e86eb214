"""Time-ordered ids (the UUIDv7 layout of RFC 9562) for rows written by the hundred thousand.

A random UUIDv4 key lands on a random page of its b-tree: with 280,000 assessments and events
per bulk run that is a cache miss and, after each checkpoint, a full-page image in the WAL per
row. Ids that grow with time append to the right edge of the index instead.
"""

from __future__ import annotations

import os
import time
from uuid import UUID

_COUNTER_BITS = 34  # 12 bits of rand_a and the top 22 of rand_b: one batch's sequence
_RANDOM_BITS = 40  # the rest of rand_b: random per id, so two processes never collide
_HEADER = (0x7 << 76) | (0b10 << 62)  # version 7, RFC 9562 variant


def time_ordered_ids(count: int) -> list[UUID]:
    """``count`` increasing ids; a later millisecond's batch sorts after this one."""
    ms = time.time_ns() // 1_000_000
    noise = os.urandom(8 + 5 * count)
    # A random start in the lower half of the counter, so that start + count never overflows.
    start = int.from_bytes(noise[:8], "big") >> (64 - _COUNTER_BITS + 1)
    ids = []
    for i in range(count):
        counter = start + i
        low = int.from_bytes(noise[8 + 5 * i: 13 + 5 * i], "big")
        value = (ms << 80) | _HEADER | ((counter >> 22) << 64) \
            | ((counter & 0x3FFFFF) << _RANDOM_BITS) | low
        ids.append(UUID(int=value))
    return ids
