"""Re-keying stored 個人番号 after the My Number data key is rotated (docs/operations.md).

With KYODO_MY_NUMBER_KEYS = "new,old", every number an older key sealed is opened, sealed
again with the newest key and given the newest key's lookup hash, in batches of one short
transaction each. The number's version and history do not change: only how it is kept does.
Running it again re-keys nothing more; when it reports 0 for every municipality, the old key
can be dropped from the setting.
"""

from __future__ import annotations

from kyodo_common.crypto import FieldCipher
from kyodo_common.db import Database
from kyodo_residents.adapters.store import reseal_my_number, sealed_my_numbers


async def rekey_my_numbers(db: Database, cipher: FieldCipher, municipality_code: str, *,
                           batch_size: int = 500) -> int:
    """How many numbers of this municipality were re-keyed."""
    rekeyed, after = 0, None
    while True:
        async with db.tenant_transaction(municipality_code) as session:
            rows = await sealed_my_numbers(session, after=after, limit=batch_size)
            for row in rows:
                number, index = cipher.decrypt_with_index(row.my_number_cipher,
                                                          bound_to=str(row.id))
                if index == 0:
                    continue
                await reseal_my_number(
                    session, row.id, cipher=cipher.encrypt(number, bound_to=str(row.id)),
                    lookup_hash=cipher.lookup_hash(number))
                rekeyed += 1
        if len(rows) < batch_size:
            return rekeyed
        after = rows[-1].id
