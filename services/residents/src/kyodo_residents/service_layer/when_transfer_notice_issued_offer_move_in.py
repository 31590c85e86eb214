"""When another platform municipality issues a transfer notice to us, offer the move-in."""

from __future__ import annotations

from typing import Any

from kyodo_residents_events import TransferNoticeIssued

from kyodo_common.events import Envelope


async def when_transfer_notice_issued_offer_move_in(
    uow: Any, event: TransferNoticeIssued, envelope: Envelope
) -> None:
    """``uow``: the inbox's unit of work with the register's store (RegisterInboxUnitOfWork)."""
    await uow.store.offer_transfer(event)
