"""Form fields → the API's nested body."""

from __future__ import annotations

from kyodo_counter.forms import nested


def test_dotted_names_nest_and_empty_fields_are_left_out() -> None:
    form = {"csrf": "x", "key": "k", "effective_date": "2027-03-15",
            "person.family_name": " 山田 ", "person.birth_date": "",
            "household.join.relationship": "妻"}
    assert nested(form) == {"effective_date": "2027-03-15",
                            "person": {"family_name": "山田"},
                            "household": {"join": {"relationship": "妻"}}}


def test_only_the_named_fields_or_those_under_a_prefix() -> None:
    form = {"a": "1", "b": "2", "relationships.r1": "子", "relationships.r2": ""}
    assert nested(form, {"a"}) == {"a": "1"}
    assert nested(form, prefix="relationships.") == {"r1": "子"}
