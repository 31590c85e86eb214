"""Which of a subscription's pending messages may be sent now: in order per subject, a message
goes only when no earlier message of its subject is still pending (or in flight)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any


def heads(window: Sequence[Any], wanted: int, in_flight: Collection[Any]) -> list[Any]:
    """Up to ``wanted`` messages of ``window`` to send now.

    ``window`` is the oldest pending messages of the subscription in queue order (a prefix of
    its queue: no pending message is older), each with ``id``, ``subject`` and ``due`` (its own
    backoff has passed). A subject's first message in the window is its oldest pending one:
    sent if it is due and not already in flight; the subject's later messages wait for it.
    """
    seen: set[str] = set()
    out: list[Any] = []
    for message in window:
        subject = message["subject"]
        if subject in seen:
            continue
        seen.add(subject)
        if message["due"] and message["id"] not in in_flight:
            out.append(message)
            if len(out) == wanted:
                break
    return out
