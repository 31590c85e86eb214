"""Examples of the certificates API, by operation id, for the published OpenAPI document
(kyodo_common.openapi; tests/contract checks each against its schema).

三条市 (152048) issues for the fictitious 渡辺 household (as in residents' examples) at the
counter 本庁1 on 1 December 2026; after the flood of July 2026, 罹災証明書 for its houses.
"""

from __future__ import annotations

from typing import Any

from kyodo_common.openapi import Example

CODE = "152048"  # 三条市
BASE = f"/v1/municipalities/{CODE}/certificates"
KENICHI = "21f70ff6-9d03-4ce5-8036-80a36ca7aa59"
MISAKI = "b70376fd-5774-4ed6-b393-589f3cfc3c70"
HARUTO = "74612dc0-51a3-4afd-b199-7b00d97de88d"
STAFF = "3f1d2a6e-8b7c-4e59-a0d4-6c2b9e1f7a35"
ISSUANCE = "d41c7b2e-9a3f-4e08-8b61-2c5f7a9e0d13"
CERTIFICATE = "6a2f9d1c-4b7e-4c3a-9e05-8d1b3f7c2a64"
DISASTER = "b3d8e1f4-7a2c-4b9e-a6d0-1c5e8f2b7a39"
HOUSE = "f1c4a7d2-3e9b-4a6c-8d05-7b2e9c1f4a86"
APPLICATION = "2c7e1a9d-5f3b-4d8a-b0e6-9a4c2f7d1e53"
CODE_1 = "152048-7KQ2-M9XD-4HBT"
SHA = "9b2e4f1a7c3d8e5b0a6f2c9d1e4b7a3c8f5d2e9b1a4c7f3e6d0b2a5c8e1f4d7a"


def copy(certificate_id: str, serial: int, pages: int = 1) -> dict[str, Any]:
    return {"certificate_id": certificate_id, "copy_number": 1,
            "issue_numbers": [f"20261201 三条市 本庁1 プリンタ001 {serial:03d} {page}/{pages}"
                              for page in range(1, pages + 1)],
            "verification_code": CODE_1, "pages": pages, "sha256": SHA,
            "pdf": f"{BASE}/{certificate_id}/pdf"}


def issuance(kind: str, title: str, fee: int, *copies: dict[str, Any]) -> dict[str, Any]:
    return {"issuance_id": ISSUANCE, "kind": kind, "title": title, "municipality_code": CODE,
            "issued_on": "2026-12-01", "fee_yen_per_copy": fee,
            "fee_yen_total": fee * len(copies), "copies": list(copies)}


COUNTER = {"terminal": "本庁1", "printer": "プリンタ001"}
CERTIFICATE_PUBLIC = {
    "id": CERTIFICATE, "issuance_id": ISSUANCE, "kind": "residence", "title": "住民票の写し",
    "copy_number": 1, "issued_on": "2026-12-01", "issued_at": "2026-12-01T01:15:42Z", "pages": 1,
    "issue_numbers": ["20261201 三条市 本庁1 プリンタ001 011 1/1"], "verification_code": CODE_1,
    "fee_yen": 300, "subject_ids": [KENICHI, MISAKI, HARUTO],
    "fields": ["name", "birth_date", "sex", "address", "relationship", "became_resident_on"],
    "status": "issued", "voided_at": None, "issued_by": STAFF, "issued_by_home": CODE,
    "grant_id": None}
DAMAGE_REQUEST = {"application_id": APPLICATION, "survey_version": 1, "assessment_id": HOUSE,
                  "status": "issued", "reason": None, "issuance_id": ISSUANCE,
                  "issued_at": "2026-08-03T00:30:05Z",
                  "copies": [{"certificate_id": CERTIFICATE, "copy_number": 1,
                              "verification_code": CODE_1, "status": "issued",
                              "pdf": f"{BASE}/{CERTIFICATE}/pdf"}]}
VERIFIED = {"result": "genuine", "kind": "residence", "title": "住民票の写し",
            "issued_on": "2026-12-01", "municipality_code": CODE, "municipality_name": "三条市",
            "voided_on": None}

EXAMPLES: dict[str, Example] = {
    "resident_snapshot": Example(
        "the read model's copy of 渡辺健一, from residents' events",
        response={"resident_id": KENICHI, "platform_person_id": "0548d3a1-c1d1-4a1b-ae19-"
                                                                 "6d89ea8eb235",
                  "status": "resident", "version": 2, "protected": False,
                  "resident_number": "0001203452", "family_name": "渡辺", "given_name": "健一",
                  "family_name_kana": "ワタナベ", "given_name_kana": "ケンイチ",
                  "birth_date": "1984-05-12", "sex": "male", "postal_code": "9550055",
                  "address": "新潟県三条市東裏館二丁目15番8号", "registered_on": "2019-04-01"}),
    "issue_residence_certificate": Example(
        "住民票の写し (世帯連記式) of the 渡辺 household with 続柄, asked for by 渡辺健一",
        request={**COUNTER, "copies": 1, "applicant": {"resident_id": KENICHI},
                 "layout": "household", "resident_id": KENICHI, "items": ["relationship"]},
        response=issuance("residence", "住民票の写し", 300, copy(CERTIFICATE, 11))),
    "tax": Example(
        "課税証明書 of 令和8年度 (2025's income) for 渡辺健一",
        request={**COUNTER, "applicant": {"resident_id": KENICHI}, "resident_id": KENICHI,
                 "fiscal_year": 2026},
        response=issuance("tax", "課税証明書", 300, copy(CERTIFICATE, 12))),
    "damage": Example(
        "罹災証明書 of a house surveyed after the July flood",
        request={**COUNTER, "copies": 1, "applicant": {"resident_id": KENICHI},
                 "assessment_id": HOUSE},
        response=issuance("damage", "罹災証明書", 0, copy(CERTIFICATE, 13))),
    "damage_report": Example(
        "被災証明書: a car flooded in the July flood, as 渡辺健一 reported it",
        request={**COUNTER, "applicant": {"resident_id": KENICHI}, "disaster_id": DISASTER,
                 "resident_id": KENICHI, "properties": ["vehicle"],
                 "location": "新潟県三条市東裏館二丁目15番8号",
                 "description": "駐車場に停めていた自家用車が床上まで浸水した"},
        response=issuance("damage_report", "被災証明書", 0, copy(CERTIFICATE, 14))),
    "progress": Example(
        "罹災証明書 for the July flood: how far issuing is",
        response={"disaster_id": DISASTER, "houses": 412, "requested": 388, "issued": 371,
                  "pending": 9, "kept": 2, "superseded": 4, "voided": 0, "refused": 1,
                  "failed": 1, "copies_issued": 402,
                  "problems": [{"application_id": APPLICATION, "survey_version": 1,
                                "status": "refused",
                                "reason": "the applicant is under a 支援措置"}]}),
    "requests_of": Example("each requested 罹災証明書 of the July flood",
                           response={"items": [DAMAGE_REQUEST], "next": None}),
    "read_certificate": Example("one copy of a 住民票の写し", response=CERTIFICATE_PUBLIC),
    "void_certificate": Example(
        "a copy voided: issued with a wrong address",
        request={"reason": "記載誤りのため再交付（住所の方書漏れ）"},
        response={"certificate_id": CERTIFICATE, "status": "voided",
                  "voided_at": "2026-12-01T02:03:11Z"}),
    "keys": Example(
        "the keys that sign certificates, to check a PDF offline",
        response={"keys": [{"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig",
                            "kid": "certificates-2026-1",
                            "x": "O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik"}]}),
    "by_code": Example("a genuine 住民票の写し, by the code printed on it", response=VERIFIED),
    "by_file": Example("a genuine 住民票の写し, by its PDF", response=VERIFIED),
}
