"""Examples of the disaster API, by operation id, for the published OpenAPI document
(kyodo_common.openapi; tests/contract checks each against its schema).

A (fictitious) heavy rain in 三条市 (152048) on 20 July 2026: the town declares it, surveys
the 渡辺 household's house (residents' examples) with a surveyor sent by 長岡市 under a support
grant (対口支援), and issues 罹災証明書. Grades follow DOMAIN.md §6: 42.00 % is 大規模半壊.
"""

from __future__ import annotations

from typing import Any

from kyodo_common.openapi import Example

CODE = "152048"  # 三条市
NAGAOKA = "152021"
DISASTER = "b3d8e1f4-7a2c-4b9e-a6d0-1c5e8f2b7a39"
HOUSE = "f1c4a7d2-3e9b-4a6c-8d05-7b2e9c1f4a86"
APPLICATION = "2c7e1a9d-5f3b-4d8a-b0e6-9a4c2f7d1e53"
JOB = "8e2a6c4f-1d3b-4f5a-9c7e-0b2d4f6a8e19"
IMPORT = "5b9d2e7a-4c1f-4a83-b6e0-2d8f1a3c5e74"
GRANT = "a7e3c1d9-2b4f-4e6a-8c0d-9f1e3b5a7c21"
SURVEYOR = "e2b7c9a4-6f1d-4c38-9a05-7d3e2f1b8c66"  # 長岡市's yamada.k
STAFF = "3f1d2a6e-8b7c-4e59-a0d4-6c2b9e1f7a35"
HOUSEHOLD = "47fdfcf6-d382-4104-a222-05c37eb78f43"
KENICHI = "21f70ff6-9d03-4ce5-8036-80a36ca7aa59"
MISAKI = "b70376fd-5774-4ed6-b393-589f3cfc3c70"
HARUTO = "74612dc0-51a3-4afd-b199-7b00d97de88d"
ADDRESS = "新潟県三条市東裏館二丁目15番8号"
PHOTO = {"file_name": "R8-0720-0153-外観北面.jpg", "taken_at": "2026-07-24T10:12:00+09:00",
         "sha256": "5d41402abc4b2a76b9719d911017c592ae7f2f1c3b9e8d4a6c0f1e2d3b4a5c6d"}

DISASTER_PUBLIC = {"id": DISASTER, "municipality_code": CODE, "name": "令和8年7月大雨災害",
                   "kind": "flood", "kind_label": "水害", "occurred_on": "2026-07-20",
                   "affected_area": ["東裏館一丁目", "東裏館二丁目", "月岡一丁目", "955-0055"],
                   "application_opens_on": "2026-07-22", "application_closes_on": "2026-10-21",
                   "version": 1}
GRADE = {"code": "large_scale_half", "label": "大規模半壊"}
SURVEY = {"version": 1, "kind": "first", "method": "site", "damage_ratio": "42.00",
          "grade": GRADE, "surveyed_on": "2026-07-24", "surveyor": SURVEYOR,
          "surveyor_home": NAGAOKA, "grant_id": GRANT, "survey_ref": None,
          "appeal_reason": None, "applicant_agrees": False, "photos": [PHOTO],
          "recorded_at": "2026-07-24T08:31:55Z"}
HOUSE_PUBLIC: dict[str, Any] = {
    "id": HOUSE, "disaster_id": DISASTER, "postal_code": "9550055", "address": ADDRESS,
    "occupant_ids": [KENICHI, MISAKI, HARUTO], "grade": GRADE, "damage_ratio": "42.00",
    "surveyed_on": "2026-07-24", "survey_version": 1, "version": 3}
UNSURVEYED = {**HOUSE_PUBLIC, "occupant_ids": [], "grade": None, "damage_ratio": None,
              "surveyed_on": None, "survey_version": 0, "version": 1}
APPLICATION_PUBLIC = {"id": APPLICATION, "disaster_id": DISASTER, "house_id": HOUSE,
                      "applicant_resident_id": KENICHI, "copies": 2,
                      "applied_on": "2026-07-27", "status": "received", "ready_at": None,
                      "version": 1}
JOB_PUBLIC = {"id": JOB, "state": "finished", "total": 388, "processed": 388, "marked_ready": 371,
              "already_ready": 16, "refused": 1,
              "refusals": [{"application_id": "9d1b3f5a-7c2e-4a6d-8f0b-1e3c5a7d9f24",
                            "reason": "the house is not surveyed yet"}],
              "error": None, "requested_by": STAFF, "requested_by_home": CODE, "grant_id": None,
              "created_at": "2026-08-03T00:00:00Z", "started_at": "2026-08-03T00:00:01Z",
              "finished_at": "2026-08-03T00:00:09Z"}
FIELD_SURVEYS = """\
調査番号,郵便番号,所在地,調査区分,損害割合,調査日,判定方法,写真
R8-0720-0153,955-0055,新潟県三条市東裏館二丁目15番8号,一次調査,42.00,2026-07-24,現地調査,\
R8-0720-0153-外観北面.jpg|2026-07-24T10:12:00+09:00|\
5d41402abc4b2a76b9719d911017c592ae7f2f1c3b9e8d4a6c0f1e2d3b4a5c6d
R8-0720-0154,955-0055,新潟県三条市東裏館二丁目16番2号,一次調査,8.50,2026-07-24,自己判定,
R8-0720-0155,955-0803,新潟県三条市月岡一丁目28番12号,一次調査,百,2026-07-25,現地調査,
"""

EXAMPLES: dict[str, Example] = {
    "declare_disaster": Example(
        "三条市 declares the heavy rain of 20 July 2026",
        request={"name": "令和8年7月大雨災害", "kind": "flood", "occurred_on": "2026-07-20",
                 "affected_area": ["東裏館一丁目", "東裏館二丁目", "月岡一丁目", "955-0055"],
                 "application_opens_on": "2026-07-22", "application_closes_on": "2026-10-21"},
        response=DISASTER_PUBLIC),
    "list_disasters": Example("三条市's disasters",
                              response={"items": [DISASTER_PUBLIC], "next": None}),
    "get_disaster": Example("one disaster", response=DISASTER_PUBLIC),
    "amend_disaster": Example(
        "applications taken for another month",
        request={"application_closes_on": "2026-11-20"},
        response={**DISASTER_PUBLIC, "application_closes_on": "2026-11-20", "version": 2}),
    "add_house": Example(
        "the 渡辺 household's house enters the ledger of damaged houses",
        request={"postal_code": "955-0055", "address": ADDRESS}, response=UNSURVEYED),
    "list_houses": Example("the disaster's damaged houses",
                           response={"items": [HOUSE_PUBLIC], "next": None}),
    "get_house": Example("one house with its surveys",
                         response={**HOUSE_PUBLIC, "surveys": [SURVEY]}),
    "put_occupants": Example(
        "who lives in the house (from the register)",
        request={"resident_ids": [KENICHI, MISAKI, HARUTO]},
        response={**HOUSE_PUBLIC, "grade": None, "damage_ratio": None, "surveyed_on": None,
                  "survey_version": 0, "version": 2}),
    "add_survey": Example(
        "一次調査 on site by 長岡市's surveyor: 42.00 %, 大規模半壊",
        request={"kind": "first", "method": "site", "damage_ratio": "42.00",
                 "surveyed_on": "2026-07-24", "photos": [PHOTO]},
        response=HOUSE_PUBLIC),
    "search_occupants": Example(
        "who is registered at an address in the affected area",
        request={"address": ADDRESS, "postal_code": "955-0055"},
        response={"items": [
            {"resident_id": KENICHI, "resident_number": "0001203452", "name": "渡辺　健一",
             "name_kana": "ワタナベ　ケンイチ", "birth_date": "1984-05-12",
             "relationship": "世帯主", "protected": False},
            {"resident_id": MISAKI, "resident_number": "0001203460", "name": "渡辺　美咲",
             "name_kana": "ワタナベ　ミサキ", "birth_date": "1987-09-03", "relationship": "妻",
             "protected": False}],
            "next": None}),
    "import_field_surveys": Example(
        "a surveyors' CSV with Japanese headers: two rows recorded, one refused",
        request=FIELD_SURVEYS,
        response={"rows": 3, "houses_created": 1, "surveys_recorded": 2, "unchanged": 0,
                  "applications_created": 0,
                  "errors": [{"line": 4, "field": "damage_ratio",
                              "reason": "not a number from 0 to 100"}],
                  "dry_run": False}),
    "survey_import": Example(
        "a file of 3,200 rows, half imported; one row refused when it came, one by the ledger",
        response={"id": IMPORT, "disaster_id": DISASTER, "state": "running", "total": 3200,
                  "done": 1501, "progress": 0.4691, "houses_created": 1480,
                  "surveys_recorded": 1498, "unchanged": 0, "applications_created": 1210,
                  "refused": 2, "errors": [
                      {"line": 118, "field": "damage_ratio",
                       "reason": "not a number from 0 to 100"},
                      {"line": 904, "field": "survey_ref",
                       "reason": "recorded before with other values; a correction is a 二次調査 "
                                 "under its own reference"}],
                  "attempts": 0, "error": None, "created_at": "2026-07-25T09:30:04+09:00",
                  "started_at": "2026-07-25T09:30:05+09:00", "finished_at": None}),
    "apply_for_certificate": Example(
        "渡辺健一 applies for two copies of the 罹災証明書",
        request={"applicant_resident_id": KENICHI, "copies": 2}, response=APPLICATION_PUBLIC),
    "list_applications": Example("the disaster's applications",
                                 response={"items": [APPLICATION_PUBLIC], "next": None}),
    "start_certificate_job": Example(
        "mark the received applications ready for issuing",
        request={"application_ids": [APPLICATION, "9d1b3f5a-7c2e-4a6d-8f0b-1e3c5a7d9f24"]},
        response={**JOB_PUBLIC, "state": "queued", "total": 2, "processed": 0,
                  "marked_ready": 0, "already_ready": 0, "refused": 0, "refusals": [],
                  "started_at": None, "finished_at": None}),
    "certificate_job": Example("the job, done", response=JOB_PUBLIC),
    "victims": Example(
        "被災者台帳: the household of a 大規模半壊 house and its 被災者生活再建支援金",
        response={"items": [{
            "house_id": HOUSE, "address": ADDRESS, "grade": GRADE, "survey_version": 1,
            "surveyed_on": "2026-07-24", "household_id": HOUSEHOLD, "household_size": 3,
            "head_resident_id": KENICHI,
            "members": [{"resident_id": KENICHI, "resident_number": "0001203452",
                         "name": "渡辺　健一", "name_kana": "ワタナベ　ケンイチ",
                         "birth_date": "1984-05-12", "relationship": "世帯主",
                         "protected": False},
                        {"resident_id": MISAKI, "resident_number": "0001203460",
                         "name": "渡辺　美咲", "name_kana": "ワタナベ　ミサキ",
                         "birth_date": "1987-09-03", "relationship": "妻",
                         "protected": False},
                        {"resident_id": HARUTO, "resident_number": "0001203479",
                         "name": "渡辺　陽斗", "name_kana": "ワタナベ　ハルト",
                         "birth_date": "2016-07-21", "relationship": "子",
                         "protected": False}],
            "support": {"eligible": True, "rebuilding_method": "repair", "base": 500000,
                        "additional": 1000000, "total": 1500000, "unverified_rules": []}}],
            "next": None}),
    "disaster_audit_trail": Example(
        "what was done in 三条市's disaster work, by whom and under which grant",
        response={"items": [{"id": 2291, "occurred_at": "2026-07-24T08:31:55Z",
                             "actor": SURVEYOR, "actor_home": NAGAOKA,
                             "acting_municipality": CODE, "grant_id": GRANT,
                             "action": "survey.recorded", "subject_type": "house",
                             "subject_id": HOUSE, "fields": ["damage_ratio", "photos"],
                             "purpose": None, "trace_id": "0af7651916cd43dd8448eb211c80319c",
                             "sealed": True}],
                  "next": None}),
    "verify_audit_trail": Example(
        "the disaster audit trail is intact",
        response={"entries": 2291, "valid": True, "first_broken_seq": None}),
}
