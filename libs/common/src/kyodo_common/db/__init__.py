"""Database access: engines, tenant-scoped transactions, the unit of work, RLS helpers."""

from kyodo_common.db.engine import Database, asyncpg_dsn
from kyodo_common.db.unit_of_work import UnitOfWork

__all__ = ["Database", "UnitOfWork", "asyncpg_dsn"]
