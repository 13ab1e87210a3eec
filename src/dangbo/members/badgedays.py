"""The stored next-badge day of each member (MEM-3): `Member.badge_tier`, `badge_tier_on`, `badge_held`.

"What is due" for a province asks which of its ~94,000 members reach a badge at the coming occasion;
computing `rules.next_badge` for every candidate took 10 s at 5.9 M members (docs/PERFORMANCE.md,
issue 14). The lowest tier still to award and the day it is reached are stored instead
(`rules.badge_floor`), so an occasion's candidates are one indexed range. A member with a
discipline is only flagged (`badge_held`): the hold depends on the med setting
`discipline_delay_months`, so those few are computed exactly at read time and no stored day has to
change when DANGBO_RULES does.

Kept by the member services in the same transaction (`badge_day_keep` after each event and each
admission-date correction) and by the registry's restore — and with them the counts per ancestor and
award day that «Việc cần làm» reads (procedures.badgekept: the services' callers, `badge_days_flush`
and `badge_days_rebuild` move them); `badge_days_rebuild` (command
`dangbo badgedays`) recomputes every member after a bulk load that bypasses the services. A bulk
write (the demo build, an import's chunk) runs in `badge_days_batched`: the members it touches are
recomputed once, at the block's end, not after each of their events.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from contextlib import contextmanager

from django.db import connection, transaction

from dangbo.members import rules
from dangbo.members.models import Member, MemberEvent

FIELDS = ("badge_tier", "badge_tier_on", "badge_held")


def wanted(state: str | None, admission, awarded: Iterable = (), disciplined: bool = False) -> tuple:
    """(badge_tier, badge_tier_on, badge_held) for a member: only official members receive badges."""
    if state not in rules.OFFICIAL_STATES or admission is None:
        return (None, None, False)
    if disciplined:
        return (None, None, True)
    floor = rules.badge_floor(admission, awarded_tiers=awarded)
    return (None, None, False) if floor is None else (*floor, False)


def _tier(value) -> int | None:
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None


def _events(ids: list[int]) -> tuple[dict[int, list[int]], set[int]]:
    """Badge tiers awarded and members disciplined, as `procedures.selectors` reads them."""
    awarded: dict[int, list[int]] = {}
    disciplined: set[int] = set()
    for mid, kind, details in MemberEvent.objects.filter(member_id__in=ids, kind__in=("badge", "discipline")) \
            .values_list("member_id", "kind", "details"):
        details = details or {}
        if kind == "badge" and _tier(details.get("tier")):
            awarded.setdefault(mid, []).append(_tier(details["tier"]))
        elif kind == "discipline" and details.get("level"):
            disciplined.add(mid)
    return awarded, disciplined


def _computed(ids: list[int]) -> dict[int, tuple[tuple, tuple]]:
    """Member id → (stored values, computed values) for the members among `ids` that exist."""
    awarded, disciplined = _events(ids)
    out = {}
    for pk, state, admission, *stored in Member.objects.filter(pk__in=ids).values_list(
            "pk", "state", "admission_date", *FIELDS):
        out[pk] = (tuple(stored), wanted(state, admission, awarded.get(pk, ()), pk in disciplined))
    return out


def _wrong(ids: list[int]) -> list[Member]:
    """Members among `ids` whose stored values differ from the computed ones (instances set right)."""
    return [Member(pk=pk, **dict(zip(FIELDS, want, strict=True)))
            for pk, (stored, want) in _computed(ids).items() if stored != want]


#: The members a `badge_days_batched` block touched: id → the instances `badge_day_keep` was given
#: (per thread, as Django's connections are).
_batch = threading.local()


@contextmanager
def badge_days_batched():
    """A bulk write (the demo build, an import's chunk): `badge_day_keep` only notes the member, and
    the block's members are recomputed once when the outermost block ends (`badge_days_flush`) —
    not after each event, which re-read all the member's events every time.

    Exact by construction: the end reads the members and their events as they stand (a write taken
    back by a savepoint, a member deleted, a full `save()` in the block that wrote an instance's old
    values: all are recomputed from the rows), and sets the values on every instance given to
    `badge_day_keep` in the block, so a later full `save()` of one writes them right. Inside the
    block the stored days of its members are not yet right: nothing in it may read them (the due
    lists, `procedures.selectors`) before `badge_days_flush()`, and an object read in the block and not
    given to `badge_day_keep` keeps the values read (re-read it before a full save after the block).
    The block is its own atomic block."""
    if getattr(_batch, "touched", None) is not None:  # nested: the outermost block writes
        yield
        return
    with transaction.atomic():
        _batch.touched = {}
        try:
            yield
            badge_days_flush()
        finally:
            _batch.touched = None


def badge_days_flush(*, chunk: int = 5000) -> int:
    """Recompute the members a `badge_days_batched` block touched so far, rows and instances; returns
    how many rows changed (nothing outside a block)."""
    touched = getattr(_batch, "touched", None)
    if not touched:
        return 0
    items = list(touched.items())
    touched.clear()
    changed = 0
    for i in range(0, len(items), chunk):  # SQLite's bound parameters
        part = dict(items[i:i + chunk])
        computed = _computed(list(part))
        wrong = [Member(pk=pk, **dict(zip(FIELDS, want, strict=True)))
                 for pk, (stored, want) in computed.items() if stored != want]
        if wrong:
            Member.objects.bulk_update(wrong, FIELDS, batch_size=500)
            _counts_follow({m.pk: (computed[m.pk][0][1], m.badge_tier_on) for m in wrong})
        changed += len(wrong)
        for pk, instances in part.items():
            if pk in computed:
                for member in instances:
                    for f, value in zip(FIELDS, computed[pk][1], strict=True):
                        setattr(member, f, value)
    return changed


def _counts_follow(days: dict[int, tuple]) -> None:
    """The badge counts kept by award day (procedures.badgekept) follow these members' badge days:
    member id → (stored day before, day now)."""
    from collections import Counter

    from dangbo.procedures import badgekept

    delta = Counter()
    for pk, org_id in Member.objects.filter(pk__in=list(days)).values_list("pk", "organization_id"):
        old, new = (badgekept.key_of(org_id, d) for d in days[pk])
        if old is not None:
            delta[old] -= 1
        if new is not None:
            delta[new] += 1
    badgekept.add(delta)


def badge_day_keep(member: Member) -> None:
    """Recompute one member's stored next-badge day after a write of the services (same
    transaction), on the instance too: a later full `save()` of it must not write old values.
    Inside `badge_days_batched`: noted, done at the block's end."""
    touched = getattr(_batch, "touched", None)
    if touched is not None:
        instances = touched.setdefault(member.pk, [])
        if not any(m is member for m in instances):
            instances.append(member)
        return
    wrong = _wrong([member.pk])
    for m in wrong:
        for f in FIELDS:
            setattr(member, f, getattr(m, f))
        Member.objects.filter(pk=member.pk).update(**{f: getattr(m, f) for f in FIELDS})


def badge_days_refresh(ids: Iterable[int]) -> int:
    """Recompute the stored next-badge day of these members (called by the services, same
    transaction); returns how many changed."""
    wrong = _wrong(list(ids))
    if wrong:
        Member.objects.bulk_update(wrong, FIELDS)
    return len(wrong)


_PG_WANT = """
WITH aw AS (
    SELECT member_id, max((details->>'tier')::int) AS top FROM members_memberevent
    WHERE kind = 'badge' AND details->>'tier' ~ '^[0-9]{1,4}$' GROUP BY member_id),
dh AS (
    SELECT DISTINCT member_id FROM members_memberevent
    WHERE kind = 'discipline' AND coalesce(details->>'level', '') <> ''),
base AS (
    SELECT m.id, m.admission_date, (m.state = ANY(%(official)s) AND m.admission_date IS NOT NULL) AS eligible,
           dh.member_id IS NOT NULL AS disciplined, coalesce(aw.top, 0) AS top
    FROM members_member m LEFT JOIN aw ON aw.member_id = m.id LEFT JOIN dh ON dh.member_id = m.id),
tiers AS (
    SELECT id, admission_date, eligible AND disciplined AS held,
           CASE WHEN eligible AND NOT disciplined THEN
               (SELECT min(t) FROM unnest(%(tiers)s::int[]) t WHERE t > top) END AS tier
    FROM base),
want AS (
    SELECT id, held, tier, (admission_date + make_interval(years => tier))::date AS tier_on FROM tiers)
"""


def _counts_rebuild() -> None:
    from dangbo.procedures import badgekept

    with transaction.atomic():
        badgekept.rebuild()  # the counts by award day follow the days rewritten in bulk


def badge_days_rebuild(*, dry_run: bool = False, chunk: int = 20000) -> int:
    """Recompute every member's stored next-badge day; returns how many were wrong (fixed unless
    `dry_run`), then, when any was, the badge counts by award day (procedures.badgekept) rebuilt.
    PostgreSQL: one set-based statement (the 5.9 M backfill; dates + years clamp 29/2 to
    28/2 as `rules.add_years`); otherwise chunks of `chunk` members through `_wrong`."""
    if connection.vendor == "postgresql":
        params = {"official": sorted(rules.OFFICIAL_STATES), "tiers": list(rules.BADGE_TIERS)}
        differs = ("(m.badge_held, m.badge_tier, m.badge_tier_on) IS DISTINCT FROM "
                   "(w.held, w.tier, w.tier_on)")
        with connection.cursor() as cur:
            if dry_run:
                cur.execute(_PG_WANT + f"SELECT count(*) FROM members_member m JOIN want w ON w.id = m.id "
                                       f"WHERE {differs}", params)
                return cur.fetchone()[0]
            cur.execute(_PG_WANT + f"UPDATE members_member m SET badge_held = w.held, badge_tier = w.tier, "
                                   f"badge_tier_on = w.tier_on FROM want w WHERE w.id = m.id AND {differs}",
                        params)
            n = cur.rowcount
        if n:
            _counts_rebuild()
        return n
    n, last = 0, 0
    while True:
        ids = list(Member.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:chunk])
        if not ids:
            if n and not dry_run:
                _counts_rebuild()
            return n
        last = ids[-1]
        with transaction.atomic():
            wrong = _wrong(ids)
            if wrong and not dry_run:
                Member.objects.bulk_update(wrong, FIELDS, batch_size=1000)
        n += len(wrong)
