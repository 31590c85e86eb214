from enum import StrEnum


class Widowhood(StrEnum):
    NONE = "none"
    SINGLE_FATHER = "single_father"
    SINGLE_MOTHER = "single_mother"
    WIDOW = "widow"

    def __str__(self) -> str:
        return str(self.value)
