"""Consumer expectations (contracts/consumers/<consumer>.yaml) against the producers: every
inbox consumer declares what it reads from each event it handles; the declaration is what its
handlers really read; and the producers' current schemas still give it all of that. A producer
that drops or retypes a field a consumer reads fails here, naming the consumer."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any
from uuid import UUID

import kyodo_residents_events as residents_events
import kyodo_tax_events as tax_events
import pytest
from pydantic import BaseModel, ConfigDict

from kyodo_common.events import DomainEvent, Envelope
from kyodo_common.events.inbox import Subscription
from kyodo_common.events.stores import InboxUnitOfWork
from kyodo_launcher.contracts import consumers as contracts
from kyodo_launcher.contracts import recording
from kyodo_launcher.contracts.documents import render_events
from kyodo_launcher.contracts.export import CONTRACTS

from .event_models import changed

DIRECTORY = Path(__file__).resolve().parents[2] / CONTRACTS / "consumers"
CONSUMERS = {c.name: c for c in contracts.consumers()}


def current_schemas() -> dict[str, dict[str, Any]]:
    """Every event type's JSON Schema as the producers' code defines it now."""
    return contracts.event_schemas_by_type(render_events())


@cache
def schemas_now() -> Mapping[str, dict[str, Any]]:
    return current_schemas()


def expectations(name: str) -> contracts.Expectations:
    loaded = contracts.load(DIRECTORY, CONSUMERS[name])
    assert loaded is not None, (
        f"{name} has no contracts/consumers/{name}.yaml: `make contracts` drafts it")
    return loaded


def broken(schemas: Mapping[str, Mapping[str, Any]]) -> list[str]:
    return [problem for name in CONSUMERS
            for problem in contracts.broken_expectations(expectations(name), schemas)]


def test_the_consumers_are_found_in_the_workers() -> None:
    assert set(CONSUMERS) >= {"residents.transfers", "certificates.read-models",
                              "tax.read-models", "disaster.read-models"}


def test_no_expectations_of_a_consumer_that_does_not_exist() -> None:
    files = {p.name for p in DIRECTORY.glob("*.yaml")}
    assert files == {c.file_name for c in CONSUMERS.values()}


@pytest.mark.parametrize("name", sorted(CONSUMERS))
def test_every_subscription_has_its_expectations(name: str) -> None:
    subscribed = set(contracts.subscriptions_by_handler(CONSUMERS[name]))
    declared = contracts.declared_pairs(expectations(name))
    assert subscribed - declared == set(), "subscribed, not declared"
    assert declared - subscribed == set(), "declared, not subscribed"


@pytest.mark.parametrize("name", sorted(CONSUMERS))
def test_every_handler_takes_its_stores_from_an_inbox_unit_of_work(name: str) -> None:
    """One way to a store (ADR 0021): each subscription's handler is wrapped with
    kyodo_common.events.stores.with_unit_of_work and the service's InboxUnitOfWork."""
    for subscription in CONSUMERS[name].subscriptions:
        wrapper = subscription.run_handler or subscription.handler
        unit_of_work = inspect.getclosurevars(wrapper).nonlocals.get("unit_of_work")
        assert isinstance(unit_of_work, type) and issubclass(unit_of_work, InboxUnitOfWork), (
            f"{name}: {recording.handler_name(subscription)} on {subscription.event.__name__} "
            "does not take an inbox unit of work (with_unit_of_work)")


@pytest.mark.parametrize("name", sorted(CONSUMERS))
def test_the_producers_give_each_consumer_what_it_reads(name: str) -> None:
    assert contracts.broken_expectations(expectations(name), schemas_now()) == []


@pytest.mark.parametrize("name", sorted(CONSUMERS))
def test_the_expectations_are_what_the_handlers_read(name: str) -> None:
    """Each handler, run on example events built from the producer's schema, reads exactly
    the fields its consumer declares (an undeclared read would go unprotected)."""
    by_handler = contracts.subscriptions_by_handler(CONSUMERS[name])
    for reads in expectations(name).reads:
        for event_type in reads.events:
            subscription = by_handler[(reads.handler, event_type)]
            read = recording.recorded_reads(subscription, schemas_now()[event_type],
                                            reads.examples)
            assert read == set(reads.fields), (
                f"{name}: {reads.handler} on {event_type} reads undeclared "
                f"{sorted(read - set(reads.fields))}; declares unread "
                f"{sorted(set(reads.fields) - read)}")


# -- the producer breaks a consumer ----------------------------------------------------------


def test_removing_a_field_from_an_event_model_names_the_consumers_it_breaks(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """ResidentMovedIn without `effective_date`: tax records it in the register history and
    certificates falls back to it for the registration date; disaster never reads it."""
    monkeypatch.setattr(residents_events, "ResidentMovedIn",
                        changed(residents_events.ResidentMovedIn, remove="effective_date"))
    problems = broken(current_schemas())
    assert problems == [
        "consumer certificates.read-models (kyodo_certificates.service_layer."
        "when_register_changes_update_residents.when_register_changes_update_residents) "
        "reads effective_date of jp.kyodo.resident.moved_in.v1, which residents no longer "
        "sends",
        "consumer tax.read-models (kyodo_tax.service_layer.when_register_changes_record_"
        "history.when_register_changes_record_history) reads effective_date of "
        "jp.kyodo.resident.moved_in.v1, which residents no longer sends",
    ]


def test_removing_a_field_no_consumer_reads_breaks_no_consumer(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(residents_events, "ResidentMovedIn",
                        changed(residents_events.ResidentMovedIn, remove="late_filing"))
    assert broken(current_schemas()) == []


def test_changing_the_type_of_a_field_names_the_consumer_it_breaks(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tax_events, "TaxAssessed", changed(
        tax_events.TaxAssessed, retype=("fiscal_year", str)))  # "R8" instead of 2026
    assert broken(current_schemas()) == [
        "consumer certificates.read-models (kyodo_certificates.service_layer.when_tax_is_"
        "assessed_update_assessments.when_tax_assessment_changes_update_assessments) reads "
        "fiscal_year of jp.kyodo.tax.assessed.v1 as integer, but tax now sends string",
        "consumer webhooks.fan-out (kyodo_webhooks.service_layer.fan_out.when_events_notify) "
        "reads fiscal_year of jp.kyodo.tax.assessed.v1 as integer, but tax now sends string"]


def test_an_event_type_no_producer_publishes_any_more_is_reported() -> None:
    schemas = dict(schemas_now())
    del schemas["jp.kyodo.identity.municipality_configured.v1"]
    problems = broken(schemas)
    assert len(problems) == 2
    assert all("handles jp.kyodo.identity.municipality_configured.v1, which no producer "
               "publishes any more" in p for p in problems)
    assert {p.split()[1] for p in problems} == {"certificates.read-models", "tax.read-models"}


# -- the recorder itself, on a handler written for the test ----------------------------------


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    kept: str
    ignored: str
    optional: str | None = None


class _Noted(DomainEvent):
    event_type = "jp.kyodo.test.noted.v1"
    topic = "kyodo.test.v1"
    owner: str
    parts: tuple[_Part, ...]
    whole: _Part
    flag: bool
    unread: int


async def _handler(session: Any, event: _Noted, envelope: Envelope) -> None:
    for part in event.parts:
        _ = part.optional or part.kept  # `kept` is read only when `optional` is empty
    if event.flag:
        await session.execute(event.whole.model_dump(mode="json"))


def test_the_recorder_notes_exactly_the_fields_read_on_every_branch() -> None:
    subscription = Subscription(_Noted, _handler, tenant=lambda event, _: event.owner)
    schema = _Noted.model_json_schema()
    assert recording.recorded_reads(subscription, schema, {}) == {
        "owner",  # by the tenant function
        "parts[].optional", "parts[].kept", "flag", "whole"}


def test_an_example_the_producer_refuses_asks_for_a_value() -> None:
    class _Strict(_Noted):
        event_type = "jp.kyodo.test.strict.v1"

        def model_post_init(self, _: Any) -> None:
            if not self.owner.startswith("https://"):
                raise ValueError("an origin")

    subscription = Subscription(_Strict, _handler)
    schema = _Strict.model_json_schema()
    with pytest.raises(recording.ExampleRefused, match="examples:"):
        recording.recorded_reads(subscription, schema, {})
    assert "owner" not in recording.recorded_reads(
        Subscription(_Strict, _handler), schema, {"owner": "https://example.jp"})


def test_a_uuid_field_is_given_a_uuid() -> None:
    class _Ids(DomainEvent):
        event_type = "jp.kyodo.test.ids.v1"
        topic = "kyodo.test.v1"
        resident_id: UUID
        household_id: UUID | None

    seen: list[Any] = []

    async def handler(session: Any, event: _Ids, envelope: Envelope) -> None:
        seen.append((event.resident_id, event.household_id))

    recording.recorded_reads(Subscription(_Ids, handler), _Ids.model_json_schema(), {})
    assert isinstance(seen[0][0], UUID) and isinstance(seen[0][1], UUID)  # full
    assert seen[1][1] is None  # sparse


def test_export_drafts_the_file_of_a_new_consumer(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """As for a new service's consumer: without its file, `make contracts` drafts it from
    what the handlers read; one whose example events need a value says which handler."""
    import shutil

    import kyodo_launcher.contracts.export as export_module

    monkeypatch.setattr(export_module, "render", lambda *_: {
        **export_module.committed(DIRECTORY.parent), **render_events()})
    shutil.copytree(DIRECTORY.parent, tmp_path / CONTRACTS)
    (tmp_path / CONTRACTS / "consumers/disaster.read-models.yaml").unlink()
    (tmp_path / CONTRACTS / "consumers/tax.read-models.yaml").unlink()

    result = export_module.export(tmp_path)

    assert result.drafted == ["consumers/disaster.read-models.yaml"]
    drafted = (tmp_path / CONTRACTS / "consumers/disaster.read-models.yaml").read_text()
    assert drafted == (DIRECTORY / "disaster.read-models.yaml").read_text()
    assert list(result.not_drafted) == ["consumers/tax.read-models.yaml"]
    assert "when_municipality_configured_keep_tax_config" in result.not_drafted[
        "consumers/tax.read-models.yaml"]
    assert "examples:" in result.not_drafted["consumers/tax.read-models.yaml"]
