"""The kinds of disaster a municipality declares."""

from __future__ import annotations

from enum import StrEnum


class DisasterKind(StrEnum):
    FLOOD = "flood"  # 水害
    EARTHQUAKE = "earthquake"  # 地震
    TYPHOON = "typhoon"  # 台風
    LANDSLIDE = "landslide"  # 土砂災害
    SNOW = "snow"  # 雪害
    FIRE = "fire"  # 火災
    OTHER = "other"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {DisasterKind.FLOOD: "水害", DisasterKind.EARTHQUAKE: "地震",
           DisasterKind.TYPHOON: "台風", DisasterKind.LANDSLIDE: "土砂災害",
           DisasterKind.SNOW: "雪害", DisasterKind.FIRE: "火災", DisasterKind.OTHER: "その他"}
