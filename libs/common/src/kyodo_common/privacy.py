"""支援措置 (protection of DV victims and others): who may see a protected person.

The decision is made once, from the verified caller, and enforced by PostgreSQL: every
transaction names it (``kyodo.sees_protected``), and a restrictive row-level-security policy on
every table that holds a person's data hides a protected person's rows from anyone else. So a
route, a view or a read model that forgets to ask still cannot show them (ADR 0003).

- Home staff of the person's municipality with the ``protected:read`` scope see them.
- Nobody else does: staff acting under a support grant, partner and automation clients, staff
  without the scope, and any HTTP request that has not shown who it is.
- Processes that are not serving a request (event consumers, job workers) keep read models
  whole, so they see every row.

Measures take effect and end on their dates: the policy compares them with today's date in
Japan inside the database, so nothing has to run when a measure starts or ends.
"""

from __future__ import annotations

from contextvars import ContextVar

from kyodo_common.assertion import Acting

PROTECTED_SCOPE = "protected:read"
SETTING = "kyodo.sees_protected"

# True outside HTTP requests (workers, consumers, migrations, tests of the service layer);
# every HTTP request starts at False (AT_REQUEST_START) until its caller is verified.
_sees_protected: ContextVar[bool] = ContextVar("kyodo_sees_protected", default=True)


def may_see_protected(acting: Acting) -> bool:
    """Home staff with the explicit scope; never under a grant, never a client."""
    principal = acting.principal
    return (acting.grant_id is None and principal.kind == "staff"
            and principal.home_municipality == acting.municipality
            and acting.has_scope(PROTECTED_SCOPE))


def sees_protected() -> bool:
    """Whether this task's transactions may show protected people."""
    return _sees_protected.get()


def viewer_is(acting: Acting) -> None:
    """The verified caller of this request decides what its transactions show."""
    _sees_protected.set(may_see_protected(acting))


def setting_call() -> str:
    """The call that tells this transaction's policies what the viewer may see."""
    return f"set_config('{SETTING}', '{'on' if sees_protected() else 'off'}', true)"


def setting_sql() -> str:
    """The statement that tells this transaction's policies what the viewer may see."""
    return f"SELECT {setting_call()}"

# Every HTTP request starts blind to protected people: only a verified caller who may see them
# (``viewer_is``) changes that, so an unauthenticated route never shows them
# (kyodo_common.web.FreshRequestContext sets it, and resets it after the request).
AT_REQUEST_START = (_sees_protected, False)
