from enum import StrEnum


class DecisionDecision(StrEnum):
    APPROVED = "approved"
    DISMISSED = "dismissed"
    REJECTED = "rejected"
    RESOLVED = "resolved"

    def __str__(self) -> str:
        return str(self.value)
