from enum import StrEnum


class ItemsV1MunicipalitiesCodeAutomationHumanQueueGetState(StrEnum):
    DECIDED = "decided"
    OPEN = "open"

    def __str__(self) -> str:
        return str(self.value)
