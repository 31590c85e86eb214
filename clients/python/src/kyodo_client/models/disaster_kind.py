from enum import StrEnum


class DisasterKind(StrEnum):
    EARTHQUAKE = "earthquake"
    FIRE = "fire"
    FLOOD = "flood"
    LANDSLIDE = "landslide"
    OTHER = "other"
    SNOW = "snow"
    TYPHOON = "typhoon"

    def __str__(self) -> str:
        return str(self.value)
