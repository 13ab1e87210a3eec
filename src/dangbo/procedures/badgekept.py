"""MEM-3 badge counts kept per organisation and award day (`BadgeTreeCount`), for «Việc cần làm»'s
badge count.

The root's badge count read the next-badge day of 1.6 M members (1.96 s at 5.9 M; docs/PERFORMANCE.md,
issue 14). `procedures.selectors._badge_range` asks for the members whose stored next-badge day
(`Member.badge_tier_on`, members.badgedays) lies in `(award day before the occasion, occasion]`, or
up to the occasion when today is past that award day before — whole award periods either way: a day
`d` lies in `(before, occasion]` exactly when `next_award_day(d) == occasion`. So a member counts under
the award day its badge day falls to, and the count is a sum of a few kept rows.

A member counts at every PROPER ancestor of its organisation (not at its own organisation: a cell's
~100 official members have nearly as many different award days, so rows per cell would be ~4 M at
5.9 M members; a scope's own members are read from their rows by the index (org_path, badge_tier_on),
which is an equality on the path for them).

The award days are MEM-3's default ones (`members.rules.AWARD_DAYS`), not the configured ones: the
stored badge day does not depend on DANGBO_RULES (members.badgedays), nor do these counts; with other
award days configured, `count` answers None and the caller counts the rows.

Kept in the same transaction by every write of a member's organisation or badge day, as a difference
of the (organisation, award day) before and after — `moved(old, new)`, the keys from the row
(`stored_key(pk)`) or, in `members.services._record` (every event, the badge day recomputed at its
end), from the instance, whose badge fields are the row's (a full save writes them; two reads per
event cost the registry import 25 %): `_record` and `_member_update` (the dates), the registry's delete, merge and restore; `badge_days_flush` (a bulk
block's end) per member it corrects; `badge_days_rebuild` rebuilds them whole; `org_move` moves a
subtree's (`subtree_moved`). `dangbo badgedays [--check]` rebuilds / checks them with the days.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from dangbo.core.counts import add_counts, add_up_the_tree
from dangbo.core.paths import ancestor_ids
from dangbo.members import rules as mr

Key = tuple[int, date]  # the member's organisation id, the award day its next-badge day falls to


def award_day(day: date) -> date:
    """The award day (MEM-3's default days) a badge day falls to."""
    return mr.next_award_day(day)


def key_of(org_id: int | None, tier_on: date | None) -> Key | None:
    return None if org_id is None or tier_on is None else (org_id, award_day(tier_on))


def stored_key(pk: int | None) -> Key | None:
    """The key of member `pk` as its row stands (None: no row, or no badge day)."""
    from dangbo.members.models import Member

    if pk is None:
        return None
    row = Member.objects.filter(pk=pk).values_list("organization_id", "badge_tier_on").first()
    return key_of(*row) if row else None


def _table() -> str:
    from dangbo.procedures.models import BadgeTreeCount

    return BadgeTreeCount._meta.db_table


def add(delta: Counter) -> None:
    """Add `delta` ({(member's organisation, award day): n}) at each proper ancestor."""
    add_up_the_tree(_table(), ("organization_id", "award_day"), delta, own=False)


def moved(old: Key | None, new: Key | None) -> None:
    """One member's stored (organisation, award day) went from `old` to `new` (None: not counted)."""
    if old == new:
        return
    delta = Counter()
    if old is not None:
        delta[old] -= 1
    if new is not None:
        delta[new] += 1
    add(delta)


def _own(org_ids) -> Counter:
    """{(organisation, award day): members} of these organisations' own members with a badge day."""
    from django.db.models import Count

    from dangbo.members.models import Member

    own = Counter()
    for org_id, day, n in Member.objects.filter(organization_id__in=list(org_ids), badge_tier_on__isnull=False) \
            .order_by().values_list("organization_id", "badge_tier_on").annotate(n=Count("id")):
        own[(org_id, award_day(day))] += n
    return own


def subtree_moved(org_id: int, old_path: str, new_path: str) -> None:
    """`org_move`: its rows (the members below it) and its own members leave the ancestors it left and
    join the ones it joined."""
    from dangbo.procedures.models import BadgeTreeCount

    old = set(ancestor_ids(old_path)) - {org_id}
    new = set(ancestor_ids(new_path)) - {org_id}
    mine = Counter(dict(BadgeTreeCount.objects.filter(organization_id=org_id).exclude(n=0)
                        .values_list("award_day", "n")))
    for (_o, day), n in _own([org_id]).items():
        mine[day] += n
    delta = Counter()
    for day, n in mine.items():
        for anc in old - new:
            delta[(anc, day)] -= n
        for anc in new - old:
            delta[(anc, day)] += n
    add_counts(_table(), ("organization_id", "award_day"), delta)


def count(org_id: int, org_path: str, occasion: date, *, whole_past: bool, cfg) -> int | None:
    """How many members under the organisation (its own too) have a badge day falling to `occasion`
    (`whole_past`: to `occasion` or any award day before) — `_badge_range(…).count()`; None when the
    configured award days are not the default ones."""
    from django.db.models import Sum

    from dangbo.members.models import Member
    from dangbo.procedures.models import BadgeTreeCount

    if tuple(sorted(cfg.award_days)) != tuple(sorted(mr.AWARD_DAYS)):
        return None
    rows = BadgeTreeCount.objects.filter(organization_id=org_id)
    own = Member.objects.filter(org_path=org_path, badge_tier_on__lte=occasion)
    if whole_past:
        rows = rows.filter(award_day__lte=occasion)
    else:
        rows = rows.filter(award_day=occasion)
        before = max(d for d in (date(y, m, dd) for y in (occasion.year - 1, occasion.year)
                                  for m, dd in mr.AWARD_DAYS) if d < occasion)
        own = own.filter(badge_tier_on__gt=before)
    return (rows.aggregate(n=Sum("n"))["n"] or 0) + own.count()


def grouped(member_model=None, org_model=None) -> dict[Key, int]:
    """The counts as the member rows and the tree give them now: {(organisation, award day): members
    below it} — grouped in the database by the member's organisation's parent, the year and the award
    day of the year (about 200 k rows at 5.9 M members, not 5 M)."""
    from django.db.models import Case as C
    from django.db.models import Count, IntegerField, Q, Value, When
    from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear

    if member_model is None:
        from dangbo.members.models import Member as member_model
    if org_model is None:
        from dangbo.orgs.models import Organization as org_model
    days = sorted(mr.AWARD_DAYS)
    whens = [When(Q(m__lt=m) | Q(m=m, d__lte=d), then=Value(i)) for i, (m, d) in enumerate(days)]
    rows = member_model.objects.filter(badge_tier_on__isnull=False, organization__parent__isnull=False).annotate(
        m=ExtractMonth("badge_tier_on"), d=ExtractDay("badge_tier_on"), y=ExtractYear("badge_tier_on")).annotate(
        i=C(*whens, default=Value(len(days)), output_field=IntegerField())).order_by() \
        .values_list("organization__parent_id", "y", "i").annotate(n=Count("id"))
    below = Counter()
    for parent, y, i, n in rows:
        below[(parent, date(y + i // len(days), *days[i % len(days)]))] += n
    paths = dict(org_model.objects.filter(pk__in={o for o, _ in below}).values_list("id", "path"))
    out = Counter()
    for (parent, day), n in below.items():
        for anc in ancestor_ids(paths[parent]):  # the parent and its ancestors: the member's proper ones
            out[(anc, day)] += n
    return dict(out)


def stored() -> dict[Key, int]:
    from dangbo.procedures.models import BadgeTreeCount

    return {(o, d): n for o, d, n in BadgeTreeCount.objects.exclude(n=0).values_list("organization_id", "award_day", "n")}


def rebuild(*, dry_run: bool = False) -> int:
    """Recompute every kept count; returns how many were wrong. Inside a transaction; `dry_run` writes
    nothing."""
    from dangbo.procedures.models import BadgeTreeCount

    want, have = grouped(), stored()
    wrong = sorted(k for k in want.keys() | have.keys() if want.get(k, 0) != have.get(k, 0))
    if wrong and not dry_run:
        BadgeTreeCount.objects.all().delete()
        BadgeTreeCount.objects.bulk_create(
            [BadgeTreeCount(organization_id=o, award_day=d, n=n) for (o, d), n in sorted(want.items())],
            batch_size=5000)
    return len(wrong)
