from enum import StrEnum


class Disability(StrEnum):
    GENERAL = "general"
    NONE = "none"
    SPECIAL = "special"

    def __str__(self) -> str:
        return str(self.value)
