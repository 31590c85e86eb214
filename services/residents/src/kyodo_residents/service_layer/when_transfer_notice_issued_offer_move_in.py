"""When another platform municipality issues a transfer notice to us, offer the move-in."""

from __future__ import annotations

from kyodo_residents_events import TransferNoticeIssued
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.events import Envelope
from kyodo_residents.adapters.store import offer_transfer


async def when_transfer_notice_issued_offer_move_in(
    session: AsyncSession, event: TransferNoticeIssued, envelope: Envelope
) -> None:
    await offer_transfer(session, event)
