"""Seeds the demo municipalities, their staff and the demo operator (idempotent): `kyodo up`."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from kyodo_identity_events import MunicipalityConfigured
from kyodo_identity_events.tenant_config import TenantConfig
from sqlalchemy.dialects.postgresql import insert

from kyodo_common.db import Database, UnitOfWork
from kyodo_identity.adapters.operators import SqlOperators
from kyodo_identity.adapters.tables import municipalities, staff
from kyodo_identity.domain.demo import DEMO_MUNICIPALITIES, DEMO_OPERATOR, DEMO_STAFF
from kyodo_identity.domain.platform import PLATFORM_CODE
from kyodo_identity.service_layer.operators import ensure_operator
from kyodo_identity.service_layer.passwords import hasher

SOURCE = "kyodo/identity"


async def seed_demo(database_url: str) -> list[tuple[str, str, str, str]]:
    """Returns (municipality code, name, login, password) of every demo account; the operator
    logs in with the platform's pseudo-code as municipality_code."""
    db = Database(database_url, pool_size=1)
    credentials = []
    try:
        for m in DEMO_MUNICIPALITIES:
            # A new municipality is announced like one an operator adds, so tax and
            # certificates learn its per-capita amounts, 級地, fees and mayor.
            config = TenantConfig.model_validate(m.config)
            async with UnitOfWork(db, source=SOURCE, municipality_code=m.code) as uow:
                added = await uow.session.execute(insert(municipalities).values(
                    code=m.code, name=m.name, name_en=m.name_en, prefecture=m.prefecture,
                    config=config.model_dump(mode="json")).on_conflict_do_nothing()
                    .returning(municipalities.c.version))
                version = added.scalar()
                if version is not None:
                    uow.record(MunicipalityConfigured(
                        code=m.code, name=m.name, name_en=m.name_en, prefecture=m.prefecture,
                        config=config, version=version))
                await uow.commit()
        async with db.platform_transaction() as session:
            login, password = DEMO_OPERATOR
            await ensure_operator(SqlOperators(session), login=login, password=password)
        for m in DEMO_MUNICIPALITIES:
            async with db.tenant_transaction(m.code) as session:
                existing = set((await session.execute(sa.select(staff.c.login))).scalars())
                for login, password, roles in DEMO_STAFF:
                    if login not in existing:
                        await session.execute(sa.insert(staff).values(
                            id=uuid.uuid4(), municipality_code=m.code, login=login,
                            password_hash=hasher.hash(password), roles=list(roles),
                            failed_logins=0))
                    credentials.append((m.code, m.name, login, password))
        credentials.append((PLATFORM_CODE, "プラットフォーム運用 (platform operator)",
                            *DEMO_OPERATOR))
    finally:
        await db.dispose()
    return credentials
