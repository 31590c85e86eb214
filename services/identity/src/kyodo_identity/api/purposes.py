"""The purposes a municipality accepts in `X-Kyodo-Purpose`: the platform's standard codes and
the municipality's own, with the labels clients show (ADR 0013)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from kyodo_identity_events.tenant_config import TenantConfig
from pydantic import BaseModel, Field

from kyodo_common import purposes
from kyodo_common.assertion import Acting
from kyodo_common.errors import NotFound
from kyodo_common.paging import DEFAULT_LIMIT, Cursor, Keyset, Limit, Page
from kyodo_common.web import MunicipalityCode
from kyodo_identity.adapters.views import municipality

from .deps import Db, acting_or_operator

router = APIRouter(prefix="/v1/municipalities/{code}/identity/purposes", tags=["purposes"])
Member = Annotated[Acting, Depends(acting_or_operator(None))]


class PurposePublic(BaseModel):
    code: str = Field(description="what a client sends in X-Kyodo-Purpose",
                      examples=["residence-certificate"])
    label: str = Field(description="Japanese label", examples=["住民票の写し等の交付"])
    label_en: str | None = Field(default=None, description="the purpose in English")
    standard: bool = Field(description="the platform's (true) or this municipality's own")


PurposeList = Page[PurposePublic]
# Standard purposes first, then the municipality's own, each in code order.
IN_ORDER = Keyset("identity.purposes", (int, str))


@router.get("", response_model=PurposeList)
async def accepted_purposes(code: MunicipalityCode, member: Member, db: Db,
                            limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> PurposeList:
    """Every purpose code this municipality accepts: the standard ones, then its own."""
    async with db.platform_transaction() as session:
        row = await municipality(session, code)
    if row is None:
        raise NotFound("the municipality")
    own = TenantConfig.model_validate(row.config).purposes
    every = sorted([
        *(PurposePublic(code=p.code, label=p.label, label_en=p.label_en, standard=True)
          for p in purposes.STANDARD.values()),
        *(PurposePublic(code=c, label=p.label, label_en=p.label_en, standard=False)
          for c, p in own.items())], key=_position)
    # A short list held in memory: the keyset filters it as SQL would.
    after = IN_ORDER.decode(cursor)
    rows = [p for p in every if after is None or _position(p) > after][:limit + 1]
    items, next_cursor = IN_ORDER.page(rows, limit, key=_position)
    return PurposeList(items=items, next=next_cursor)


def _position(purpose: PurposePublic) -> tuple[int, str]:
    return (0 if purpose.standard else 1, purpose.code)
