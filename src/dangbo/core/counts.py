"""Kept counts: `n = n + delta` per key, inserting the rows not there yet.

Hand-written upsert: Django's `bulk_create(update_conflicts=True)` sets a column to the new row's
value, it cannot add to the stored one. Used by the appraisal's quota counts (`appraisal.kept`) and
the probation and badge counts kept per ancestor (`procedures.kept`, `procedures.badgekept`, through
`add_up_the_tree`).
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


def up_the_tree(delta: Counter, paths: dict[int, str], *, own: bool = True) -> Counter:
    """{(member's organisation id, value): n} → the same at each ancestor (`own`: the organisation
    itself too), read from the organisations' `paths` (`core.paths.ancestor_ids`)."""
    from dangbo.core.paths import ancestor_ids

    tree = Counter()
    for (org_id, value), n in delta.items():
        ids = ancestor_ids(paths[org_id])
        for anc in (ids if own else ids[:-1]):
            tree[(anc, value)] += n
    return tree


def add_up_the_tree(table: str, keys: Sequence[str], delta: Counter, *, own: bool = True) -> None:
    """`up_the_tree(delta)` added to `table` (`keys`: its organisation and value columns), the
    organisations' paths read in one query."""
    from dangbo.orgs.models import Organization

    delta = Counter({k: n for k, n in delta.items() if n})
    if not delta:
        return
    paths = dict(Organization.objects.filter(pk__in={o for o, _ in delta}).values_list("id", "path"))
    add_counts(table, keys, up_the_tree(delta, paths, own=own))
