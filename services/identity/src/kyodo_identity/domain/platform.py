"""The platform itself as a pseudo-municipality: home of operators and of platform-wide audit."""

from __future__ import annotations

# Six characters like every municipality column, yet never a valid 全国地方公共団体コード (the
# check digit of 00000 is 1), so it can never name, or be mistaken for, a tenant.
PLATFORM_CODE = "000000"
OPERATOR_KIND = "operator"
OPERATOR_ROLE = "platform_operator"
OPERATOR_SCOPES = frozenset({"platform:manage", "grants:manage"})
