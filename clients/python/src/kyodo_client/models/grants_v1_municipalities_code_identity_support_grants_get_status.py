from enum import StrEnum


class GrantsV1MunicipalitiesCodeIdentitySupportGrantsGetStatus(StrEnum):
    ACTIVE = "active"
    ALL = "all"

    def __str__(self) -> str:
        return str(self.value)
