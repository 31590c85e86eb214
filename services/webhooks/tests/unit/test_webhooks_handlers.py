"""Webhooks' handlers through the write pipeline, on stores in memory (kyodo_webhooks.testing):
a subscription's states (who may move it where, with which version), and the fan-out, which
never announces a person under 支援措置 to a subscriber who may not see them. No PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from kyodo_residents_events import ResidentMovedOut, ResidentState

from kyodo_common.assertion import Acting
from kyodo_common.auth import Principal
from kyodo_common.clock import today_in_japan
from kyodo_common.crypto import FieldCipher, new_secret_key
from kyodo_common.errors import Conflict, Forbidden, NotFound, PreconditionFailed
from kyodo_common.events import Envelope
from kyodo_common.idempotency import StoredResponse
from kyodo_common.privacy import PROTECTED_SCOPE
from kyodo_common.testing import MemoryKeys
from kyodo_common.write_pipeline import Command, Handler, WritePipeline
from kyodo_webhooks.service_layer import commands as c
from kyodo_webhooks.service_layer import handlers
from kyodo_webhooks.service_layer.context import WebhooksContext
from kyodo_webhooks.service_layer.fan_out import when_events_notify
from kyodo_webhooks.settings import WebhooksSettings
from kyodo_webhooks.testing import SANJO, FakeWebhooks

MOVED_OUT = ResidentMovedOut.event_type
CONTEXT = WebhooksContext(cipher=FieldCipher(new_secret_key(), "webhooks-secret"),
                          public_url="https://kyodo.example", allow_private=False,
                          settings=WebhooksSettings())


def caller(subject: str, *scopes: str, kind: str = "client", home: str = SANJO,
           grant_id: str | None = None) -> Acting:
    principal = Principal(subject=subject, home_municipality=home, kind=kind,
                          roles=frozenset(), scopes=frozenset(scopes), expires_at=0.0,
                          token_id="t")
    return Acting(principal=principal, municipality=SANJO, scopes=principal.scopes,
                  grant_id=grant_id, expires_at=0.0)


PARTNER = caller("partner-client", "webhooks:subscribe", "residents:read")
OTHER_PARTNER = caller("other-client", "webhooks:subscribe", "residents:read")
ADMIN = caller("admin-1", "webhooks:manage", "residents:read", PROTECTED_SCOPE, kind="staff")


class Town:
    """The pipeline on webhooks in memory, for Sanjo."""

    def __init__(self) -> None:
        self.db = FakeWebhooks()
        self.pipeline = WritePipeline(None, source="kyodo/webhooks", keys=MemoryKeys(),
                                      unit_of_work=self.db.unit_of_work)
        self.handlers = handlers.WebhooksHandlers(CONTEXT)

    async def run(self, command: Command, handler: Handler[Any]) -> StoredResponse:
        acting: Acting = getattr(command, "caller")  # noqa: B009 - every command has one
        return await self.pipeline.answer(command, handler, acting=acting,
                                          key=str(uuid.uuid4()),
                                          fingerprint=(type(command).__name__, repr(command)))

    async def subscribe(self, acting: Acting, *types: str) -> dict[str, Any]:
        answer = await self.run(c.Subscribe(
            caller=acting, callback_url="https://partner.example/kyodo",
            event_types=list(types or (MOVED_OUT,)), filters=None, description="転出の通知"),
            self.handlers.subscribe)
        assert answer.status == 201
        body: dict[str, Any] = answer.body
        return body

    async def change(self, acting: Acting, subscription: dict[str, Any], change: str,
                     version: int | None = None) -> dict[str, Any]:
        answer = await self.run(c.ChangeState(
            caller=acting, subscription_id=uuid.UUID(subscription["id"]),
            expected_version=version, change=change),  # type: ignore[arg-type]
            handlers.change_state)
        body: dict[str, Any] = answer.body
        return body

    def state(self, subscription: dict[str, Any]) -> str:
        return str(self.db.subscriptions[uuid.UUID(subscription["id"])]["state"])


async def test_a_partners_subscription_waits_for_the_admin_and_an_admins_is_active() -> None:
    town = Town()
    partner = await town.subscribe(PARTNER)
    own = await town.subscribe(ADMIN)
    granted = await town.subscribe(caller("nagaoka-clerk", "webhooks:subscribe",
                                          "residents:read", kind="staff", home="152021",
                                          grant_id="grant-1"))

    assert (partner["state"], own["state"], granted["state"]) == (
        "pending_approval", "active", "active")
    stored = town.db.subscriptions[uuid.UUID(partner["id"])]["secret"]
    assert partner["secret"] and partner["secret"].encode() not in stored  # sealed
    approved = await town.change(ADMIN, partner, "approve", version=1)
    assert (approved["state"], approved["approved_by"], approved["version"]) == (
        "active", "admin-1", 2)


async def test_pause_resume_and_end_follow_the_states_and_end_is_for_good() -> None:
    town = Town()
    subscription = await town.subscribe(ADMIN)
    assert (await town.change(ADMIN, subscription, "pause"))["state"] == "paused"
    assert (await town.change(ADMIN, subscription, "resume"))["state"] == "active"
    ended = await town.change(ADMIN, subscription, "end")
    assert (ended["state"], ended["ended_by"]) == ("ended", "admin-1")
    for change in ("resume", "pause", "approve", "end"):
        with pytest.raises(Conflict):
            await town.change(ADMIN, subscription, change)
    assert town.state(subscription) == "ended"


@pytest.mark.parametrize(("change", "from_state"), [
    ("approve", "active"), ("resume", "active"), ("pause", "pending_approval"),
    ("resume", "pending_approval")])
async def test_a_change_its_state_does_not_allow_is_a_conflict_and_changes_nothing(
    change: str, from_state: str,
) -> None:
    town = Town()
    subscription = await town.subscribe(ADMIN if from_state == "active" else PARTNER)
    with pytest.raises(Conflict):
        await town.change(ADMIN, subscription, change)
    assert town.state(subscription) == from_state


async def test_only_the_admin_approves_and_only_the_owner_or_admin_sees_a_subscription() -> None:
    town = Town()
    subscription = await town.subscribe(PARTNER)
    with pytest.raises(Forbidden):
        await town.change(PARTNER, subscription, "approve")
    with pytest.raises(NotFound):  # another client does not learn it exists
        await town.change(OTHER_PARTNER, subscription, "end")
    assert town.state(subscription) == "pending_approval"
    assert (await town.change(PARTNER, subscription, "end"))["state"] == "ended"


async def test_a_stale_version_is_refused_and_changes_nothing() -> None:
    town = Town()
    subscription = await town.subscribe(ADMIN)
    await town.change(ADMIN, subscription, "pause", version=1)
    with pytest.raises(PreconditionFailed):
        await town.change(ADMIN, subscription, "resume", version=1)
    assert town.state(subscription) == "paused"


def _person(*, protected: bool) -> ResidentState:
    return ResidentState(
        resident_id=uuid.uuid4(), platform_person_id=uuid.uuid4(),
        resident_number="0000000019", version=2, status="moved_out", family_name="三条",
        given_name="花子", family_name_kana="サンジョウ", given_name_kana="ハナコ",
        birth_date=date(1990, 1, 1), sex="female", nationality="JP", household_id=None,
        household_number=None, relationship="世帯主", postal_code="9558686",
        address="新潟県三条市旭町二丁目1番1号", protected=protected,
        protected_from=date(2020, 1, 1) if protected else None,
        protected_until=date(2099, 1, 1) if protected else None)


def _moved_out(person: ResidentState) -> tuple[ResidentMovedOut, Envelope]:
    event = ResidentMovedOut(municipality_code=SANJO, effective_date=today_in_japan(),
                             reason="転出", residents=(person,), subject_id=person.resident_id)
    return event, Envelope(type=event.event_type, source="kyodo/residents",
                           subject=event.subject, municipality=SANJO,
                           data=event.model_dump_json().encode())


async def test_the_fan_out_never_announces_a_protected_person_to_a_partner() -> None:
    town = Town()
    partner = await town.subscribe(PARTNER)
    await town.change(ADMIN, partner, "approve")
    admin = await town.subscribe(ADMIN)  # home staff with protected:read
    plain, protected = _person(protected=False), _person(protected=True)
    delivered = [_moved_out(plain), _moved_out(protected)]

    uow = town.db.inbox_unit_of_work()
    await when_events_notify(uow, delivered)  # type: ignore[arg-type]
    uow.flush()

    queued = {(str(d["subscription_id"]), d["event_id"]) for d in town.db.deliveries.values()}
    assert queued == {(partner["id"], delivered[0][1].id), (admin["id"], delivered[0][1].id),
                      (admin["id"], delivered[1][1].id)}
    # The measure is remembered, so a later event naming the person only by id is held too.
    assert town.db.protected_people[protected.resident_id]["protected"] is True


async def test_a_redelivered_event_queues_nothing_twice_and_a_paused_subscriber_still_queues(
) -> None:
    town = Town()
    subscription = await town.subscribe(ADMIN)
    await town.change(ADMIN, subscription, "pause")
    delivered = [_moved_out(_person(protected=False))]
    for _ in range(2):
        uow = town.db.inbox_unit_of_work()
        await when_events_notify(uow, delivered)  # type: ignore[arg-type]
        uow.flush()
    assert len(town.db.deliveries) == 1
