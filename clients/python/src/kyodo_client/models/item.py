from enum import StrEnum


class Item(StrEnum):
    HONSEKI = "honseki"
    MY_NUMBER = "my_number"
    RELATIONSHIP = "relationship"

    def __str__(self) -> str:
        return str(self.value)
