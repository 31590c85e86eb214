from enum import StrEnum


class ItemsState(StrEnum):
    DECIDED = "decided"
    OPEN = "open"

    def __str__(self) -> str:
        return str(self.value)
