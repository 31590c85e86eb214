from enum import StrEnum


class MemberInDisability(StrEnum):
    GENERAL = "general"
    NONE = "none"
    SPECIAL = "special"
    SPECIAL_COHABITING = "special_cohabiting"

    def __str__(self) -> str:
        return str(self.value)
