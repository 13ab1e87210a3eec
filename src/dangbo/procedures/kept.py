"""MEM-1 probation counts kept per organisation and start-of-probation month (`ProbationCount`).

«Việc cần làm» for the root counted 347,529 probationary members row by row (1.9 s at 5.9 M,
docs/PERFORMANCE.md, issue 14). A member counts under (organisation, month of the start of probation)
while probationary with a start (the ceremony date, else the admission date: `due._probationary`).

Every writer that changes a member's state, organisation, ceremony or admission date takes `key(member)`
before and calls `moved(old_key, key(member))` after, in its transaction: `members.services._record`
(every event) and `_member_update` (the dates), the registry's delete, merge and restore. A write that
bypasses them (a bulk load, bench/national_generate.py) is followed by `rebuild()` —
`dangbo probationcounts [--check]`.

The upsert is `core.counts.add_counts`, as for `appraisal.kept`.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from dangbo.core.counts import add_counts

PROBATIONARY = "probationary"  # members.rules.PROBATIONARY

Key = tuple[int, date]  # organisation id, month (its first day)


def key_of(org_id: int | None, state: str | None, ceremony: date | None, admission: date | None) -> Key | None:
    start = ceremony or admission
    if org_id is None or state != PROBATIONARY or start is None:
        return None
    return (org_id, start.replace(day=1))


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


def add(delta: Counter) -> None:
    from dangbo.procedures.models import ProbationCount

    add_counts(ProbationCount._meta.db_table, ("organization_id", "month"), delta)


def grouped(member_model=None) -> dict[Key, int]:
    """The counts as the member rows give them now (one grouped query; `member_model`: the migration's
    historical model)."""
    from django.db.models import Count
    from django.db.models.functions import Coalesce, TruncMonth

    if member_model is None:
        from dangbo.members.models import Member as member_model
    rows = member_model.objects.filter(state=PROBATIONARY).annotate(
        start=Coalesce("ceremony_date", "admission_date")).filter(start__isnull=False) \
        .annotate(month=TruncMonth("start")).order_by().values_list("organization_id", "month").annotate(n=Count("id"))
    return {(o, m): n for o, m, n in rows}


def stored() -> dict[Key, int]:
    from dangbo.procedures.models import ProbationCount

    return {(o, m): n for o, m, n in ProbationCount.objects.exclude(n=0).values_list("organization_id", "month", "n")}


def rebuild(*, dry_run: bool = False) -> int:
    """Recompute every kept count from the members; returns how many (organisation, month) counts were
    wrong. Call inside a transaction; `dry_run` writes nothing (`dangbo probationcounts --check`)."""
    from dangbo.procedures.models import ProbationCount

    want, have = grouped(), stored()
    wrong = sorted(k for k in want.keys() | have.keys() if want.get(k, 0) != have.get(k, 0))
    if wrong and not dry_run:
        ProbationCount.objects.all().delete()
        ProbationCount.objects.bulk_create(
            [ProbationCount(organization_id=o, month=m, n=n) for (o, m), n in sorted(want.items())], batch_size=5000)
    return len(wrong)
