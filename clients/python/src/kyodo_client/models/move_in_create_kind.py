from enum import StrEnum


class MoveInCreateKind(StrEnum):
    ABROAD = "abroad"
    DOMESTIC = "domestic"

    def __str__(self) -> str:
        return str(self.value)
