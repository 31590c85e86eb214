from enum import StrEnum


class Layout(StrEnum):
    HOUSEHOLD = "household"
    INDIVIDUAL = "individual"

    def __str__(self) -> str:
        return str(self.value)
