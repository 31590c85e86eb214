"""続柄: a member's relationship to the household head, in the register's chain form."""

from __future__ import annotations

from enum import IntEnum

from kyodo_common.errors import InvalidInput

HEAD = "世帯主"
SPOUSES = frozenset({"妻", "夫", "妻(未届)", "夫(未届)"})
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


class Rank(IntEnum):
    """Order of members on certificates: head, spouse, children, their families, elders…"""

    HEAD = 0
    SPOUSE = 1
    CHILD = 2
    CHILDS_FAMILY = 3
    ELDERS_AND_SIBLINGS = 4
    OTHER_RELATIVES = 5
    EN_KO_SHA = 6
    DOUKYONIN = 7


def normalize(relationship: str) -> str:
    return relationship.strip().replace("（", "(").replace("）", ")")


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


def rank(relationship: str) -> Rank:
    value = normalize(relationship)
    if value == HEAD:
        return Rank.HEAD
    if value in SPOUSES:
        return Rank.SPOUSE
    if value == "子":
        return Rank.CHILD
    if value == "縁故者":
        return Rank.EN_KO_SHA
    if value == "同居人":
        return Rank.DOUKYONIN
    first = value.split("の")[0]
    if first == "子":
        return Rank.CHILDS_FAMILY
    if first in {"父", "母", "兄", "姉", "弟", "妹"} and "の" not in value:
        return Rank.ELDERS_AND_SIBLINGS
    if value.split("の")[0] in {"父", "母"} and value.split("の")[-1] in {"父", "母"}:
        return Rank.ELDERS_AND_SIBLINGS  # grandparents: 父の父, 母の母 …
    return Rank.OTHER_RELATIVES
