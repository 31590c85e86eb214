from enum import StrEnum


class ApplicationStatus(StrEnum):
    READY = "ready"
    RECEIVED = "received"

    def __str__(self) -> str:
        return str(self.value)
