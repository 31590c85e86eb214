"""Examples of the tax API, by operation id, for the published OpenAPI document
(kyodo_common.openapi; tests/contract checks each against its schema).

令和8年度 (fiscal 2026) in 三条市 (152048) for the fictitious 渡辺健一 (residents' examples):
給与収入 4,000,000 yen in 2025, 社会保険料 600,000, a spouse and a child under 16. The
amounts follow DOMAIN.md §4 step by step (1級地, 均等割 3,000 + 1,000 + 森林環境税 1,000):
給与所得 2,760,000; 所得控除 430,000 + 600,000 + 330,000; 課税標準 1,400,000; 所得割
84,000 / 56,000 less 調整控除 3,000 / 2,000; total 140,000 in 12 payroll instalments.
"""

from __future__ import annotations

from typing import Any

from kyodo_common.openapi import Example

CODE = "152048"  # 三条市
PERSON = "0548d3a1-c1d1-4a1b-ae19-6d89ea8eb235"  # 渡辺健一's platform person id
RESIDENT = "21f70ff6-9d03-4ce5-8036-80a36ca7aa59"
ASSESSMENT = "e7a1c3f9-2d4b-4f6e-8a0c-3b5d7f9e1a24"
IMPORT = "c2f8a4e6-1b3d-4c5f-9e7a-0d2b4f6a8c13"
JOB = "4d9b2f6e-8a1c-4e3d-b5f7-9c0e2a4d6b18"
DECLARATION = "1f3e5a7c-9b2d-4e6f-8a0b-c2d4e6f8a1b3"
SHA = "3e1f7a9c5b2d8e4f0a6c1b7d3e9f5a2c8b4d0e6f1a7c3b9d5e2f8a4c0b6d1e7f"

INSTALMENTS = [{"year": 2026, "month": 6, "amount": 12400, "method": "special"}] + [
    {"year": 2026 + (month > 12), "month": (month - 1) % 12 + 1, "amount": 11600,
     "method": "special"} for month in range(7, 18)]
ASSESSED: dict[str, Any] = {
    "id": ASSESSMENT, "municipality_code": CODE, "fiscal_year": 2026,
    "platform_person_id": PERSON, "version": 1, "kind": "initial", "resident_id": RESIDENT,
    "resident_number": "0001203452",
    "january_first": {"postal_code": "9550055", "address": "新潟県三条市東裏館二丁目15番8号"},
    "rules": "令和8年度", "unverified_rules": [],
    "facts": {"spouse": "general",
              "dependants": {"general": 0, "specified": 0, "elderly": 0,
                             "elderly_cohabiting": 0, "under_16": 1, "disabled_general": 0,
                             "disabled_special": 0, "disabled_special_cohabiting": 0},
              "disability": "none", "widowhood": "none", "working_student": False,
              "minor": False, "aged_65_or_over": False},
    "income": {"salary_revenue": 4000000, "salary_income": 2760000, "pension_revenue": 0,
               "pension_income": 0, "other_income": 0, "total_income": 2760000},
    "deductions": {"basic": 430000, "social_insurance": 600000, "spouse": 330000,
                   "dependants": 0, "disability": 0, "widowhood": 0, "working_student": 0,
                   "other": 0, "total": 1360000},
    "taxable_base": 1400000,
    "income_levy": {"municipal_gross": 84000, "prefectural_gross": 56000,
                    "personal_difference": 100000, "adjustment_credit_municipal": 3000,
                    "adjustment_credit_prefectural": 2000, "municipal": 81000,
                    "prefectural": 54000},
    "per_capita": {"municipal": 3000, "prefectural": 1000, "forest_environment_tax": 1000},
    "exemption": {"household_size": 3, "per_capita_limit": 1360000,
                  "income_levy_limit": 1470000, "personal_exemption": False,
                  "per_capita_exempt": False, "income_levy_exempt": False},
    "designated_city": False, "total": 140000, "previous_total": None, "difference": None,
    "non_taxable": False,
    "collection": {"method": "special", "instalments": INSTALMENTS, "switched_on": None,
                   "switch_reason": None},
    "assessed_on": "2026-06-01"}
SWITCHED = {**ASSESSED, "collection": {
    "method": "special", "switched_on": "2026-10-31", "switch_reason": "left_job",
    # June–October withheld (58,800); the 81,200 left is billed on the next 普通徴収 date.
    "instalments": [*INSTALMENTS[:5],
                    {"year": 2027, "month": 1, "amount": 81200, "method": "ordinary"}]}}
IMPORTED = {"import_id": IMPORT, "fiscal_year": 2026, "file_sha256": SHA, "received": 3,
            "accepted": 2, "unchanged": 0, "superseding": 0, "rejected": 1,
            "problems": [{"line": 4, "field": "birth_date", "reason": "not a date"}],
            "already_imported": False, "state": "finished", "done": 3, "progress": 1.0,
            "error": None}
JOB_PUBLIC = {"id": JOB, "fiscal_year": 2026, "state": "finished", "total": 51234, "done": 51234,
              "progress": 1.0, "assessed": 50871, "corrected": 0, "unchanged": 0,
              "refused": 363, "attempts": 1, "error": None,
              "created_at": "2026-05-29T09:00:00Z", "started_at": "2026-05-29T09:00:02Z",
              "finished_at": "2026-05-29T09:41:37Z"}
SALARY_REPORTS = """\
employer_number,employer_name,resident_number,family_name_kana,given_name_kana,birth_date,\
salary_income,social_insurance,spouse,dependants_under_16
00012345,株式会社燕三条製作所,0001203452,ワタナベ,ケンイチ,1984-05-12,4000000,600000,general,1
00012345,株式会社燕三条製作所,0001203460,ワタナベ,ミサキ,1987-09-03,1030000,0,none,0
00012345,株式会社燕三条製作所,0001203509,コバヤシ,ナオキ,1979-0208,5200000,780000,none,0
"""

EXAMPLES: dict[str, Example] = {
    "import_file": Example(
        "an employer's 給与支払報告書 for 令和8年度, three rows (one malformed)",
        request=SALARY_REPORTS, response=IMPORTED, status="201"),
    "import_result": Example("what the import kept and refused", response=IMPORTED),
    "file_declaration": Example(
        "住民税申告 of 渡辺健一: his spouse and a child under 16",
        request={"fiscal_year": 2026, "platform_person_id": PERSON,
                 "social_insurance": 600000,
                 "spouse": {"platform_person_id": "bb0f0442-f773-46f9-a43a-8c3b6b3191a9",
                            "birth_date": "1987-09-03"},
                 "dependants": [{"platform_person_id": "402ddec3-bd27-4187-8ca1-ea3a2ed80f89",
                                 "birth_date": "2016-07-21"}]},
        response={"id": DECLARATION, "version": 1, "fiscal_year": 2026,
                  "platform_person_id": PERSON, "spouse": "general",
                  "dependants": {"general": 0, "specified": 0, "elderly": 0,
                                 "elderly_cohabiting": 0, "under_16": 1}}),
    "start_bulk_assessment": Example(
        "当初賦課 of 令和8年度 for everyone registered on 1 January 2026",
        request={"fiscal_year": 2026},
        response={**JOB_PUBLIC, "state": "queued", "total": None, "done": 0, "progress": 0.0,
                  "assessed": 0, "refused": 0, "attempts": 0, "started_at": None,
                  "finished_at": None}),
    "bulk_assessment": Example("the bulk assessment, finished", response=JOB_PUBLIC),
    "refusals": Example(
        "persons the bulk assessment refused, with the reason (no personal data)",
        response={"items": [{"platform_person_id": "26760a36-5b66-47db-a8c6-913895707075",
                             "reason": "no salary report nor declaration for 2025"}],
                  "next": None}),
    "assess": Example(
        "渡辺健一's 令和8年度 resident tax",
        request={"fiscal_year": 2026, "platform_person_id": PERSON}, response=ASSESSED,
        status="201"),
    "assessment": Example("one assessment with every step", response=ASSESSED),
    "assessments_of": Example("渡辺健一's assessments",
                              response={"items": [ASSESSED], "next": None}),
    "switch": Example(
        "退職 on 31 October: the rest is billed (特別徴収 → 普通徴収)",
        request={"reason": "left_job", "on": "2026-10-31"}, response=SWITCHED),
    "residence_on_january_first": Example(
        "渡辺健一 was registered in 三条市 on 1 January 2026 (賦課期日)",
        response={"fiscal_year": 2026, "taxed_here": True, "january_first": {
            "resident_id": RESIDENT, "resident_number": "0001203452", "postal_code": "9550055",
            "address": "新潟県三条市東裏館二丁目15番8号"}}),
    "rule_sets": Example(
        "the fiscal years that can be assessed",
        response={"items": [{"fiscal_year": 2026, "name": "令和8年度", "fully_verified": True,
                             "unverified_rules_enabled": False}], "next": None}),
}
