"""Examples of the automation API, by operation id, for the published OpenAPI document
(kyodo_common.openapi; tests/contract checks each against its schema).

三条市 (152048)'s tax division runs the built-in 給与支払報告書 intake on an employer's file
in January 2027 (令和9年度); a malformed row waits in the human queue for a clerk.
"""

from __future__ import annotations

from typing import Any

from kyodo_common.openapi import Example

CODE = "152048"  # 三条市
SCENARIO = "salary-report-intake"
CLIENT = "152048-a1c3e5f7b9d2c4e6f8a0b1c2"
AUTHOR = "6b8d0f2a-4c6e-4a8b-9d1f-3e5a7c9b1d20"
ADMIN = "9d4c2b71-05e8-4f3a-bb6e-2a7c1d9e8f40"
RUN = "b5d7f9a1-3c5e-4b7d-8f0a-2c4e6a8b0d17"
ITEM = "0c2e4a6b-8d0f-4c1e-9a3b-5d7f9b1c3e28"
TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
SOURCE = """\
scenario: salary-report-intake
title: 給与支払報告書の取り込み
minutes_per_item: 3
trigger:
  file:
    format: csv
inputs:
  fiscal_year: {type: integer, required: true, minimum: 2000, maximum: 2100}
  rows: {type: rows, required: true}
steps:
  - name: each report
    for_each: ${inputs.rows}
    as: row
    do:
      - name: import the row into tax
        call: POST /tax/salary-reports/imports?fiscal_year=${inputs.fiscal_year}&format=json
        body:
          rows: ["${row}"]
        save_as: imported
        on_error: review
"""
VERSION: dict[str, Any] = {
    "scenario": SCENARIO, "version": 2, "title": "給与支払報告書の取り込み", "trigger": "file",
    "event_types": [], "minutes_per_item": 3.0, "scopes_needed": ["tax:write"],
    "created_by": AUTHOR, "created_at": "2027-01-06T00:30:00+00:00", "schedule": None}
RUN_PUBLIC: dict[str, Any] = {
    "id": RUN, "scenario": SCENARIO, "version": 2, "state": "waiting", "trigger": "file",
    "items_done": 41, "items_failed": 1, "error": None, "failed_step": None, "attempts": 1,
    "trace_id": TRACE, "started_by": AUTHOR, "outputs": {"fiscal_year": 2027},
    "minutes_per_item": 3.0, "created_at": "2027-01-20T01:00:00+00:00",
    "started_at": "2027-01-20T01:00:01+00:00", "finished_at": None}
QUEUE_ITEM: dict[str, Any] = {
    "id": ITEM, "run_id": RUN, "scenario": SCENARIO, "kind": "review", "step": "each report",
    "item": "row 17", "reason": "tax refused the row: birth_date is not a date",
    "data": {"employer_number": "00012345", "family_name_kana": "コバヤシ",
             "given_name_kana": "ナオキ", "birth_date": "1979-0208", "salary_income": 5200000},
    "state": "open", "decision": None, "note": None, "decided_by": None, "decided_at": None,
    "created_at": "2027-01-20T01:00:40+00:00"}
ROWS = """\
employer_number,family_name_kana,given_name_kana,birth_date,salary_income,social_insurance
00012345,ワタナベ,ケンイチ,1984-05-12,4100000,615000
00012345,コバヤシ,ナオキ,1979-0208,5200000,780000
"""

EXAMPLES: dict[str, Example] = {
    "grant_account": Example(
        "the admin gives the intake scenario its own identity client",
        request={"client_id": CLIENT, "client_secret": "s3cr3t-made-up-for-the-example"},
        response={"scenario": SCENARIO, "client_id": CLIENT, "scopes": ["tax:write"]}),
    "account": Example("the scenario's account (never its secret)", response={
        "scenario": SCENARIO, "client_id": CLIENT, "scopes": ["tax:write"],
        "granted_by": ADMIN, "granted_at": "2027-01-06T00:20:00+00:00"}),
    "new_version": Example("a new version of the intake, written by the tax division",
                           request=SOURCE, response=VERSION),
    "versions": Example("the scenario's versions", response={"items": [VERSION], "next": None}),
    "scenario_list": Example("三条市's scenarios, latest versions",
                             response={"items": [VERSION], "next": None}),
    "version": Example("one version with its YAML", response={**VERSION, "source": SOURCE}),
    "start": Example(
        "run the intake by hand for 令和9年度",
        request={"inputs": {"fiscal_year": 2027, "rows": [
            {"employer_number": "00012345", "family_name_kana": "ワタナベ",
             "given_name_kana": "ケンイチ", "birth_date": "1984-05-12",
             "salary_income": 4100000}]}},
        response={**RUN_PUBLIC, "state": "queued", "trigger": "manual", "items_done": 0,
                  "items_failed": 0, "outputs": {}, "started_at": None}),
    "runs_of": Example("the intake's runs, newest first",
                       response={"items": [RUN_PUBLIC], "next": None}),
    "upload": Example("an employer's CSV file starts a run",
                      request=ROWS, response={**RUN_PUBLIC, "state": "queued", "items_done": 0,
                                              "items_failed": 0, "outputs": {},
                                              "started_at": None}),
    "try_run": Example(
        "a dry run: what the intake would do, writing nothing",
        request={"inputs": {"fiscal_year": 2027, "rows": [
            {"employer_number": "00012345", "family_name_kana": "ワタナベ",
             "given_name_kana": "ケンイチ", "birth_date": "1984-05-12",
             "salary_income": 4100000}]}},
        response={"state": "done", "error": None, "outputs": {"fiscal_year": 2027},
                  "items_processed": 1, "items_failed": 0,
                  "calls": [{"method": "POST", "path": "/v1/municipalities/152048/tax/"
                                                       "salary-reports/imports",
                             "dry_run": True}],
                  "human_queue": [], "notifications": []}),
    "run": Example("a run waiting for a clerk's review", response=RUN_PUBLIC),
    "steps": Example(
        "what each step did",
        response={"items": [{"key": "0001/each report/row 1", "kind": "call", "status": "done",
                             "step": "import the row into tax", "item": "row 1",
                             "input": {"rows": [{"employer_number": "00012345"}]},
                             "output": {"accepted": 1, "rejected": 0}, "error": None,
                             "trace_id": TRACE,
                             "recorded_at": "2027-01-20T01:00:02+00:00"}], "next": None}),
    "items": Example("the human queue", response={"items": [QUEUE_ITEM], "next": None}),
    "decide": Example(
        "the clerk corrected the row in the tax system by hand",
        request={"decision": "resolved", "note": "生年月日を1979-02-08に訂正して手入力済み"},
        response={**QUEUE_ITEM, "state": "decided", "decision": "resolved",
                  "note": "生年月日を1979-02-08に訂正して手入力済み", "decided_by": AUTHOR,
                  "decided_at": "2027-01-20T02:10:00+00:00"}),
    "time_saved": Example(
        "hours saved in January 2027",
        response={"month": "2027-01", "scenarios": [
            {"scenario": SCENARIO, "runs": 64, "items_processed": 3120, "items_failed": 37,
             "minutes_per_item": 3.0, "hours_saved": 156.0, "failure_rate": 0.0119}],
            "items_processed": 3120, "items_failed": 37, "hours_saved": 156.0,
            "failure_rate": 0.0119}),
    "builtin_scenarios": Example(
        "the scenarios that come with the platform",
        response={"items": [{"scenario": SCENARIO, "title": "給与支払報告書の取り込み",
                             "trigger": "file", "scopes_needed": ["tax:write"],
                             "minutes_per_item": 3, "source": SOURCE}], "next": None}),
}
