"""Kept counts: `n = n + delta` per key, inserting the rows not there yet.

Hand-written upsert: Django's `bulk_create(update_conflicts=True)` sets a column to the new row's
value, it cannot add to the stored one. Used by the appraisal's quota counts (`appraisal.kept`) and
the probation counts (`procedures.kept`).
"""

from collections import Counter
from collections.abc import Sequence

from django.db import connection


def add_counts(table: str, keys: Sequence[str], delta: Counter) -> None:
    """Add `delta` ({key tuple: n}, zeros skipped) to column `n` of `table`, whose unique key is the
    columns `keys`; rows in one order, so concurrent writers never deadlock on them."""
    rows = sorted((*k, n) for k, n in delta.items() if n)
    if not rows:
        return
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in keys)
    marks = ", ".join(["%s"] * (len(keys) + 1))
    sql = (f"INSERT INTO {qn(table)} ({cols}, n) VALUES ({marks}) "
           f"ON CONFLICT ({cols}) DO UPDATE SET n = {qn(table)}.n + excluded.n")
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
