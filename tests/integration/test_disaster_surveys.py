"""Declaration → houses → surveys → a re-survey on appeal that keeps the history."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database
from kyodo_testing import Infrastructure

from .conftest import SANJO
from .disaster_kit import Clerk, disaster_app, feed, published, resident, unique_block

pytestmark = pytest.mark.integration
PROBLEM = "application/problem+json"
PHOTO = {"file_name": "IMG_0001.jpg", "taken_at": "2024-07-12T09:30:00+09:00",
         "sha256": "c" * 64}


@pytest.fixture(scope="module")
async def client(infrastructure: Infrastructure, tmp_path_factory: pytest.TempPathFactory
                 ) -> AsyncIterator[httpx.AsyncClient]:
    async with disaster_app(infrastructure, tmp_path_factory.mktemp("var")) as c:
        yield c


async def test_a_declaration_is_published_and_a_bad_window_names_its_field(
    client: httpx.AsyncClient, infrastructure: Infrastructure,
) -> None:
    clerk = Clerk(client, SANJO)
    declared = await clerk.declare(name="令和6年7月豪雨")
    assert declared["kind_label"] == "水害" and declared["version"] == 1
    events = await published(infrastructure, declared["id"])
    assert [t for t, _ in events] == ["jp.kyodo.disaster.declared.v1"]
    assert events[0][1]["name"] == "令和6年7月豪雨"

    today = today_in_japan()
    refused = await clerk.post("/disasters", {
        "name": "x", "kind": "flood", "occurred_on": today.isoformat(),
        "affected_area": ["元町"], "application_opens_on": today.isoformat(),
        "application_closes_on": (today + timedelta(days=200)).isoformat()})
    assert refused.status_code == 422 and refused.headers["content-type"] == PROBLEM
    assert refused.json()["invalid_params"][0]["name"] == "application_closes_on"

    extended = await client.patch(clerk.url(f"/disasters/{declared['id']}"), json={
        "application_closes_on": (today + timedelta(days=150)).isoformat()},
        headers={**clerk.headers, "If-Match": 'W/"1"'})
    assert extended.status_code == 200, extended.text
    assert extended.headers["ETag"] == 'W/"2"'
    stale = await client.patch(clerk.url(f"/disasters/{declared['id']}"), json={
        "affected_area": ["元町"]}, headers={**clerk.headers, "If-Match": 'W/"1"'})
    assert stale.status_code == 412


async def test_surveys_grade_the_house_and_a_resurvey_keeps_history_and_is_published(
    client: httpx.AsyncClient, disaster_db: Database, infrastructure: Infrastructure,
) -> None:
    address = f"新潟県三条市旭町二丁目{unique_block()}番1号"
    household = uuid.uuid4()
    head = resident(address=address, household_id=household)
    wife = resident(address=address, given="花子", household_id=household, relationship="妻")
    await feed(disaster_db, SANJO, head, wife)
    clerk = Clerk(client, SANJO)
    disaster = await clerk.declare()
    house = await clerk.house(disaster["id"], address.replace("二丁目", "2丁目"))
    assert set(house["occupant_ids"]) == {str(head.resident_id), str(wife.resident_id)}

    first = await clerk.survey(house, "35.50", photos=[PHOTO], survey_ref="S-1")
    assert first.status_code == 201, first.text
    assert first.json()["grade"] == {"code": "medium_scale_half", "label": "中規模半壊"}
    assert first.headers["ETag"] == 'W/"2"'

    without = await clerk.post(f"/houses/{house['id']}/surveys", {
        "kind": "second", "damage_ratio": "45", "surveyed_on": today_in_japan().isoformat()})
    assert without.status_code == 428
    stale = await clerk.survey(house, "45", kind="second", version=1)
    assert stale.status_code == 412

    again = await clerk.survey(house, "45", kind="二次調査", version=2,
                               appeal_reason="浸水深の再測定を求める")
    assert again.status_code == 201, again.text
    body = again.json()
    assert body["grade"]["label"] == "大規模半壊" and body["survey_version"] == 2
    assert [(s["version"], s["kind"], s["grade"]["label"]) for s in body["surveys"]] == [
        (1, "一次調査", "中規模半壊"), (2, "二次調査", "大規模半壊")]
    assert body["surveys"][0]["photos"][0]["sha256"] == "c" * 64

    events = await published(infrastructure, house["id"])
    assert [t for t, _ in events] == ["jp.kyodo.disaster.house_damage_assessed.v1",
                                      "jp.kyodo.disaster.house_damage_reassessed.v1"]
    reassessed = events[1][1]
    assert (reassessed["grade"], reassessed["previous_grade"]) == ("大規模半壊", "中規模半壊")
    assert (reassessed["version"], reassessed["survey_version"]) == (3, 2)
    assert reassessed["householder_resident_id"] == str(head.resident_id)
    assert reassessed["disaster"]["name"] == disaster["name"]
    assert reassessed["certificate_requested"] is False
    assert "太郎" not in str(reassessed), "residents travel by id, never by name"
    assert not [k for k in reassessed if "amount" in k or "support" in k]

    read = await clerk.get(f"/houses/{house['id']}")
    assert read.status_code == 200 and read.headers["ETag"] == 'W/"3"'
    no_purpose = await client.get(clerk.url(f"/houses/{house['id']}"),
                                  headers={"Authorization": clerk.headers["Authorization"]})
    assert no_purpose.status_code == 400
    assert no_purpose.json()["invalid_params"][0]["name"] == "X-Kyodo-Purpose"


async def test_self_assessment_needs_damage_clearly_under_ten_percent_agreement_and_photos(
    client: httpx.AsyncClient,
) -> None:
    clerk = Clerk(client, SANJO)
    disaster = await clerk.declare()
    house = await clerk.house(disaster["id"], f"新潟県三条市元町{unique_block()}番地")
    for changes, field in (({"damage_ratio": "12"}, "damage_ratio"),
                           ({"applicant_agrees": False}, "applicant_agrees"),
                           ({"photos": []}, "photos")):
        body: dict[str, Any] = {"method": "self", "applicant_agrees": True, "photos": [PHOTO],
                                **changes}
        ratio = str(body.pop("damage_ratio", "5"))
        refused = await clerk.survey(house, ratio, **body)
        assert refused.status_code == 422, refused.text
        assert refused.json()["invalid_params"][0]["name"] == field
    accepted = await clerk.survey(house, "5", method="自己判定", applicant_agrees=True,
                                  photos=[PHOTO])
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["grade"]["code"] == "partial"
    assert accepted.json()["surveys"][0]["method"] == "自己判定"


async def test_houses_outside_the_area_and_twice_entered_are_refused_and_posts_are_idempotent(
    client: httpx.AsyncClient,
) -> None:
    clerk = Clerk(client, SANJO)
    disaster = await clerk.declare()
    outside = await clerk.post(f"/disasters/{disaster['id']}/houses", {
        "postal_code": "955-0000", "address": "新潟県三条市東裏館1丁目1番1号"})
    assert outside.status_code == 422
    assert outside.json()["invalid_params"][0]["reason"].startswith("the house is outside")
    body = {"postal_code": "955-8686", "address": f"新潟県三条市元町{unique_block()}番地"}
    first = await clerk.post(f"/disasters/{disaster['id']}/houses", body, key="same-key-1")
    again = await clerk.post(f"/disasters/{disaster['id']}/houses", body, key="same-key-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again.headers["ETag"] == 'W/"1"'
    twice = await clerk.post(f"/disasters/{disaster['id']}/houses", body)
    assert twice.status_code == 409


async def test_a_resident_whose_move_out_is_announced_still_occupies_the_house(
    client: httpx.AsyncClient, disaster_db: Database,
) -> None:
    """An announced 転出 (a later day) leaves the person registered at the address until then:
    an occupant; one who has moved out is not."""
    address = f"新潟県三条市旭町二丁目{unique_block()}番1号"
    staying = resident(address=address, status="announced")
    gone = resident(address=address, given="次郎", status="moved_out")
    await feed(disaster_db, SANJO, staying, gone)
    clerk = Clerk(client, SANJO)
    disaster = await clerk.declare()
    house = await clerk.house(disaster["id"], address)
    assert house["occupant_ids"] == [str(staying.resident_id)]
