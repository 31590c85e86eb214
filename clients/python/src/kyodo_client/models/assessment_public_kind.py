from enum import StrEnum


class AssessmentPublicKind(StrEnum):
    CORRECTION = "correction"
    INITIAL = "initial"

    def __str__(self) -> str:
        return str(self.value)
