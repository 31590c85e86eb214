"""Examples of the residents API, by operation id, for the published OpenAPI document
(kyodo_common.openapi; tests/contract checks each against its schema).

One fictitious family of 三条市 (152048), the 渡辺 household, through a counter season in
late 2026: nobody here is a real person, and the My Number is the documented test number.
Dates follow DOMAIN.md: an 異動日 is not after the day it is filed (only a 転出 is announced
ahead), 転入 and 転居 are filed within 14 days.
"""

from __future__ import annotations

from typing import Any

from kyodo_common.openapi import Example

CODE = "152048"  # 三条市
NAGAOKA = "152021"  # 長岡市
ADDRESS = "新潟県三条市東裏館二丁目15番8号"
POSTAL = "9550055"
STAFF = "3f1d2a6e-8b7c-4e59-a0d4-6c2b9e1f7a35"  # 三条市's counter clerk (a staff id)

HOUSEHOLD = "47fdfcf6-d382-4104-a222-05c37eb78f43"
NEW_HOUSEHOLD = "5c06b0ac-5a97-4392-878d-557bc41e7c6b"
KENICHI = "21f70ff6-9d03-4ce5-8036-80a36ca7aa59"
MISAKI = "b70376fd-5774-4ed6-b393-589f3cfc3c70"
HARUTO = "74612dc0-51a3-4afd-b199-7b00d97de88d"
YUI = "c39a0c0a-0dc7-45e9-bfda-e3151d91a833"
NAOKI = "69f95741-66af-41ce-a28b-8913f95b718d"
AKIRA = "5f078e10-990c-4a99-97a3-669e99ef3f2c"
AKIRA_HOUSEHOLD = "28c48d0d-51be-4d1d-9556-380f8c3fcb3e"
HANAKO = "88d5a6fe-4047-4ae6-822f-99ec0e210449"
HANAKO_HOUSEHOLD = "6c74f490-2293-43e9-9051-21ee2406ade7"
TRANSFER = "50778f5a-2a53-4910-84b8-cdc32afad494"
TRANSFER_2 = "619075fb-f411-437a-89ae-81d0f8862d5b"
MEASURE = "cdd2cc59-a85e-409f-83d1-76985e0f2513"

# The register as each person stands after their last change (ResidentState).
PEOPLE: dict[str, dict[str, Any]] = {
    KENICHI: {"platform_person_id": "0548d3a1-c1d1-4a1b-ae19-6d89ea8eb235",
              "resident_number": "0001203452", "family_name": "渡辺", "given_name": "健一",
              "family_name_kana": "ワタナベ", "given_name_kana": "ケンイチ",
              "birth_date": "1984-05-12", "sex": "male", "relationship": "世帯主"},
    MISAKI: {"platform_person_id": "bb0f0442-f773-46f9-a43a-8c3b6b3191a9",
             "resident_number": "0001203460", "family_name": "渡辺", "given_name": "美咲",
             "family_name_kana": "ワタナベ", "given_name_kana": "ミサキ",
             "birth_date": "1987-09-03", "sex": "female", "relationship": "妻"},
    HARUTO: {"platform_person_id": "402ddec3-bd27-4187-8ca1-ea3a2ed80f89",
             "resident_number": "0001203479", "family_name": "渡辺", "given_name": "陽斗",
             "family_name_kana": "ワタナベ", "given_name_kana": "ハルト",
             "birth_date": "2016-07-21", "sex": "male", "relationship": "子"},
    YUI: {"platform_person_id": "33f2df07-83f7-4a2d-91df-1d2965540e19",
          "resident_number": "0001203487", "family_name": "渡辺", "given_name": "結衣",
          "family_name_kana": "ワタナベ", "given_name_kana": "ユイ",
          "birth_date": "2026-11-28", "sex": "female", "relationship": "子"},
    NAOKI: {"platform_person_id": "26760a36-5b66-47db-a8c6-913895707075",
            "resident_number": "0001203509", "family_name": "小林", "given_name": "直樹",
            "family_name_kana": "コバヤシ", "given_name_kana": "ナオキ",
            "birth_date": "1979-02-08", "sex": "male", "relationship": "世帯主"},
    AKIRA: {"platform_person_id": "56d3465a-4248-415c-a349-e8b3c36eab21",
            "resident_number": "0001203525", "family_name": "髙橋", "given_name": "昭",
            "family_name_kana": "タカハシ", "given_name_kana": "アキラ",
            "birth_date": "1948-10-30", "sex": "male", "relationship": "世帯主"},
    HANAKO: {"platform_person_id": "00d9ce1c-8ea1-4bfe-b3b9-2bfb97f9cc22",
             "resident_number": "0001312103", "family_name": "佐藤", "given_name": "花子",
             "family_name_kana": "サトウ", "given_name_kana": "ハナコ",
             "birth_date": "1992-03-18", "sex": "female", "relationship": "世帯主"},
}


def state(resident_id: str, **changes: Any) -> dict[str, Any]:
    """A resident as a procedure's answer (and the events) show them."""
    return {"resident_id": resident_id, "version": 1, "status": "resident",
            "latin_name": None, "birth_date_partial": None, "nationality": "JP",
            "household_id": HOUSEHOLD, "household_number": "0000980714",
            "postal_code": POSTAL, "address": ADDRESS, "address_since": "2019-04-01",
            "became_resident_on": "2019-04-01", "left_on": None,
            "moved_in_from": "東京都練馬区石神井町三丁目9番4号", "protected": False,
            "protected_from": None, "protected_until": None, **PEOPLE[resident_id], **changes}


def result(reason: str, effective_date: str, *residents: dict[str, Any],
           late_filing: bool = False) -> dict[str, Any]:
    return {"reason": reason, "effective_date": effective_date, "late_filing": late_filing,
            "residents": list(residents)}


def public(resident_id: str, **changes: Any) -> dict[str, Any]:
    """GET …/residents/{id}: the record with its history dates."""
    s = state(resident_id, **changes)
    return {"id": resident_id, "municipality_code": CODE,
            **{k: s[k] for k in ("resident_number", "platform_person_id", "status",
                                 "family_name", "given_name", "family_name_kana",
                                 "given_name_kana", "latin_name", "birth_date",
                                 "birth_date_partial", "sex", "nationality", "household_id",
                                 "relationship", "postal_code", "address", "address_since",
                                 "became_resident_on", "moved_in_from", "left_on",
                                 "protected", "version")},
            "residence_status": None, "stay_until": None,
            "previous_address": s["moved_in_from"], "registered_on": s["became_resident_on"],
            "my_number": None}


NEW_HOUSEHOLD_IN_SANJO = {"postal_code": "955-0803", "address": "新潟県三条市月岡一丁目28番12号"}
TRANSFER_NOTICE = {
    "id": TRANSFER, "origin_municipality": NAGAOKA, "planned_move_date": "2026-11-20",
    "moved_out_on": "2026-11-13", "destination_address": "新潟県三条市旭町一丁目7番5号",
    "destination_postal_code": "9558686",
    "resident": state(NAOKI, status="announced", household_id=None, household_number=None,
                      relationship=None, postal_code="9400062",
                      address="新潟県長岡市大手通二丁目3番地10", address_since="2015-10-01",
                      became_resident_on="2015-10-01", moved_in_from=None, version=4),
}

SEARCH_HIT = {"id": KENICHI, "resident_number": "0001203452",
              "family_name": "渡辺", "given_name": "健一",
              "family_name_kana": "ワタナベ", "given_name_kana": "ケンイチ",
              "birth_date": "1984-05-12", "birth_date_partial": None,
              "address": ADDRESS, "status": "resident", "protected": False}

EXAMPLES: dict[str, Example | tuple[Example, ...]] = {
    "register": Example(
        "職権記載 of 佐藤花子 as the head of a new household of one",
        request={"family_name": "佐藤", "given_name": "花子", "family_name_kana": "サトウ",
                 "given_name_kana": "ハナコ", "birth_date": "1992-03-18", "sex": "female",
                 "postal_code": "955-0803", "address": "新潟県三条市月岡一丁目28番12号"},
        response=public(HANAKO, household_id=HANAKO_HOUSEHOLD, postal_code="9550803",
                        address="新潟県三条市月岡一丁目28番12号", address_since="2026-11-30",
                        became_resident_on="2026-11-30", moved_in_from=None)),
    "complete_move_outs": Example(
        "announced 転出 whose day has come, completed", response={"completed": 3}),
    "incoming": Example(
        "a 転出 from 長岡市 to 三条市 waiting for its 転入",
        response={"items": [TRANSFER_NOTICE], "next": None}),
    "incoming_transfer": Example("the transfer notice of 小林直樹 from 長岡市",
                                 response=TRANSFER_NOTICE),
    "protect": Example(
        "支援措置 for 渡辺美咲, one year from 1 December 2026",
        request={"starts_on": "2026-12-01"},
        response={"id": MEASURE, "resident_id": MISAKI, "starts_on": "2026-12-01",
                  "ends_on": "2027-11-30", "extensions": 0}),
    "extend": Example(
        "the 支援措置 extended for a year from the day after its end",
        response={"id": MEASURE, "resident_id": MISAKI, "starts_on": "2026-12-01",
                  "ends_on": "2028-11-30", "extensions": 1}),
    "who_looked": Example(
        "who read 渡辺健一's record, and why",
        response={"items": [{"occurred_at": "2026-12-01T01:12:09.318Z", "actor": STAFF,
                             "actor_home": CODE, "acting_municipality": CODE,
                             "purpose": "residence-certificate", "action": "resident.read",
                             "fields": ["family_name", "given_name", "address", "birth_date"],
                             "grant_id": None, "terminal": "本庁1"}],
                  "next": None}),
    "verify_access_log": Example(
        "the access log's hash chain is intact",
        response={"entries": 48213, "valid": True, "first_broken_seq": None}),
    "move_in": Example(
        "国内転入 of 渡辺健一 from 練馬区 into a new household",
        request={"kind": "domestic", "effective_date": "2026-11-16",
                 "person": {"family_name": "渡辺", "given_name": "健一",
                            "family_name_kana": "わたなべ", "given_name_kana": "けんいち",
                            "sex": "male", "birth_date": "1984-05-12"},
                 "household": {"new_household": {"postal_code": "955-0055",
                                                  "address": ADDRESS}},
                 "previous_address": "東京都練馬区石神井町三丁目9番4号"},
        response=result("転入", "2026-11-16",
                        state(KENICHI, address_since="2026-11-16",
                              became_resident_on="2026-11-16"))),
    "move_in_from_transfer": Example(
        "特例転入 of 小林直樹 from 長岡市, confirming its transfer notice",
        request={"transfer_id": TRANSFER, "effective_date": "2026-11-20",
                 "with_my_number_card": True},
        response=result("転入", "2026-11-20",
                        state(NAOKI, household_id=NEW_HOUSEHOLD, household_number="0000980722",
                              postal_code="9558686", address="新潟県三条市旭町一丁目7番5号",
                              address_since="2026-11-20", became_resident_on="2026-11-20",
                              moved_in_from="新潟県長岡市大手通二丁目3番地10"))),
    "move_in_household_from_transfers": Example(
        "世帯全員の転入 from 長岡市: two members' notices confirmed at once",
        request={"transfer_ids": [TRANSFER, TRANSFER_2], "effective_date": "2026-11-20"},
        response=result("転入", "2026-11-20",
                        state(NAOKI, household_id=NEW_HOUSEHOLD, household_number="0000980722",
                              postal_code="9558686", address="新潟県三条市旭町一丁目7番5号",
                              address_since="2026-11-20", became_resident_on="2026-11-20",
                              moved_in_from="新潟県長岡市大手通二丁目3番地10"))),
    "birth": Example(
        "出生 of 渡辺結衣, born on 28 November 2026 into the 渡辺 household",
        request={"person": {"family_name": "渡辺", "given_name": "結衣",
                            "family_name_kana": "ワタナベ", "given_name_kana": "ユイ",
                            "sex": "female", "birth_date": "2026-11-28"},
                 "household_id": HOUSEHOLD, "relationship": "子"},
        response=result("出生", "2026-11-28",
                        state(YUI, address_since="2026-11-28", became_resident_on="2026-11-28",
                              moved_in_from=None))),
    "enter_ex_officio": Example(
        "職権記載 of 髙橋昭, found living in 三条市 without a registration",
        request={"effective_date": "2026-11-25",
                 "person": {"family_name": "髙橋", "given_name": "昭",
                            "family_name_kana": "タカハシ", "given_name_kana": "アキラ",
                            "sex": "male", "birth_date": "1948-10-30"},
                 "household": {"new_household": {"postal_code": "955-0852",
                                                 "address": "新潟県三条市南四日町四丁目6番20号"}}},
        response=result("職権記載", "2026-11-25",
                        state(AKIRA, household_id=AKIRA_HOUSEHOLD,
                              household_number="0000980749", postal_code="9550852",
                              address="新潟県三条市南四日町四丁目6番20号",
                              address_since="2026-11-25", became_resident_on="2026-11-25",
                              moved_in_from=None))),
    "move_out": Example(
        "転出 announced by 渡辺健一, moving alone to 長岡市; 美咲 becomes the head",
        request={"effective_date": "2026-12-20", "new_head_id": MISAKI,
                 "relationships": {HARUTO: "子", YUI: "子"},
                 "destination": {"address": "新潟県長岡市大手通二丁目3番地10",
                                 "municipality_code": NAGAOKA, "postal_code": "940-0062"}},
        response=result("転出", "2026-12-20",
                        state(KENICHI, status="announced", household_id=None,
                              household_number=None, relationship=None, version=3),
                        state(MISAKI, relationship="世帯主", version=3),
                        state(HARUTO, version=3), state(YUI, version=2))),
    "death": Example(
        "死亡 of 髙橋昭 (his household of one ceases)",
        request={"effective_date": "2026-11-29"},
        response=result("死亡", "2026-11-29",
                        state(AKIRA, status="dead", household_id=AKIRA_HOUSEHOLD,
                              household_number="0000980749", postal_code="9550852",
                              address="新潟県三条市南四日町四丁目6番20号",
                              address_since="2026-11-25", became_resident_on="2026-11-25",
                              moved_in_from=None, left_on="2026-11-29", version=2))),
    "remove_ex_officio": Example(
        "職権消除 of 佐藤花子, found by survey not to live at her address",
        request={"effective_date": "2026-11-27"},
        response=result("職権消除", "2026-11-27",
                        state(HANAKO, status="removed", household_id=HANAKO_HOUSEHOLD,
                              household_number="0001312111", postal_code="9550803",
                              address="新潟県三条市月岡一丁目28番12号", left_on="2026-11-27",
                              moved_in_from=None, version=2))),
    "set_my_number": Example(
        "個人番号 of 渡辺健一 recorded (the documented test number)",
        request={"my_number": "123456789018", "effective_date": "2026-11-16"},
        response=result("個人番号変更", "2026-11-16", state(KENICHI, version=2))),
    "read_my_number": Example("the 個人番号, for a caller with the scope and a purpose",
                              response={"my_number": "123456789018"}),
    "relocate": Example(
        "転居 of the 渡辺 household within 三条市",
        request={"effective_date": "2026-11-24", "postal_code": "955-0803",
                 "address": "新潟県三条市月岡一丁目28番12号"},
        response=result("転居", "2026-11-24",
                        *(state(r, postal_code="9550803", address="新潟県三条市月岡一丁目28番12号",
                                address_since="2026-11-24", version=2)
                          for r in (KENICHI, MISAKI, HARUTO)))),
    "move_out_household": Example(
        "世帯全員の転出 of the 渡辺 household to 長岡市, announced",
        request={"effective_date": "2026-12-20",
                 "destination": {"address": "新潟県長岡市大手通二丁目3番地10",
                                 "municipality_code": NAGAOKA, "postal_code": "940-0062"}},
        response=result("転出", "2026-12-20",
                        *(state(r, status="announced", household_id=None,
                                household_number=None, relationship=None, version=3)
                          for r in (KENICHI, MISAKI, HARUTO)))),
    "change_household": Example(
        "世帯変更: 小林直樹 joins the 渡辺 household as 同居人",
        request={"effective_date": "2026-11-26", "resident_id": NAOKI,
                 "relationship": "同居人"},
        response=result("世帯変更", "2026-11-26",
                        state(NAOKI, relationship="同居人", address_since="2026-11-20",
                              became_resident_on="2026-11-20",
                              moved_in_from="新潟県長岡市大手通二丁目3番地10", version=2))),
    "split": Example(
        "世帯分離 at the same address: 渡辺美咲 heads a new household with 陽斗",
        request={"effective_date": "2026-11-30", "members": [MISAKI, HARUTO],
                 "new_head_id": MISAKI, "relationships": {HARUTO: "子"}},
        response=result("世帯分離", "2026-11-30",
                        state(MISAKI, household_id=NEW_HOUSEHOLD, household_number="0000980722",
                              relationship="世帯主", version=2),
                        state(HARUTO, household_id=NEW_HOUSEHOLD, household_number="0000980722",
                              version=2))),
    "merge": Example(
        "世帯合併: 渡辺美咲's household rejoins 渡辺健一's",
        request={"effective_date": "2026-11-30", "other_household_id": NEW_HOUSEHOLD,
                 "relationships": {MISAKI: "妻", HARUTO: "子"}},
        response=result("世帯合併", "2026-11-30", state(MISAKI, version=3),
                        state(HARUTO, version=3))),
    "change_head": Example(
        "世帯主変更: 渡辺美咲 becomes the head",
        request={"effective_date": "2026-11-30", "new_head_id": MISAKI,
                 "relationships": {KENICHI: "夫", HARUTO: "子"}},
        response=result("世帯主変更", "2026-11-30",
                        state(MISAKI, relationship="世帯主", version=2),
                        state(KENICHI, relationship="夫", version=2))),
    "household": Example(
        "the 渡辺 household with its members in certificate order",
        response={"id": HOUSEHOLD, "household_number": "0000980714", "head_id": KENICHI,
                  "postal_code": POSTAL, "address": ADDRESS, "formed_on": "2019-04-01",
                  "dissolved_on": None, "version": 4,
                  "members": [state(KENICHI), state(MISAKI), state(HARUTO)]}),
    "search": (Example(
        "residents whose フリガナ starts with ワタナベ and who were born on 12 May 1984",
        request={"kana_prefix": "わたなべ", "birth_date": "1984-05-12"},
        response={"items": [SEARCH_HIT], "next": None}), Example(
        "residents whose 氏名 starts with 渡辺 健 (氏 in full, a space, the start of 名), "
        "as the clerk reads it off a form",
        request={"name": "渡辺 健"}, response={"items": [SEARCH_HIT], "next": None},
        name="by_name")),
    "read_resident": Example("渡辺健一's record", response=public(KENICHI, version=2)),
}
