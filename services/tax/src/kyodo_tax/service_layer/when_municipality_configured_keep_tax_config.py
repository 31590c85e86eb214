"""When identity configures a municipality, keep the amounts the assessment needs: 均等割,
森林環境税, 級地, whether it is a 指定都市 and its own 所得割 rates if it has any (a newer
version only replaces an older one)."""

from __future__ import annotations

from kyodo_identity_events import MunicipalityConfigured

from kyodo_common.events import Envelope
from kyodo_tax.service_layer.ports import ReadModelsUnitOfWork


async def when_municipality_configured_keep_tax_config(
    uow: ReadModelsUnitOfWork, event: MunicipalityConfigured, envelope: Envelope
) -> None:
    per_capita, rates = event.config.per_capita, event.config.income_levy_rates
    values = {
        "municipality_code": event.code, "version": event.version, "name": event.name,
        "prefecture": event.prefecture, "per_capita_municipal": per_capita.municipal,
        "per_capita_prefectural": per_capita.prefectural,
        "forest_environment_tax": per_capita.forest_env, "kyuchi": event.config.kyuchi,
        "designated_city": event.config.designated_city,
        "income_levy_municipal_rate": rates.municipal if rates else None,
        "income_levy_prefectural_rate": rates.prefectural if rates else None,
    }
    await uow.read_models.keep_tax_config(values)
