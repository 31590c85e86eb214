"""`python -m kyodo_residents.rekey CODE...`: re-key the stored 個人番号 of these municipalities
with the newest My Number key. Run with the residents service's own environment (its
KYODO_MY_NUMBER_KEYS and DATABASE_URL), as docs/operations.md "Rotate signing keys" says."""

from __future__ import annotations

import asyncio
import sys

from kyodo_common.db import Database
from kyodo_residents.main import my_number_cipher
from kyodo_residents.service_layer.rekey import rekey_my_numbers
from kyodo_residents.settings import ResidentsSettings


async def main(codes: list[str]) -> int:
    settings = ResidentsSettings()
    cipher = my_number_cipher(settings)
    db = Database(settings.database_url, pool_size=1)
    try:
        for code in codes:
            print(f"{code}: {await rekey_my_numbers(db, cipher, code)} re-keyed")
    finally:
        await db.dispose()
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: python -m kyodo_residents.rekey MUNICIPALITY_CODE...")
    sys.exit(asyncio.run(main(sys.argv[1:])))
