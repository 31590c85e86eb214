"""Saving a scenario: the schema, the template language and the scope map, with the line of
every problem."""

from __future__ import annotations

from importlib import resources

import pytest

from kyodo_automation.domain.scenario import ScenarioInvalid, check_scopes, parse

HEAD = """scenario: demo
title: テスト
minutes_per_item: 2
trigger:
  manual: {}
"""


def problems(text: str) -> list[tuple[int, str, str]]:
    with pytest.raises(ScenarioInvalid) as refused:
        parse(text)
    return [(p.line, p.pointer, p.reason) for p in refused.value.problems]


def test_an_unknown_key_is_refused_on_its_own_line() -> None:
    found = problems(HEAD + "steps:\n  - call: GET /tax/rules\n    colour: red\n")
    assert found == [(8, "/steps/0/colour", "unknown key 'colour'")]


def test_a_step_without_an_action_points_at_the_step() -> None:
    text = HEAD + ("steps:\n  - set: {a: 1}\n  - for_each: ${inputs.rows}\n"
                   "    do:\n      - bogus: 1\n")
    (line, pointer, reason), = problems(text)
    assert (line, pointer) == (10, "/steps/1/do/0")
    assert reason.startswith("a step needs exactly one of: call, for_each")


def test_a_missing_field_points_at_its_parent() -> None:
    found = problems("scenario: demo\ntitle: x\ntrigger:\n  manual: {}\nsteps:\n  - set: {a: 1}\n")
    assert found == [(1, "", "'minutes_per_item' is required")]


def test_a_malformed_call_names_the_expected_form() -> None:
    (line, pointer, reason), = problems(HEAD + "steps:\n  - call: fetch the tax rules\n")
    assert (line, pointer) == (7, "/steps/0/call")
    assert "METHOD /service/path" in reason


def test_a_call_no_scenario_may_make_is_refused_at_its_line() -> None:
    text = HEAD + "steps:\n  - set: {a: 1}\n  - call: POST /identity/clients\n"
    assert problems(text) == [(8, "/steps/1/call", "no scenario may call this API")]


def test_a_path_that_climbs_out_is_refused() -> None:
    (line, _, reason), = problems(HEAD + "steps:\n  - call: GET /tax/../identity/staff\n")
    assert line == 7 and "plain path" in reason


def test_a_broken_expression_is_refused_at_its_line() -> None:
    text = HEAD + "steps:\n  - set:\n      a: 1\n      b: ${inputs.year +}\n"
    (line, pointer, reason), = problems(text)
    assert (line, pointer) == (9, "/steps/0/set/b")
    assert "inputs.year +" in reason


def test_invalid_yaml_gives_the_line_of_the_error() -> None:
    (line, _, reason), = problems(HEAD + "steps:\n  - set: {a: 1\n  - call: GET /tax/rules\n")
    assert line in (7, 8) and reason.startswith("not valid YAML")


def test_a_trigger_is_exactly_one_kind() -> None:
    text = ("scenario: demo\ntitle: x\nminutes_per_item: 1\ntrigger:\n  manual: {}\n"
            "  file: {format: csv}\nsteps:\n  - set: {a: 1}\n")
    (line, pointer, _), = problems(text)
    assert (line, pointer) == (4, "/trigger")


def test_an_event_trigger_names_a_versioned_event_type() -> None:
    text = ("scenario: demo\ntitle: x\nminutes_per_item: 1\ntrigger:\n  event:\n"
            "    type: resident moved out\nsteps:\n  - set: {a: 1}\n")
    assert problems(text)[0][:2] == (6, "/trigger/event/type")


def test_calls_outside_the_accounts_scopes_are_refused_with_their_lines() -> None:
    scenario = parse(HEAD + "steps:\n  - call: GET /tax/rules\n"
                     "  - call: POST /disaster/disasters\n")
    assert scenario.scopes_needed == {"tax:read", "disaster:write"}
    check_scopes(scenario, frozenset({"tax:read", "disaster:write"}))
    with pytest.raises(ScenarioInvalid) as refused:
        check_scopes(scenario, frozenset({"tax:read"}))
    (problem,) = refused.value.problems
    assert (problem.line, problem.pointer) == (8, "/steps/1/call")
    assert "disaster:write" in problem.reason


@pytest.mark.parametrize("name", sorted(
    p.name for p in (resources.files("kyodo_automation") / "builtin").iterdir()
    if p.name.endswith(".yaml")))
def test_every_builtin_scenario_is_valid(name: str) -> None:
    text = (resources.files("kyodo_automation") / "builtin" / name).read_text()
    scenario = parse(text)
    assert f"{scenario.name}.yaml" == name
    assert scenario.calls


@pytest.mark.parametrize(("text", "reason"), [
    ("a: \x07", "not valid YAML"),
    ("[" * 5000, "nested too deeply"),
    ("a:\n  " + "- " * 60 + "x", "nested deeper than 40 levels"),
    ("scenario: !!python/object:os.system x", "not valid YAML"),
    ("- just\n- a list\n", "a scenario is a YAML mapping"),
])
def test_hostile_or_odd_yaml_is_refused_not_crashed_on(text: str, reason: str) -> None:
    ((line, _, found),) = problems(text)
    assert line == 1 and found.startswith(reason)


def test_a_purpose_travels_in_a_header_so_it_is_ascii() -> None:
    text = HEAD + "steps:\n  - call: GET /tax/rules\n    purpose: 税額の確認\n"
    ((line, pointer, _),) = problems(text)
    assert (line, pointer) == (8, "/steps/0/purpose")


def test_a_broken_cron_is_refused_at_its_line() -> None:
    text = ("scenario: demo\ntitle: x\nminutes_per_item: 1\ntrigger:\n  schedule:\n"
            "    cron: 61 9 * * 1-5\nsteps:\n  - set: {a: 1}\n")
    ((line, pointer, reason),) = problems(text)
    assert (line, pointer) == (6, "/trigger/schedule/cron") and "0-59" in reason


SCHEDULED = "scenario: demo\ntitle: x\nminutes_per_item: 1\ntrigger:\n  schedule:\n"


def test_a_standard_cron_with_both_day_fields_and_a_catch_up_is_accepted() -> None:
    scenario = parse(SCHEDULED + "    cron: 0 9 1 * 1\n    catch_up: none\n"
                                 "steps:\n  - set: {a: 1}\n")
    assert scenario.trigger["schedule"] == {"cron": "0 9 1 * 1", "catch_up": "none"}


@pytest.mark.parametrize(("schedule", "line", "pointer"), [
    ("    cron: 0 9 * * 8\n", 6, "/trigger/schedule/cron"),
    ("    cron: 0 9 31 2-13 *\n", 6, "/trigger/schedule/cron"),
    ("    cron: 0 9 * *\n", 6, "/trigger/schedule/cron"),
    ("    cron: 0 9 * * *\n    catch_up: all\n", 7, "/trigger/schedule/catch_up"),
    ("    every: 1d\n    cron: 0 9 * * *\n", 5, "/trigger/schedule"),
])
def test_a_broken_schedule_is_refused_naming_its_field_and_line(
        schedule: str, line: int, pointer: str) -> None:
    found = problems(SCHEDULED + schedule + "steps:\n  - set: {a: 1}\n")
    assert [(f[0], f[1]) for f in found] == [(line, pointer)], found


def test_pages_follow_a_get_only() -> None:
    text = HEAD + "steps:\n  - call: POST /tax/rules\n    pages: {items: rules}\n"
    assert [(f[0], f[1]) for f in problems(text)] == [(8, "/steps/0/pages")]


def test_a_purpose_is_a_code_not_free_text() -> None:
    text = HEAD + "steps:\n  - call: GET /tax/rules\n    purpose: tax check\n"
    ((line, pointer, _),) = problems(text)
    assert (line, pointer) == (8, "/steps/0/purpose")
