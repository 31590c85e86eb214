from enum import StrEnum


class DamagedProperty(StrEnum):
    HOUSE = "house"
    HOUSEHOLD_GOODS = "household_goods"
    NON_RESIDENTIAL = "non_residential"
    OTHER = "other"
    VEHICLE = "vehicle"

    def __str__(self) -> str:
        return str(self.value)
