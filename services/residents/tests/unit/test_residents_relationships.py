"""続柄 rules and the certificate order of household members (DOMAIN.md §3)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from kyodo_common.errors import InvalidInput, RuleBroken
from kyodo_residents.domain import relationship as rel
from kyodo_residents.domain.model import Household, Person, Status
from kyodo_residents.domain.rules import check_effective_date, check_special_move_in, is_late
from kyodo_residents.service_layer.records import _one_month_before, _one_year_from


@pytest.mark.parametrize("value", ["世帯主", "妻", "夫", "妻(未届)", "夫（未届）", "子", "父", "母",
                                   "兄", "姉", "弟", "妹", "子の妻", "子の子", "父の母",
                                   "子の子の子の子", "縁故者", "同居人"])
def test_accepted_relationships(value: str) -> None:
    assert rel.validate(value) == rel.normalize(value)


@pytest.mark.parametrize("value", ["祖父", "孫", "おじ", "長男", "嫁"])
def test_kinship_words_are_refused_with_the_chain_form(value: str) -> None:
    with pytest.raises(InvalidInput, match="と記載します"):
        rel.validate(value)


def test_a_fifth_link_is_refused_and_points_to_enkosha() -> None:
    with pytest.raises(InvalidInput, match="縁故者"):
        rel.validate("子の子の子の子の子")


@pytest.mark.parametrize("value", ["", "友人", "子の", "の子", "子の友人"])
def test_unknown_terms_are_refused(value: str) -> None:
    with pytest.raises(InvalidInput):
        rel.validate(value)


def _person(relationship: str, birth: date | None, number: str,
            partial: str | None = None) -> Person:
    return Person(id=uuid.uuid4(), platform_person_id=uuid.uuid4(), resident_number=number,
                  version=1, status=Status.RESIDENT, family_name="三条", given_name=relationship,
                  family_name_kana="サンジョウ", given_name_kana="タロウ", birth_date=birth,
                  birth_date_partial=partial, sex="male", nationality="JP",
                  postal_code="9558686", address="三条市", relationship=relationship)


def test_members_are_ordered_head_spouse_children_by_birth_families_elders_others() -> None:
    members = [
        _person("同居人", date(1990, 1, 1), "0000000108"),
        _person("母", date(1940, 1, 1), "0000000205"),
        _person("子", date(2005, 1, 1), "0000000302"),
        _person("子の妻", date(2003, 1, 1), "0000000400"),
        _person("妻", date(1971, 1, 1), "0000000507"),
        _person("子", date(2001, 1, 1), "0000000604"),
        _person("縁故者", None, "0000000701", partial="1960~"),
        _person("世帯主", date(1970, 1, 1), "0000000809"),
        _person("父の兄", date(1935, 1, 1), "0000000906"),
    ]
    household = Household(id=uuid.uuid4(), household_number="0000000019", head_id=members[7].id,
                          postal_code="9558686", address="三条市", formed_on=date(2000, 1, 1),
                          version=1, members=members)
    order = [m.relationship for m in household.ordered_members()]
    assert order == ["世帯主", "妻", "子", "子", "子の妻", "母", "父の兄", "縁故者", "同居人"]
    children = [m.birth_date for m in household.ordered_members() if m.relationship == "子"]
    assert children == [date(2001, 1, 1), date(2005, 1, 1)]


def test_a_household_needs_exactly_one_head() -> None:
    head = _person("世帯主", date(1970, 1, 1), "0000000809")
    second = _person("世帯主", date(1972, 1, 1), "0000000507")
    household = Household(id=uuid.uuid4(), household_number="0000000019", head_id=head.id,
                          postal_code="9558686", address="三条市", formed_on=date(2000, 1, 1),
                          version=1, members=[head, second])
    with pytest.raises(RuleBroken, match="exactly one head"):
        household.check_invariants()
    second.relationship = "妻"
    household.check_invariants()


def test_effective_dates_and_deadlines() -> None:
    today = date(2026, 11, 27)
    check_effective_date(today, today=today)
    with pytest.raises(InvalidInput):
        check_effective_date(date(2026, 11, 28), today=today)
    check_effective_date(date(2026, 12, 15), today=today, may_be_future=True)  # 転出 announced
    assert not is_late(date(2026, 11, 13), today=today)  # the 14th day
    assert is_late(date(2026, 11, 12), today=today)
    check_special_move_in(planned_move_date=date(2026, 10, 28), today=today)  # day 30
    with pytest.raises(InvalidInput):
        check_special_move_in(planned_move_date=date(2026, 10, 27), today=today)


def test_protection_lasts_a_year_and_is_extendable_from_a_month_before_its_end() -> None:
    assert _one_year_from(date(2020, 4, 1)) == date(2021, 3, 31)
    assert _one_year_from(date(2021, 4, 1)) == date(2022, 3, 31)  # the extension's year
    assert _one_year_from(date(2024, 2, 29)) == date(2025, 2, 28)
    assert _one_month_before(date(2021, 3, 31)) == date(2021, 2, 28)
    assert _one_month_before(date(2021, 1, 15)) == date(2020, 12, 15)


def test_a_move_out_filed_after_the_move_is_late() -> None:
    today = date(2026, 11, 27)
    assert not is_late(date(2026, 11, 27), today=today, days=0)
    assert is_late(date(2026, 11, 26), today=today, days=0)
