from enum import StrEnum


class RequestStatus(StrEnum):
    FAILED = "failed"
    ISSUED = "issued"
    KEPT = "kept"
    PENDING = "pending"
    REFUSED = "refused"
    SUPERSEDED = "superseded"
    VOIDED = "voided"

    def __str__(self) -> str:
        return str(self.value)
