"""The purpose vocabulary: codes and their form (ADR 0013)."""

from __future__ import annotations

import pytest

from kyodo_common import purposes
from kyodo_common.errors import Problem


def test_every_standard_code_has_the_form_and_a_japanese_label() -> None:
    for code, purpose in purposes.STANDARD.items():
        assert purposes.is_code(code) and not purposes.is_local(code)
        assert purpose.code == code and not purpose.label.isascii() and purpose.label_en


@pytest.mark.parametrize("value", ["tax-assessment", " audit ", "local-snow-clearing"])
def test_codes_are_accepted_trimmed(value: str) -> None:
    assert purposes.check_purpose(value) == value.strip()


@pytest.mark.parametrize("value", ["x", "tax", "tax assessment", "tax--assessment",
                                   "tax-assessment-", "TAX-ASSESSMENT", "local-",
                                   "課税事務", "è", "local-" + "a" * 60])
def test_anything_else_is_refused_naming_the_header(value: str) -> None:
    with pytest.raises(Problem) as refused:
        purposes.check_purpose(value)
    assert refused.value.status == 422
    assert refused.value.body()["invalid_params"][0]["name"] == "X-Kyodo-Purpose"
