"""When another platform municipality issues a transfer notice to us, offer the move-in."""

from __future__ import annotations

from kyodo_residents_events import TransferNoticeIssued
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.events import Envelope
from kyodo_residents.adapters.tables import incoming_transfers


async def when_transfer_notice_issued_offer_move_in(
    session: AsyncSession, event: TransferNoticeIssued, envelope: Envelope
) -> None:
    await session.execute(insert(incoming_transfers).values(
        id=event.transfer_id, municipality_code=event.destination_municipality,
        origin_municipality=event.origin_municipality,
        origin_resident_id=event.resident.resident_id,
        planned_move_date=event.planned_move_date, moved_out_on=event.moved_out_on,
        destination_address=event.destination_address,
        destination_postal_code=event.destination_postal_code,
        resident=event.resident.model_dump(mode="json"),
        residence_status=event.residence_status,
        residence_card_number=event.residence_card_number, stay_until=event.stay_until,
    ).on_conflict_do_nothing())
