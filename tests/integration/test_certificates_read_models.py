"""The read models: any arrival order, redeliveries and replays give the same state."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from kyodo_identity_events import MunicipalityConfigured
from kyodo_identity_events.tenant_config import PerCapita, TenantConfig
from kyodo_residents_events import ResidentRelocated

from kyodo_certificates.adapters import read_models
from kyodo_common.db import Database

from .certificates_kit import feed, registered, state
from .conftest import SANJO

pytestmark = pytest.mark.integration
UONUMA = "152251"


async def test_household_members_come_in_certificate_order_and_old_versions_lose(
    certificates_db: Database,
) -> None:
    home = uuid.uuid4()
    head = state(household_id=home)
    child_b = state(given="弟", relationship="子", household_id=home, birth=date(2015, 1, 1))
    child_a = state(given="姉", relationship="子", household_id=home, birth=date(2012, 1, 1))
    wife = state(given="妻", relationship="妻", household_id=home)
    moved = head.model_copy(update={"version": 2, "address": "新潟県三条市元町1番1号",
                                    "address_since": date(2024, 3, 1)})
    # The newer version first, then the older one again (a late redelivery): version 2 stays.
    await feed(certificates_db, SANJO, registered(SANJO, head, child_b, child_a, wife),
               registered(SANJO, moved, event=ResidentRelocated), registered(SANJO, head))
    async with certificates_db.tenant_transaction(SANJO) as session:
        members = await read_models.household(session, home)
        reread = await read_models.resident(session, head.resident_id)
    assert [m.given_name for m in members] == ["太郎", "妻", "姉", "弟"]
    assert reread is not None and reread.address == "新潟県三条市元町1番1号"
    assert reread.previous_address == "新潟県三条市旭町二丁目3番1号"  # derived on 転居


async def test_the_municipality_comes_from_its_event_and_falls_back_to_the_seed(
    certificates_db: Database,
) -> None:
    async with certificates_db.tenant_transaction(UONUMA) as session:
        seeded = await read_models.municipality(session, UONUMA)
    assert seeded is not None and seeded.name == "魚沼市" and seeded.certificate_fee_yen == 300

    def configured(version: int, mayor: str) -> MunicipalityConfigured:
        config = TenantConfig(per_capita=PerCapita(municipal=3000, prefectural=1000,
                                                   forest_env=1000),
                              certificate_fee_yen=400, mayor_name=mayor)
        return MunicipalityConfigured(code=UONUMA, name="魚沼市", name_en="Uonuma",
                                      prefecture="新潟県", config=config, version=version)

    await feed(certificates_db, UONUMA, configured(3, "新しい市長"), configured(2, "古い市長"))
    async with certificates_db.tenant_transaction(UONUMA) as session:
        town = await read_models.municipality(session, UONUMA)
    assert town is not None and town.issuer == "魚沼市長　新しい市長"
    assert town.certificate_fee_yen == 400
