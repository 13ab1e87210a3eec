"""Per-organisation member counters (`Organization.official_count`, `probationary_count`).

Each organisation counts its OWN members (not its subtree) the MEM-5 way (`members.rules.COUNTED_STATES`):
official and exempt members → `official_count`, probationary → `probationary_count`; final states are
not counted, and a member counts at the permanent organisation only (`Member.organization`), never at
a temporary host. The tree selectors sum these up the tree, so the tree page reads no member rows.

Writers keep them right in the same transaction as the change: `members.services._record` (the one
place a member's organisation or state changes) calls `counts_apply` with the member's
(organisation, state) before and after. `counts_rebuild` recomputes them from the members with one
grouped query: `dangbo recount`, bench/generate.py after its bulk inserts, and the tests that check
`counts_apply` against it.
"""

from django.db import connection, transaction
from django.db.models import Count, F, Q

from dangbo.members.rules import COUNTED_STATES
from dangbo.orgs.models import Organization

OFFICIAL, PROBATIONARY = "official_count", "probationary_count"


def counted_field(state: str | None) -> str | None:
    """The counter a member in `state` adds to at their permanent organisation, or None (not counted)."""
    if state not in COUNTED_STATES:
        return None
    return PROBATIONARY if state == "probationary" else OFFICIAL


def counts_apply(old_org_id: int | None, old_state: str | None, new_org_id: int | None,
                 new_state: str | None) -> None:
    """Move one member's count from (old_org_id, old_state) to (new_org_id, new_state).

    One `UPDATE … SET x = x ± 1` per organisation whose counters change (none when neither the
    organisation nor the counted bucket changes); organisations in id order, so concurrent writers
    lock rows in the same order. Call inside the transaction that saves the member.
    """
    old_field = counted_field(old_state) if old_org_id is not None else None
    new_field = counted_field(new_state) if new_org_id is not None else None
    if (old_org_id, old_field) == (new_org_id, new_field):
        return
    deltas: dict[int, dict[str, int]] = {}
    if old_field:
        deltas.setdefault(old_org_id, {}).setdefault(old_field, 0)
        deltas[old_org_id][old_field] -= 1
    if new_field:
        deltas.setdefault(new_org_id, {}).setdefault(new_field, 0)
        deltas[new_org_id][new_field] += 1
    for org_id in sorted(deltas):
        changes = {f: F(f) + d for f, d in deltas[org_id].items() if d}
        if changes:
            Organization.objects.filter(pk=org_id).update(**changes)


def counted_members(org_ids=None) -> dict[int, tuple[int, int]]:
    """{organisation id: (official, probationary)} from the member rows: one grouped query."""
    from dangbo.members.models import Member

    qs = Member.objects.filter(state__in=COUNTED_STATES)
    if org_ids is not None:
        qs = qs.filter(organization_id__in=list(org_ids))
    rows = qs.order_by().values("organization_id").annotate(
        official=Count("id", filter=~Q(state="probationary")),
        probationary=Count("id", filter=Q(state="probationary")),
    )
    return {r["organization_id"]: (r["official"], r["probationary"]) for r in rows}


@transaction.atomic
def counts_rebuild(org_ids=None, *, dry_run: bool = False) -> list[int]:
    """Recompute the counters of `org_ids` (all organisations if None) from the members.

    Locks the organisations' rows first (PostgreSQL; SQLite serialises writers anyway), so a member
    change committing meanwhile either is seen by the count or applies its increment after ours.
    Writes only the organisations whose counters were wrong; returns their ids (sorted). With
    `dry_run`, writes nothing (the check of `dangbo recount --check`).
    """
    orgs = Organization.objects.order_by("pk")
    if org_ids is not None:
        orgs = orgs.filter(pk__in=list(org_ids))
    if not dry_run:
        orgs = orgs.select_for_update()
    current = list(orgs.only("pk", OFFICIAL, PROBATIONARY))
    actual = counted_members(None if org_ids is None else [o.pk for o in current])
    wrong = []
    for org in current:
        off, prob = actual.get(org.pk, (0, 0))
        if (org.official_count, org.probationary_count) != (off, prob):
            org.official_count, org.probationary_count = off, prob
            wrong.append(org)
    if wrong and not dry_run:
        _write(wrong)
    return [o.pk for o in wrong]


def _write(orgs: list[Organization]) -> None:
    """One parametrised UPDATE run for many rows (executemany): 5,000 rows in ~20 ms on SQLite, where
    `bulk_update`'s CASE expressions took 3.5 s and one ORM update per row 1.1 s."""
    meta, qn = Organization._meta, connection.ops.quote_name
    col = {f: qn(meta.get_field(f).column) for f in (OFFICIAL, PROBATIONARY)}
    sql = (f"UPDATE {qn(meta.db_table)} SET {col[OFFICIAL]} = %s, {col[PROBATIONARY]} = %s "
           f"WHERE {qn(meta.pk.column)} = %s")
    with connection.cursor() as cur:
        cur.executemany(sql, [(o.official_count, o.probationary_count, o.pk) for o in orgs])
