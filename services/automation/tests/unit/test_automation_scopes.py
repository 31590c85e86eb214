"""The one map from platform API to scope."""

from __future__ import annotations

import pytest

from kyodo_automation.domain.scopes import (
    OutOfScope,
    check_call,
    required_scope,
    required_scope_of_template,
)


@pytest.mark.parametrize(("method", "path", "scope"), [
    ("GET", "/residents/8d3a", "residents:read"),
    ("POST", "/residents/search", "residents:read"),
    ("POST", "/residents/moves", "residents:write"),
    ("GET", "/tax/persons/1/assessments", "tax:read"),
    ("POST", "/tax/salary-reports/imports?fiscal_year=2025", "tax:write"),
    ("POST", "/tax/assessments/1/collection-switch", "tax:write"),
    ("GET", "/disaster/disasters/1", "disaster:read"),
    ("POST", "/disaster/certificate-jobs", "disaster:write"),
    ("POST", "/certificates/juminhyo", "certificates:issue"),
])
def test_each_api_needs_its_scope(method: str, path: str, scope: str) -> None:
    assert required_scope(method, path) == scope


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/identity/staff"),
    ("POST", "/automation/scenarios/x/runs"),
    ("GET", "/residents/8d3a/my-number"),
    ("GET", "/elsewhere/things"),
    ("GET", "/tax/./rules"),
    ("GET", "/tax//rules"),
    ("GET", "tax/rules"),
    ("GET", "/tax/%2e%2e/identity/staff"),
    ("GET", "/tax/persons%2F1"),
    ("GET", "/tax/rules#fragment"),
    ("GET", "/tax/ru les"),
    ("GET", "/tax\\..\\identity"),
])
def test_no_scenario_may_call_these(method: str, path: str) -> None:
    with pytest.raises(OutOfScope):
        required_scope(method, path)


def test_a_template_segment_stands_for_one_segment() -> None:
    assert required_scope_of_template(
        "POST", "/tax/assessments/${a.id}/collection-switch") == "tax:write"


def test_at_run_time_the_path_actually_called_is_checked() -> None:
    granted = frozenset({"tax:write"})
    assert check_call("POST", "/tax/assessments", granted) == "tax:write"
    with pytest.raises(OutOfScope, match="lacks the scope tax:read"):
        check_call("GET", "/tax/assessments/1", granted)
    with pytest.raises(OutOfScope, match="plain path"):
        check_call("POST", "/tax/../identity/clients", granted)
