"""Test data: valid residents with unique names, so tests never need to truncate tables."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import date

from kyodo_residents_events import (
    TOPIC,
    ResidentRegisterChanged,
    ResidentRegistered,
    ResidentState,
)

from kyodo_common.clock import today_in_japan
from kyodo_common.events import Envelope
from kyodo_residents.domain.resident import PersonDetails, Sex

from .conftest import SANJO

_counter = itertools.count(1)


def new_resident(**overrides: object) -> dict[str, object]:
    """Keyword arguments of register_resident (without the unit of work and the day)."""
    n = next(_counter)
    values: dict[str, object] = {
        "family_name": "三条", "given_name": f"太郎{n}", "family_name_kana": "さんじょう",
        "given_name_kana": "タロウ", "birth_date": date(1980, 4, 1), "sex": Sex.MALE,
    }
    values.update(overrides)
    # Distinct people by construction who share readings, birth date and address: confirmed.
    return {"details": PersonDetails(**values), "postal_code": "955-8686",  # type: ignore[arg-type]
            "address": "新潟県三条市旭町二丁目3番1号", "confirmed_not_duplicate": True}


def resident_json(**overrides: object) -> dict[str, object]:
    n = next(_counter)
    body: dict[str, object] = {
        "family_name": "長岡", "given_name": f"花子{n}", "family_name_kana": "ナガオカ",
        "given_name_kana": "ハナコ", "birth_date": "1990-02-14", "sex": "female",
        "postal_code": "9408501", "address": "新潟県長岡市大手通1丁目4番地10",
        "confirm_not_duplicate": True,  # distinct people sharing readings and birth date
    }
    body.update(overrides)
    return body


def registered_event(given_name: str, *, family_name: str = "一括") -> ResidentRegistered:
    """A 住民登録 event of a new resident of Sanjo, as the residents service publishes it."""
    resident_id = uuid.uuid4()
    state = ResidentState(
        resident_id=resident_id, platform_person_id=uuid.uuid4(), resident_number="0000000019",
        version=1, status="resident", family_name=family_name, given_name=given_name,
        family_name_kana="イッカツ", given_name_kana="テスト", birth_date=today_in_japan(),
        sex="male", nationality="JP", household_id=None, household_number=None,
        relationship=None, postal_code="9558686", address="三条市")
    return ResidentRegistered(municipality_code=SANJO, effective_date=today_in_japan(),
                              reason="職権記載", residents=(state,), subject_id=resident_id)


@dataclass(frozen=True)
class KafkaRecord:
    """What a consumer reads from the broker (the fields of aiokafka's ConsumerRecord the
    inbox uses), and the envelope it carries."""

    envelope: Envelope
    key: bytes
    topic: str = TOPIC

    @property
    def value(self) -> bytes:
        return self.envelope.data

    @property
    def headers(self) -> list[tuple[str, bytes]]:
        return self.envelope.kafka_headers()


def kafka_record(event: ResidentRegisterChanged, municipality: str = SANJO,
                 traceparent: str | None = None) -> KafkaRecord:
    envelope = Envelope(type=event.event_type, source="test", subject=event.subject,
                        municipality=municipality, data=event.model_dump_json().encode(),
                        traceparent=traceparent)
    return KafkaRecord(envelope, event.subject.encode())
