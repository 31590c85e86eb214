"""続柄: a member's relationship to the household head, in the register's chain form."""

from __future__ import annotations

from kyodo_common.errors import InvalidInput
from kyodo_jp.household_order import HEAD, SPOUSES, Rank, normalize, rank

__all__ = ["HEAD", "MAX_LINKS", "SPOUSES", "STANDALONE", "Rank", "normalize", "rank", "validate"]
_LINKS = SPOUSES | frozenset({"子", "父", "母", "兄", "姉", "弟", "妹"})
STANDALONE = frozenset({"縁故者", "同居人"})
MAX_LINKS = 4
# Kinship words the register does not use: the chain form says the same thing.
_CHAIN_FORM_OF = {"祖父": "父の父 / 母の父", "祖母": "父の母 / 母の母", "孫": "子の子",
                  "おじ": "父の兄 など", "おば": "父の姉 など", "叔父": "父の弟 など",
                  "叔母": "父の妹 など", "伯父": "父の兄 など", "伯母": "父の姉 など",
                  "甥": "兄の子 など", "姪": "兄の子 など", "嫁": "子の妻", "婿": "子の夫",
                  "義父": "妻の父 など", "義母": "妻の母 など", "長男": "子", "長女": "子",
                  "次男": "子", "次女": "子"}


def validate(relationship: str, *, field: str = "relationship") -> str:
    """Accepts 世帯主, 縁故者, 同居人, or a chain like 子の妻 of at most four links."""
    value = normalize(relationship)
    if value == HEAD or value in STANDALONE:
        return value
    if value in _CHAIN_FORM_OF:
        raise InvalidInput(
            field, f"「{value}」は続柄に使いません: {_CHAIN_FORM_OF[value]} と記載します")
    links = value.split("の")
    if not value or any(link not in _LINKS for link in links):
        raise InvalidInput(field, f"「{value}」は続柄として認められません")
    if len(links) > MAX_LINKS:
        raise InvalidInput(
            field, f"続柄の連鎖は{MAX_LINKS}段までです: 5段以上は「縁故者」と記載します")
    return value
