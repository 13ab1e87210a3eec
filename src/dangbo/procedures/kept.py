"""MEM-1 probation counts kept per organisation's whole subtree and start-of-probation day
(`ProbationTreeCount`).

«Việc cần làm» for the root counted 347,529 probationary members (1.9 s at 5.9 M, then 784 ms from
counts kept per organisation and month: 266 k rows aggregated; docs/PERFORMANCE.md, issue 14). A
member counts under (organisation, day of the start of probation) — the start is the ceremony date,
else the admission date (`due._probationary`) — while probationary with a start, at its organisation
AND at every ancestor of it: a scope's totals per kind are its own rows, its children's totals
their rows, whatever the number of members below.

Per day, not per month: the kinds' bounds (`due.Context.first`, `last`) are days, so whole days answer
them exactly and no member row is read for the months holding the bounds (the session 10 design read
30 k member rows of those months at the root). The root keeps one row per start day (a few hundred).

Every writer that changes a member's state, organisation, ceremony or admission date takes `key(member)`
before and calls `moved(old_key, key(member))` after, in its transaction: `members.services._record`
(every event) and `_member_update` (the dates), the registry's delete, merge and restore. `org_move`
moves a subtree: its counts leave the old ancestors and join the new ones (`subtree_moved`, declared
with `core.paths.on_subtree_move`). Merges move members through `_record` and sub-organisations through
`org_move`; a dissolution or split is refused while members are active, so it moves no count. A write
that bypasses them (a bulk load, bench/national_generate.py) is followed by `rebuild()` —
`dangbo probationcounts [--check]`.

The upsert is `core.counts.add_counts`, as for `appraisal.kept`.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from dangbo.core.counts import add_counts, add_up_the_tree, up_the_tree
from dangbo.core.paths import ancestor_ids

PROBATIONARY = "probationary"  # members.rules.PROBATIONARY

Key = tuple[int, date]  # the member's organisation id, the day its probation started


def key_of(org_id: int | None, state: str | None, ceremony: date | None, admission: date | None) -> Key | None:
    start = ceremony or admission
    if org_id is None or state != PROBATIONARY or start is None:
        return None
    return (org_id, start)


def key(member) -> Key | None:
    """The key `member` counts under now (None: not counted)."""
    return key_of(member.organization_id, member.state, member.ceremony_date, member.admission_date)


def moved(old: Key | None, new: Key | None) -> None:
    """One member went from key `old` to key `new` (either None: not counted)."""
    if old == new:
        return
    delta = Counter()
    if old is not None:
        delta[old] -= 1
    if new is not None:
        delta[new] += 1
    add(delta)


def _table() -> str:
    from dangbo.procedures.models import ProbationTreeCount

    return ProbationTreeCount._meta.db_table


def add(delta: Counter) -> None:
    """Add `delta` ({(member's organisation, day): n}) at each organisation and its ancestors."""
    add_up_the_tree(_table(), ("organization_id", "day"), delta)


def subtree_moved(org_id: int, old_path: str, new_path: str) -> None:
    """`org_move`: organisation `org_id` moved with its subtree from `old_path` to `new_path`; its own
    rows (its subtree's counts) leave the ancestors it left and join the ones it joined."""
    from dangbo.procedures.models import ProbationTreeCount

    old = set(ancestor_ids(old_path)) - {org_id}
    new = set(ancestor_ids(new_path)) - {org_id}
    delta = Counter()
    for day, n in ProbationTreeCount.objects.filter(organization_id=org_id).exclude(n=0).values_list("day", "n"):
        for anc in old - new:
            delta[(anc, day)] -= n
        for anc in new - old:
            delta[(anc, day)] += n
    add_counts(_table(), ("organization_id", "day"), delta)


def grouped(member_model=None, org_model=None) -> dict[Key, int]:
    """The counts as the member rows and the tree give them now: {(organisation, day): members of its
    subtree} (one grouped query of the members, one of the organisations' paths; the models: the
    migration's historical ones)."""
    from django.db.models import Count
    from django.db.models.functions import Coalesce

    if member_model is None:
        from dangbo.members.models import Member as member_model
    if org_model is None:
        from dangbo.orgs.models import Organization as org_model
    own = Counter({(o, d): n for o, d, n in member_model.objects.filter(state=PROBATIONARY).annotate(
        start=Coalesce("ceremony_date", "admission_date")).filter(start__isnull=False)
        .order_by().values_list("organization_id", "start").annotate(n=Count("id"))})
    paths = dict(org_model.objects.filter(pk__in={o for o, _ in own}).values_list("id", "path"))
    return dict(up_the_tree(own, paths))


def stored() -> dict[Key, int]:
    from dangbo.procedures.models import ProbationTreeCount

    return {(o, d): n for o, d, n in ProbationTreeCount.objects.exclude(n=0).values_list("organization_id", "day", "n")}


def rebuild(*, dry_run: bool = False) -> int:
    """Recompute every kept count from the members; returns how many (organisation, day) counts were
    wrong. Call inside a transaction; `dry_run` writes nothing (`dangbo probationcounts --check`)."""
    from dangbo.procedures.models import ProbationTreeCount

    want, have = grouped(), stored()
    wrong = sorted(k for k in want.keys() | have.keys() if want.get(k, 0) != have.get(k, 0))
    if wrong and not dry_run:
        ProbationTreeCount.objects.all().delete()
        ProbationTreeCount.objects.bulk_create(
            [ProbationTreeCount(organization_id=o, day=d, n=n) for (o, d), n in sorted(want.items())],
            batch_size=5000)
    return len(wrong)
