"""Households move together: 世帯全員の転出 / 転入 in one request, and 世帯変更 (DOMAIN.md §3).

One request, one transaction, one idempotency key; one event (and, to a platform town, one
transfer notice) per person; a refusal for one member changes nothing for anyone.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from kyodo_residents_events import ResidentMovedIn, ResidentMovedOut, TransferNoticeIssued

from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database
from kyodo_common.events import Envelope
from kyodo_residents.service_layer.unit_of_work import RegisterInboxUnitOfWork
from kyodo_residents.service_layer.when_transfer_notice_issued_offer_move_in import (
    when_transfer_notice_issued_offer_move_in,
)
from kyodo_testing import Infrastructure, TokenMinter

from .conftest import NAGAOKA, SANJO
from .db_roles import as_owner, as_relay
from .residents_client import Clerk, residents_app

pytestmark = pytest.mark.integration
NAGAOKA_ADDRESS = {"address": "新潟県長岡市大手通1丁目4番地10", "municipality_code": NAGAOKA,
                   "postal_code": "940-0062"}


def day(offset: int) -> str:
    return (today_in_japan() + timedelta(days=offset)).isoformat()


@pytest.fixture(scope="module")
async def clerks(infrastructure: Infrastructure, tokens: TokenMinter,
                 tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[tuple[Clerk, Clerk]]:
    async with residents_app(infrastructure, tmp_path_factory.mktemp("var")) as client:
        yield Clerk(client, SANJO, tokens), Clerk(client, NAGAOKA, tokens)


async def _family(clerk: Clerk, family: str = "山田") -> dict[str, Any]:
    """A head, a spouse and a child living together since two months ago."""
    head = (await clerk.move_in(family=family, effective=day(-60)))["residents"][0]
    household = head["household_id"]
    join = {"household_id": household}
    spouse = (await clerk.move_in(family=family, given="花子", kana=("ヤマダ", "ハナコ"),
                                  sex="female", effective=day(-60),
                                  household={"join": {**join, "relationship": "妻"}}))
    child = (await clerk.move_in(family=family, given="一郎", kana=("ヤマダ", "イチロウ"),
                                 birth="2010-05-05", effective=day(-60),
                                 household={"join": {**join, "relationship": "子"}}))
    return {"head": head, "spouse": spouse["residents"][0], "child": child["residents"][0],
            "household": household}


async def _alone(clerk: Clerk, given: str = "次郎") -> dict[str, Any]:
    """Somebody heading a household of their own, at another address."""
    person = (await clerk.move_in(family="佐藤", given=given, kana=("サトウ", "ジロウ"),
                                  effective=day(-60), household={"new_household": {
                                      "postal_code": "955-0071",
                                      "address": "新潟県三条市本町2丁目1番"}}))
    return dict(person["residents"][0])


async def _etag(clerk: Clerk, path: str) -> int:
    response = await clerk.get(path)
    assert response.status_code == 200, response.text
    return int(response.headers["ETag"].removeprefix("W/").strip('"'))


async def _outbox(infrastructure: Infrastructure, event_type: str, subjects: list[str]
                  ) -> list[Any]:
    return await as_relay(infrastructure, "residents",
                          "SELECT event_id, data, municipality_code, subject FROM outbox "
                          "WHERE type = $1 AND subject = ANY($2::text[]) ORDER BY subject",
                          event_type, subjects)


async def _register_counts(infrastructure: Infrastructure, code: str) -> tuple[int, int, int]:
    [row] = await as_owner(infrastructure, "residents", code,
                           "SELECT (SELECT count(*) FROM residents) AS r, "
                           "(SELECT count(*) FROM resident_history) AS h, "
                           "(SELECT count(*) FROM households) AS w")
    return row["r"], row["h"], row["w"]


async def _outbox_count(infrastructure: Infrastructure) -> int:
    [row] = await as_relay(infrastructure, "residents", "SELECT count(*) AS o FROM outbox")
    return int(row["o"])


async def _deliver_notices(infrastructure: Infrastructure, residents_db: Database,
                           ids: list[str]) -> list[TransferNoticeIssued]:
    """The destination's consumer takes the notices in, as the worker would."""
    rows = await _outbox(infrastructure, TransferNoticeIssued.event_type, ids)
    notices = []
    for row in rows:
        event = TransferNoticeIssued.model_validate_json(row["data"])
        envelope = Envelope(id=str(row["event_id"]), source="kyodo/residents",
                            type=TransferNoticeIssued.event_type, subject=row["subject"],
                            municipality=row["municipality_code"], data=row["data"].encode())
        # Addressed to the destination: run in its tenant's transaction, as worker.py says.
        async with residents_db.tenant_transaction(event.destination_municipality) as session:
            await when_transfer_notice_issued_offer_move_in(RegisterInboxUnitOfWork(session),
                                                            event, envelope)
        notices.append(event)
    return notices


async def test_a_household_moves_out_to_a_platform_town_and_in_there_in_one_request_each(
    clerks: tuple[Clerk, Clerk], infrastructure: Infrastructure, residents_db: Database,
) -> None:
    sanjo, nagaoka = clerks
    family = await _family(sanjo)
    ids = [family[m]["resident_id"] for m in ("head", "spouse", "child")]
    protected = await sanjo.post(f"/{family['child']['resident_id']}/protection-measures",
                                 {"starts_on": day(-1)})
    assert protected.status_code == 201, protected.text
    household = family["household"]
    body = {"effective_date": day(0), "destination": NAGAOKA_ADDRESS}
    key = uuid.uuid4().hex
    version = await _etag(sanjo, f"/households/{household}")

    moved = await sanjo.post(f"/households/{household}/move-out", body, version=version,
                             key=key)
    assert moved.status_code == 200, moved.text
    assert moved.json()["reason"] == "転出" and moved.json()["late_filing"] is False
    states = moved.json()["residents"]
    assert sorted(s["resident_id"] for s in states) == sorted(ids)
    assert {s["status"] for s in states} == {"moved_out"}
    left = (await sanjo.get(f"/households/{household}")).json()
    assert left["members"] == [] and left["dissolved_on"] == day(0)

    # One event and one transfer notice per person, each carrying that person only.
    moved_out = await _outbox(infrastructure, ResidentMovedOut.event_type, ids)
    assert sorted(r["subject"] for r in moved_out) == sorted(ids)
    for row in moved_out:
        event = ResidentMovedOut.model_validate_json(row["data"])
        assert [str(s.resident_id) for s in event.residents] == [row["subject"]]
        assert "my_number" not in row["data"]
    outbox = await _outbox_count(infrastructure)

    # The same key replays the same answer; nothing more happens.
    again = await sanjo.post(f"/households/{household}/move-out", body, version=version,
                             key=key)
    assert again.status_code == 200 and again.json() == moved.json()
    assert await _outbox_count(infrastructure) == outbox

    notices = await _deliver_notices(infrastructure, residents_db, ids)
    assert len(notices) == 3
    assert {n.destination_municipality for n in notices} == {NAGAOKA}
    by_name = {n.resident.given_name: n for n in notices}
    assert by_name["一郎"].resident.protected_until is not None

    before = await _register_counts(infrastructure, NAGAOKA)
    moved_in = await nagaoka.post("/household-transfer-move-ins", {
        "transfer_ids": [str(n.transfer_id) for n in notices], "effective_date": day(0)})
    assert moved_in.status_code == 201, moved_in.text
    assert moved_in.json()["reason"] == "転入"
    there = {s["given_name"]: s for s in moved_in.json()["residents"]}
    assert {s["household_id"] for s in there.values()} == {there["太郎"]["household_id"]}
    assert {n: s["relationship"] for n, s in there.items()} == {
        "太郎": "世帯主", "花子": "妻", "一郎": "子"}
    assert {s["address"] for s in there.values()} == {NAGAOKA_ADDRESS["address"]}
    # 支援措置 travels with the one who had it, and only with them.
    assert {n: s["protected"] for n, s in there.items()} == {
        "太郎": False, "花子": False, "一郎": True}
    assert there["一郎"]["protected_until"] == str(by_name["一郎"].resident.protected_until)
    assert await _register_counts(infrastructure, NAGAOKA) == (
        before[0] + 3, before[1] + 3, before[2] + 1)

    new_ids = [s["resident_id"] for s in there.values()]
    moved_in_events = await _outbox(infrastructure, ResidentMovedIn.event_type, new_ids)
    assert sorted(r["subject"] for r in moved_in_events) == sorted(new_ids)
    assert {r["municipality_code"] for r in moved_in_events} == {NAGAOKA}
    members = (await nagaoka.get(f"/households/{there['太郎']['household_id']}")).json()
    assert [m["given_name"] for m in members["members"]] == ["太郎", "花子", "一郎"]
    incoming = (await nagaoka.get("/transfers/incoming", limit=500)).json()["items"]
    assert not {t["id"] for t in incoming} & {str(n.transfer_id) for n in notices}


async def test_a_refusal_for_one_member_moves_nobody_out(
    clerks: tuple[Clerk, Clerk], infrastructure: Infrastructure,
) -> None:
    sanjo, _ = clerks
    family = await _family(sanjo)
    stranger = await _alone(sanjo)
    household = family["household"]
    version = await _etag(sanjo, f"/households/{household}")
    before = await _register_counts(infrastructure, SANJO), await _outbox_count(infrastructure)

    refused = await sanjo.post(f"/households/{household}/move-out", {
        "effective_date": day(0), "destination": NAGAOKA_ADDRESS,
        "members": [family["head"]["resident_id"], stranger["resident_id"]]},
        version=version)
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert [p["name"] for p in refused.json()["invalid_params"]] == ["members[1]"]
    # The head leaves members behind: they need their new head.
    headless = await sanjo.post(f"/households/{household}/move-out", {
        "effective_date": day(0), "destination": NAGAOKA_ADDRESS,
        "members": [family["head"]["resident_id"]]}, version=version)
    assert headless.status_code == 422, headless.text
    assert [p["name"] for p in headless.json()["invalid_params"]] == ["new_head_id"]
    stale = await sanjo.post(f"/households/{household}/move-out", {
        "effective_date": day(0), "destination": NAGAOKA_ADDRESS}, version=version - 1)
    assert stale.status_code == 412, stale.text

    assert (await _register_counts(infrastructure, SANJO), await _outbox_count(infrastructure)
            ) == before
    members = (await sanjo.get(f"/households/{household}")).json()["members"]
    assert [m["status"] for m in members] == ["resident"] * 3


async def test_only_staff_who_see_protected_members_move_or_change_households(
    clerks: tuple[Clerk, Clerk], infrastructure: Infrastructure, tokens: TokenMinter,
) -> None:
    """Row-level security hides protected members from staff without protected:read: such a
    clerk would leave them behind in a household marked empty. Refused for every household,
    so the refusal tells nothing about who lives in this one."""
    sanjo, _ = clerks
    family = await _family(sanjo)
    other = await _alone(sanjo)
    blind = Clerk(sanjo.client, SANJO, tokens)
    blind.headers = {**blind.headers, "Authorization":
                     f"Bearer {tokens.token(SANJO, 'residents:read residents:write')}"}
    household = family["household"]
    before = await _register_counts(infrastructure, SANJO), await _outbox_count(infrastructure)
    moved = await blind.post(f"/households/{household}/move-out", {
        "effective_date": day(0), "destination": NAGAOKA_ADDRESS},
        version=await _etag(blind, f"/households/{household}"))
    assert moved.status_code == 403, moved.text
    target = f"/households/{other['household_id']}"
    joined = await blind.post(f"{target}/household-change", {
        "effective_date": day(0), "resident_id": family["child"]["resident_id"],
        "relationship": "同居人"}, version=await _etag(blind, target))
    assert joined.status_code == 403, joined.text
    assert (await _register_counts(infrastructure, SANJO), await _outbox_count(infrastructure)
            ) == before


async def test_part_of_a_household_moves_out_and_the_rest_get_their_new_head(
    clerks: tuple[Clerk, Clerk], infrastructure: Infrastructure,
) -> None:
    sanjo, _ = clerks
    family = await _family(sanjo)
    household = family["household"]
    moved = await sanjo.post(f"/households/{household}/move-out", {
        "effective_date": day(3), "destination": {"address": "Paris", "country": "France"},
        "members": [family["head"]["resident_id"], family["child"]["resident_id"]],
        "new_head_id": family["spouse"]["resident_id"]},
        version=await _etag(sanjo, f"/households/{household}"))
    assert moved.status_code == 200, moved.text
    assert moved.json()["reason"] == "国外転出"
    members = (await sanjo.get(f"/households/{household}")).json()
    assert [(m["given_name"], m["relationship"]) for m in members["members"]] == [
        ("花子", "世帯主")]
    assert members["dissolved_on"] is None
    # An event per person who left; the one who stays is no 転出's subject, her new 続柄 rides
    # on the head's event (as on one person's 転出).
    leavers = [family["head"]["resident_id"], family["child"]["resident_id"]]
    spouse = family["spouse"]["resident_id"]
    events = await _outbox(infrastructure, ResidentMovedOut.event_type, [*leavers, spouse])
    assert sorted(r["subject"] for r in events) == sorted(leavers)
    carried = {r["subject"]: [str(s.resident_id) for s in
                              ResidentMovedOut.model_validate_json(r["data"]).residents]
               for r in events}
    assert carried == {leavers[0]: [leavers[0], spouse], leavers[1]: [leavers[1]]}


async def test_a_household_move_in_is_all_or_nothing(
    clerks: tuple[Clerk, Clerk], infrastructure: Infrastructure, residents_db: Database,
) -> None:
    sanjo, nagaoka = clerks
    family = await _family(sanjo, family="高橋")
    other = await _alone(sanjo, given="三郎")
    household = family["household"]
    for path in (f"/households/{household}", f"/households/{other['household_id']}"):
        moved = await sanjo.post(f"{path}/move-out", {
            "effective_date": day(0), "destination": NAGAOKA_ADDRESS},
            version=await _etag(sanjo, path))
        assert moved.status_code == 200, moved.text
    ids = [family[m]["resident_id"] for m in ("head", "spouse", "child")]
    notices = {n.resident.given_name: n for n in await _deliver_notices(
        infrastructure, residents_db, [*ids, other["resident_id"]])}
    family_transfers = [str(notices[n].transfer_id) for n in ("太郎", "花子", "一郎")]
    # Somebody of another household is not taken into this one.
    mixed = await nagaoka.post("/household-transfer-move-ins", {
        "transfer_ids": [*family_transfers, str(notices["三郎"].transfer_id)],
        "effective_date": day(0)})
    assert mixed.status_code == 422, mixed.text
    assert [p["name"] for p in mixed.json()["invalid_params"]] == ["transfer_ids"]
    # The child's notice was used on its own: the household's request moves nobody in.
    alone = await nagaoka.post("/transfer-move-ins", {
        "transfer_id": family_transfers[2], "effective_date": day(0)})
    assert alone.status_code == 201, alone.text
    before = await _register_counts(infrastructure, NAGAOKA), await _outbox_count(infrastructure)
    used = await nagaoka.post("/household-transfer-move-ins", {
        "transfer_ids": family_transfers, "effective_date": day(0)})
    assert used.status_code == 409, used.text
    assert [p["name"] for p in used.json()["invalid_params"]] == ["transfer_ids[2]"]
    # Without the head, the clerk names who heads the household here.
    headless = await nagaoka.post("/household-transfer-move-ins", {
        "transfer_ids": family_transfers[1:2], "effective_date": day(0)})
    assert headless.status_code == 422, headless.text
    assert [p["name"] for p in headless.json()["invalid_params"]] == ["head_transfer_id"]
    assert (await _register_counts(infrastructure, NAGAOKA),
            await _outbox_count(infrastructure)) == before
    pending = {t["id"] for t in
               (await nagaoka.get("/transfers/incoming", limit=500)).json()["items"]}
    assert set(family_transfers[:2]) <= pending
    # One notice by its id: what a partner's notification of the transfer names.
    one = await nagaoka.get(f"/transfers/incoming/{family_transfers[0]}")
    assert one.status_code == 200 and one.json()["id"] == family_transfers[0], one.text
    assert (await nagaoka.get(f"/transfers/incoming/{uuid.uuid4()}")).status_code == 404


async def test_a_member_joins_another_household(clerks: tuple[Clerk, Clerk],
                                                infrastructure: Infrastructure) -> None:
    sanjo, _ = clerks
    family = await _family(sanjo)
    other = await _alone(sanjo)
    target = other["household_id"]
    child = family["child"]["resident_id"]
    changed = await sanjo.post(f"/households/{target}/household-change", {
        "effective_date": day(-20), "resident_id": child, "relationship": "同居人"},
        version=await _etag(sanjo, f"/households/{target}"))
    assert changed.status_code == 200, changed.text
    assert changed.json()["reason"] == "世帯変更"
    assert changed.json()["late_filing"] is True  # filed more than 14 days after
    state = next(s for s in changed.json()["residents"] if s["resident_id"] == child)
    assert (state["household_id"], state["relationship"], state["address"]) == (
        target, "同居人", "新潟県三条市本町2丁目1番")
    joined = (await sanjo.get(f"/households/{target}")).json()["members"]
    assert [(m["given_name"], m["relationship"]) for m in joined] == [
        ("次郎", "世帯主"), ("一郎", "同居人")]
    left = (await sanjo.get(f"/households/{family['household']}")).json()["members"]
    assert [m["given_name"] for m in left] == ["太郎", "花子"]
    assert len(await _outbox(infrastructure, "jp.kyodo.resident.household_changed.v1",
                             [child])) == 1
    on_time = await sanjo.post(f"/households/{family['household']}/household-change", {
        "effective_date": day(-14), "resident_id": child, "relationship": "子"},
        version=await _etag(sanjo, f"/households/{family['household']}"))
    assert on_time.status_code == 200, on_time.text
    assert on_time.json()["late_filing"] is False


async def test_the_head_joining_another_household_leaves_a_head_behind(
    clerks: tuple[Clerk, Clerk],
) -> None:
    sanjo, _ = clerks
    family = await _family(sanjo)
    other = await _alone(sanjo)
    target = other["household_id"]
    head, spouse = family["head"]["resident_id"], family["spouse"]["resident_id"]
    body = {"effective_date": day(0), "resident_id": head, "relationship": "縁故者"}
    version = await _etag(sanjo, f"/households/{target}")
    refused = await sanjo.post(f"/households/{target}/household-change", body, version=version)
    assert refused.status_code == 422, refused.text
    assert [p["name"] for p in refused.json()["invalid_params"]] == ["new_head_id"]
    assert len((await sanjo.get(f"/households/{target}")).json()["members"]) == 1
    changed = await sanjo.post(f"/households/{target}/household-change", {
        **body, "new_head_id": spouse,
        "relationships": {family["child"]["resident_id"]: "子"}}, version=version)
    assert changed.status_code == 200, changed.text
    left = (await sanjo.get(f"/households/{family['household']}")).json()["members"]
    assert [(m["given_name"], m["relationship"]) for m in left] == [
        ("花子", "世帯主"), ("一郎", "子")]


async def test_nobody_joins_a_dissolved_household_or_one_of_another_town(
    clerks: tuple[Clerk, Clerk], infrastructure: Infrastructure,
) -> None:
    sanjo, nagaoka = clerks
    family = await _family(sanjo)
    child = family["child"]["resident_id"]
    gone = await _alone(sanjo)
    path = f"/households/{gone['household_id']}"
    moved = await sanjo.post(f"{path}/move-out", {
        "effective_date": day(0), "destination": NAGAOKA_ADDRESS},
        version=await _etag(sanjo, path))
    assert moved.status_code == 200, moved.text
    elsewhere = await _alone(nagaoka)
    before = await _register_counts(infrastructure, SANJO), await _outbox_count(infrastructure)

    dissolved = await sanjo.post(f"{path}/household-change", {
        "effective_date": day(0), "resident_id": child, "relationship": "同居人"},
        version=await _etag(sanjo, path))
    assert dissolved.status_code == 409, dissolved.text
    assert [p["name"] for p in dissolved.json()["invalid_params"]] == ["household_id"]
    # Another town's household is not seen from here, nor this town's resident from there.
    other_town = await sanjo.post(f"/households/{elsewhere['household_id']}/household-change",
                                  {"effective_date": day(0), "resident_id": child,
                                   "relationship": "同居人"}, version=1)
    assert other_town.status_code == 404, other_town.text
    pulled = await nagaoka.post(f"/households/{elsewhere['household_id']}/household-change",
                                {"effective_date": day(0), "resident_id": child,
                                 "relationship": "同居人"},
                                version=await _etag(nagaoka,
                                                    f"/households/{elsewhere['household_id']}"))
    assert pulled.status_code == 422, pulled.text
    assert [p["name"] for p in pulled.json()["invalid_params"]] == ["resident_id"]
    assert (await _register_counts(infrastructure, SANJO), await _outbox_count(infrastructure)
            ) == before
    assert (await sanjo.get(f"/{child}")).json()["household_id"] == family["household"]
