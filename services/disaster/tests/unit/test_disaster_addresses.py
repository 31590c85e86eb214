"""Addresses matched as clerks write them, and the declared affected area."""

from __future__ import annotations

import pytest

from kyodo_disaster.domain.addresses import Area, address_key


@pytest.mark.parametrize("written", [
    "新潟県三条市旭町二丁目3番1号", "新潟県三条市旭町2丁目3-1", "新潟県 三条市 旭町２－３－１",
    "新潟県三条市旭町2丁目3番地1"])
def test_one_address_written_four_ways_has_one_key(written: str) -> None:
    assert address_key(written) == "新潟県三条市旭町2-3-1"


def test_katakana_long_vowels_are_not_taken_for_dashes() -> None:
    assert address_key("三条市センター町1ー2") == "三条市センター町1-2"


def test_the_area_matches_by_town_name_or_postal_code() -> None:
    area = Area(["旭町二丁目", "955-0001"])
    assert area.contains(postal_code="9559999", address="新潟県三条市旭町2丁目3-1")
    assert area.contains(postal_code="9559999", address="新潟県三条市旭町二丁目")
    assert not area.contains(postal_code="9559999", address="新潟県三条市旭町20丁目3-1")
    assert area.contains(postal_code="9550001", address="新潟県三条市元町1")
    assert not area.contains(postal_code="9559999", address="新潟県三条市元町1")
