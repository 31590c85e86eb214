from enum import StrEnum


class SwitchReason(StrEnum):
    DIED = "died"
    LEFT_JOB = "left_job"

    def __str__(self) -> str:
        return str(self.value)
