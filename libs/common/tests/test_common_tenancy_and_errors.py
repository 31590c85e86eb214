"""Municipality codes (DOMAIN.md §1) and problem+json rendering."""

from __future__ import annotations

import pytest

from kyodo_common.errors import Problem, validation_problem
from kyodo_common.tenancy import is_valid_municipality_code, municipality_check_digit

DEMO_CODES = ["152021", "152048", "152111", "152251", "155861", "082201"]


@pytest.mark.parametrize("code", DEMO_CODES)
def test_the_demo_municipalities_codes_are_valid(code: str) -> None:
    assert is_valid_municipality_code(code)


@pytest.mark.parametrize("code", ["152022", "152040", "15202", "1520211", "15202a", ""])
def test_wrong_check_digits_and_shapes_are_rejected(code: str) -> None:
    assert not is_valid_municipality_code(code)


def test_remainder_zero_gives_one_and_remainder_one_gives_zero() -> None:
    # s = 6·d1 + 5·d2 + 4·d3 + 3·d4 + 2·d5; (11 − s mod 11) mod 10
    assert municipality_check_digit("00000") == 1  # s = 0 → 11 mod 10
    assert municipality_check_digit("00005") == 1  # s = 10 → r 10 → 1
    assert municipality_check_digit("00006") == 0  # s = 12 → r 1 → 10 mod 10
    assert municipality_check_digit("15202") == 1


def test_a_problem_renders_rfc9457_fields() -> None:
    problem = Problem(409, "Conflict", detail="already moved out", kind="conflict",
                      invalid_params=[{"name": "moved_on", "reason": "after death"}])
    body = problem.body("/v1/x")
    assert body == {
        "type": "https://kyodo.example/problems/conflict", "title": "Conflict", "status": 409,
        "detail": "already moved out", "instance": "/v1/x",
        "invalid_params": [{"name": "moved_on", "reason": "after death"}],
    }


def test_a_problem_carries_extension_members_that_cannot_hide_the_standard_ones() -> None:
    """RFC 9457 §3.2: extension members beside the standard ones (e.g. a possible duplicate's
    candidates); a clash keeps the standard member."""
    problem = Problem(409, "Possible duplicate", kind="possible-duplicate",
                      extensions={"candidates": [{"resident_id": "x"}], "status": 200})
    body = problem.body()
    assert body["candidates"] == [{"resident_id": "x"}]
    assert body["status"] == 409 and body["type"].endswith("/possible-duplicate")


def test_validation_errors_name_the_field_without_the_body_prefix() -> None:
    problem = validation_problem([
        {"type": "missing", "loc": ("body", "address", "postal_code"), "msg": "Field required"},
    ])
    assert problem.status == 422
    assert problem.invalid_params == [{"name": "address.postal_code", "reason": "Field required"}]


def test_invalid_json_is_a_400_not_a_422() -> None:
    problem = validation_problem([{"type": "json_invalid", "loc": ("body", 3), "msg": "x"}])
    assert problem.status == 400
