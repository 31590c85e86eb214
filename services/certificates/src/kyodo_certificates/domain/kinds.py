"""What can be issued: the kinds of certificate, the 住民票 layouts and the optional items."""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    RESIDENCE = "residence"  # 住民票の写し
    TAX = "tax"  # 課税証明書 / 非課税証明書
    DAMAGE = "damage"  # 罹災証明書
    DAMAGE_REPORT = "damage_report"  # 被災証明書: damage reported, no survey (DOMAIN §6)


# Usually free (DOMAIN §5): unless the town sets a fee for them.
FREE_KINDS = frozenset({Kind.DAMAGE, Kind.DAMAGE_REPORT})


class Layout(StrEnum):
    INDIVIDUAL = "individual"  # 個人票: one person per sheet
    HOUSEHOLD = "household"  # 世帯連記式: up to 4 persons per sheet


class Item(StrEnum):
    """Items of a 住民票の写し printed only when the applicant asks for them."""

    RELATIONSHIP = "relationship"  # 続柄
    HONSEKI = "honseki"  # 本籍・筆頭者
    MY_NUMBER = "my_number"  # 個人番号


class Status(StrEnum):
    ISSUED = "issued"
    VOIDED = "voided"


class RequestStatus(StrEnum):
    """A 罹災証明書 requested through the disaster service, per (application, survey)."""

    PENDING = "pending"  # recorded from the event; the worker issues it
    ISSUED = "issued"
    KEPT = "kept"  # a re-survey kept the grade: the certificate already issued stands
    SUPERSEDED = "superseded"  # a newer survey arrived before it was issued
    VOIDED = "voided"  # issued, then voided by a re-survey with another grade
    REFUSED = "refused"  # the rules refuse it (the householder under 支援措置, …)
    FAILED = "failed"  # failed on every attempt; left for an operator
