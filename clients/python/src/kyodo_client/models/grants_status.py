from enum import StrEnum


class GrantsStatus(StrEnum):
    ACTIVE = "active"
    ALL = "all"

    def __str__(self) -> str:
        return str(self.value)
