"""Examples of the identity API, by operation id, for the published OpenAPI document
(kyodo_common.openapi; tests/contract checks each against its schema).

三条市 (152048) and its staff; after a flood, 長岡市 (152021) sends a surveyor under a support
grant (対口支援). Logins, secrets and keys are made up; none works anywhere.
"""

from __future__ import annotations

from typing import Any

from kyodo_common.openapi import Example

CODE = "152048"  # 三条市
NAGAOKA = "152021"  # 長岡市
BASE = "https://kyodo.example.lg.jp"
ADMIN = "9d4c2b71-05e8-4f3a-bb6e-2a7c1d9e8f40"
CLERK = "3f1d2a6e-8b7c-4e59-a0d4-6c2b9e1f7a35"
SURVEYOR = "e2b7c9a4-6f1d-4c38-9a05-7d3e2f1b8c66"  # 長岡市's 山田 (yamada.k)
CLIENT = "152048-5f2c8e1a9b7d3c6e4a0f1b2d"
GRANT = "a7e3c1d9-2b4f-4e6a-8c0d-9f1e3b5a7c21"
SECRET_ID = "8f4a1c7e-3d2b-4a9e-b6f0-5c1d7e9a2b43"  # noqa: S105 - an id, not a secret
NOTE = "住家被害認定調査の応援（長岡市から2名）"
KID = "2026-11-01T00:00:00Z-1"

PER_CAPITA = {"municipal": 3000, "prefectural": 1000, "forest_env": 1000}
CONFIG: dict[str, Any] = {
    "per_capita": PER_CAPITA, "kyuchi": 1, "certificate_fee_yen": 300,
    "mayor_name": "三条市長　見本　太郎",  # a specimen name (見本), not the real mayor
    "certificate_fees_yen": {"residence": 300, "tax": 300, "damage": 0},
    "gannen": True, "designated_city": False, "cors_origins": ["https://madoguchi.example.lg.jp"],
    "purposes": {"local-snow-clearing": {"label": "除雪計画の作成",
                                         "label_en": "snow-clearing plans"}},
    "income_levy_rates": None}
MUNICIPALITY = {"code": CODE, "name": "三条市", "name_en": "Sanjo", "prefecture": "新潟県",
                "config": CONFIG, "version": 3, "created_at": "2026-04-01T00:00:00Z",
                "updated_at": "2026-10-15T02:30:11Z"}
STAFF = {"id": CLERK, "municipality_code": CODE, "login": "tanaka.h",
         "roles": ["counter_clerk"], "disabled": False, "locked_until": None,
         "created_at": "2026-04-01T00:10:00Z", "password_changed_at": "2026-04-02T23:41:05Z",
         "version": 2}
CLIENT_PUBLIC = {"client_id": CLIENT, "municipality_code": CODE, "name": "税務システム連携",
                 "scopes": ["residents:read", "tax:read"],
                 "created_at": "2026-05-11T05:00:00Z", "revoked_at": None,
                 "secrets": [{"id": SECRET_ID, "created_at": "2026-05-11T05:00:00Z",
                              "expires_at": None}]}
GRANT_PUBLIC = {"id": GRANT, "grantor_municipality": CODE,
                "grantee": {"municipality_code": NAGAOKA, "staff_id": SURVEYOR,
                            "login": "yamada.k"},
                "scopes": ["disaster:read", "disaster:write", "certificates:issue"],
                "valid_from": "2026-07-22T00:00:00Z", "valid_until": "2026-08-21T15:00:00Z",
                "disaster_ref": "令和8年7月大雨災害", "note": NOTE,
                "status": "active", "created_at": "2026-07-21T08:12:40Z", "created_by": ADMIN,
                "revoked_at": None, "revoked_by": None}
AUDIT_ENTRY = {"id": 10452, "occurred_at": "2026-07-21T08:12:40Z", "actor": ADMIN,
               "actor_home": CODE, "acting_municipality": CODE, "action": "grant.created",
               "subject_type": "support_grant", "subject_id": GRANT,
               "fields": ["grantee", "scopes", "valid_until"],
               "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736", "grant_id": None, "seq": 10452}
SCOPES = ["audit:read", "automation:approve", "automation:read", "automation:write",
          "certificates:issue", "certificates:manage", "clients:manage", "disaster:read",
          "disaster:write", "grants:manage", "mynumber:read", "protected:read",
          "residents:read", "residents:write", "staff:manage", "tax:read", "tax:write",
          "webhooks:manage", "webhooks:subscribe"]

EXAMPLES: dict[str, Example] = {
    "token": Example(
        "a counter clerk of 三条市 logs in",
        request={"grant_type": "password", "municipality_code": CODE, "username": "tanaka.h",
                 "password": "correct-horse-battery-staple"},
        response={"access_token": "eyJhbGciOiJFZERTQSIsImtpZCI6IjIwMjYtMTEtMDFUMDA6MDA6MDBaLTEi"
                                  "fQ.eyJzdWIiOiIzZjFkMmE2ZSJ9.c2lnbmF0dXJl",
                  "token_type": "Bearer", "expires_in": 900,
                  "scope": "certificates:issue certificates:manage protected:read "
                           "residents:read residents:write",
                  "refresh_token": "rt_4kq9Vd2mXo7T1bLw8sZc3yHn"}),
    "me": Example(
        "a 長岡市 clerk lent rights in 三条市 after a flood",
        response={"subject": "staff:152021:tanaka", "home_municipality": "152021",
                  "home_name": "長岡市", "roles": ["clerk"],
                  "scopes": ["residents:read", "residents:write", "certificates:issue"],
                  "grants": [{"grant_id": GRANT, "grantor_municipality": CODE,
                              "grantor_name": "三条市",
                              "scopes": ["disaster:read", "disaster:write"],
                              "valid_from": "2026-07-15T00:00:00+09:00",
                              "valid_until": "2026-10-15T00:00:00+09:00"}]}),
    "signing_keys": Example(
        "the current Ed25519 signing key",
        response={"keys": [{"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig",
                            "kid": KID, "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}),
    "change_password": Example(
        "a staff member changes their own password",
        request={"current_password": "correct-horse-battery-staple",
                 "new_password": "雪国の長い冬に灯る窓"}),
    "rotate_signing_keys": Example(
        "a new signing key; the previous one verifies until it retires",
        response={"kid": "2026-12-01T00:00:00Z-1",
                  "retiring": [{"kid": KID, "retired_at": "2026-12-02T00:00:00+00:00"}]}),
    "municipalities": Example("the municipalities on the platform",
                              response={"items": [MUNICIPALITY], "next": None}),
    "add_municipality": Example(
        "三条市 joins the platform, with its first administrator",
        request={"code": CODE, "name": "三条市", "name_en": "Sanjo", "prefecture": "新潟県",
                 "config": {"per_capita": PER_CAPITA, "kyuchi": 1, "certificate_fee_yen": 300},
                 "admin": {"login": "admin", "initial_password": "change-me-at-first-login"}},
        response={**MUNICIPALITY, "version": 1, "updated_at": "2026-04-01T00:00:00Z"}),
    "municipality": Example("三条市's settings", response=MUNICIPALITY),
    "configure_municipality": Example(
        "三条市 adds a local purpose of reads",
        request={"name": "三条市", "name_en": "Sanjo", "prefecture": "新潟県", "config": CONFIG},
        response=MUNICIPALITY),
    "platform_audit": Example(
        "what platform operators did",
        response={"items": [{**AUDIT_ENTRY, "id": 311, "seq": 311, "actor_home": "000000",
                             "acting_municipality": "000000", "action": "municipality.created",
                             "subject_type": "municipality", "subject_id": CODE,
                             "fields": ["name", "prefecture", "config"]}], "next": None}),
    "verify_platform_audit": Example(
        "the platform's audit trail is intact",
        response={"entries": 311, "valid": True, "first_broken_seq": None}),
    "add_staff": Example(
        "a new counter clerk",
        request={"login": "tanaka.h", "initial_password": "change-me-at-first-login",
                 "roles": ["counter_clerk"]},
        response={**STAFF, "version": 1, "password_changed_at": None}),
    "staff_list": Example("三条市's staff", response={"items": [STAFF], "next": None}),
    "staff_member": Example("one staff member", response=STAFF),
    "set_roles": Example(
        "the clerk also issues certificates",
        request={"roles": ["counter_clerk", "certificate_issuer"]},
        response={**STAFF, "roles": ["certificate_issuer", "counter_clerk"], "version": 3}),
    "disable": Example("a staff member who left", response={**STAFF, "disabled": True,
                                                             "version": 3}),
    "add_client": Example(
        "the tax system of 三条市 as a partner client",
        request={"name": "税務システム連携", "scopes": ["residents:read", "tax:read"]},
        response={"client_id": CLIENT, "client_secret": "q8W1r0e-9oJ5ZyXh2mC4vKp7LbN3sD6f",
                  "client": CLIENT_PUBLIC}),
    "clients": Example("三条市's partner clients", response={"items": [CLIENT_PUBLIC],
                                                           "next": None}),
    "client": Example("one partner client", response=CLIENT_PUBLIC),
    "rotate_client_secret": Example(
        "a new secret; the old one works for another day",
        request={"overlap_seconds": 86400},
        response={"client_id": CLIENT, "client_secret": "Zt5uQ2bH8kR1nV6xW3cE9yA0mJ4pL7sD",
                  "previous_secrets_valid_until": "2026-12-02T01:00:00Z"}),
    "revoke": Example("a client no longer used",
                      response={**CLIENT_PUBLIC, "revoked_at": "2026-12-01T01:00:00Z"}),
    "grant": Example(
        "対口支援: 長岡市's yamada.k may survey houses in 三条市 for a month",
        request={"grantee": {"municipality_code": NAGAOKA, "login": "yamada.k"},
                 "scopes": ["disaster:read", "disaster:write", "certificates:issue"],
                 "valid_from": "2026-07-22T00:00:00Z", "valid_until": "2026-08-21T15:00:00Z",
                 "disaster_ref": "令和8年7月大雨災害", "note": NOTE},
        response=GRANT_PUBLIC),
    "grants": Example("support grants of 三条市", response={"items": [GRANT_PUBLIC],
                                                          "next": None}),
    "one_grant": Example("one support grant", response=GRANT_PUBLIC),
    "revoke_support_grant": Example(
        "the support ends early",
        response={**GRANT_PUBLIC, "status": "revoked", "revoked_at": "2026-08-10T06:00:00Z",
                  "revoked_by": ADMIN}),
    "identity_audit_trail": Example("三条市's identity audit trail",
                                    response={"items": [AUDIT_ENTRY], "next": None}),
    "verify": Example("三条市's identity audit trail is intact",
                      response={"entries": 10452, "valid": True, "first_broken_seq": None}),
    "logout": Example("end the session and its refresh token",
                      request={"refresh_token": "rt_4kq9Vd2mXo7T1bLw8sZc3yHn"}),
    "accepted_purposes": Example(
        "the purposes a read may state in 三条市",
        response={"items": [{"code": "residence-certificate", "label": "住民票の写し等の交付",
                             "label_en": "issuing residence certificates", "standard": True},
                            {"code": "local-snow-clearing", "label": "除雪計画の作成",
                             "label_en": "snow-clearing plans", "standard": False}],
                  "next": None}),
    "authorization_server_metadata": Example(
        "how a client finds the token endpoint and the keys",
        response={"issuer": f"{BASE}/identity", "token_endpoint": f"{BASE}/v1/auth/token",
                  "jwks_uri": f"{BASE}/v1/auth/jwks.json",
                  "grant_types_supported": ["password", "refresh_token", "client_credentials"],
                  "token_endpoint_auth_methods_supported": ["client_secret_basic",
                                                            "client_secret_post"],
                  "response_types_supported": [], "scopes_supported": SCOPES,
                  "service_documentation": f"{BASE}/docs", "ui_locales_supported": ["ja", "en"]}),
}
