from enum import StrEnum


class ImportFileFormatType0(StrEnum):
    CSV = "csv"
    JSON = "json"

    def __str__(self) -> str:
        return str(self.value)
