"""problem+json → messages next to the fields, in Japanese."""

from __future__ import annotations

from kyodo_counter.problems import form_errors, japanese


def test_each_invalid_param_goes_next_to_its_field_in_japanese() -> None:
    problem = {"status": 422, "invalid_params": [
        {"name": "person.birth_date", "reason": "Input should be a valid date"},
        {"name": "address", "reason": "String should have at most 300 characters"},
        {"name": "person.family_name", "reason": "Field required"}]}
    errors = form_errors(422, problem, {"person.birth_date", "address", "person.family_name"})
    assert errors.fields == {"person.birth_date":
                             "日付を正しく入力してください（例: 2026-03-15）。",
                             "address": "300文字以内で入力してください。",
                             "person.family_name": "入力してください。"}
    assert errors.general == []


def test_a_param_the_form_has_not_is_shown_on_top_with_its_name() -> None:
    problem = {"invalid_params": [{"name": "destination.country", "reason": "unknown country"}]}
    errors = form_errors(422, problem, {"address"})
    assert errors.fields == {}
    assert errors.general == [
        "destination.country: 入力内容を確認してください（unknown country）。"]


def test_a_stale_record_is_reported_as_changed_by_someone_else() -> None:
    errors = form_errors(412, {"detail": "version 3 is not current"}, set())
    assert errors.general and "他の職員がこの記録を更新しました" in errors.general[0]
    named = form_errors(412, {"invalid_params": [{"name": "If-Match",
                                                  "reason": "stale version"}]}, set())
    assert len(named.general) == 1 and "他の職員がこの記録を更新しました" in named.general[0]


def test_a_conflict_keeps_the_apis_detail() -> None:
    errors = form_errors(409, {"detail": "the transfer was already used"}, set())
    assert errors.general == ["この手続きは現在の記録と矛盾するため受け付けられません。"
                              "（the transfer was already used）"]


def test_an_unknown_reason_keeps_the_original_words() -> None:
    assert japanese("the grant must end after it starts") == \
        "入力内容を確認してください（the grant must end after it starts）。"


def test_a_domain_rules_bare_name_lands_at_the_one_nested_field_it_ends() -> None:
    problem = {"invalid_params": [{"name": "family_name_kana",
                                   "reason": "フリガナ must be katakana or hiragana"}]}
    errors = form_errors(422, problem, {"person.family_name_kana", "person.given_name_kana"})
    assert errors.fields == {"person.family_name_kana": "カタカナで入力してください。"}
    ambiguous = form_errors(422, {"invalid_params": [{"name": "address", "reason": "x"}]},
                            {"a.address", "b.address"})
    assert not ambiguous.fields and ambiguous.general


def test_a_tax_year_the_person_did_not_live_here_on_1_january_is_said_in_japanese() -> None:
    assert japanese("the person was not registered here on 2026-01-01") == (
        "2026-01-01にこの市区町村の住民ではありません（課税は1月1日の住所地で行います）。")
