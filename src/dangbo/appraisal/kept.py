"""The APR-4 counts kept per campaign, grassroots unit, peer group and standing grade (QuotaCount).

Every writer of a review in `appraisal.services` takes `before(reviews)` while it holds the rows
(locked) and calls `after(snapshot, reviews)` once it has written them, inside its transaction: the
difference is added to the kept counts with one upsert per changed key (`n = n + delta`, so two
transactions adding to the same row never lose a count). A write that bypasses the services (a bulk
load, the benchmarks) is followed by `rebuild()` — `dangbo quotacounts [--check]`.

The upsert is `core.counts.add_counts`.
"""

from collections import Counter

from django.db import connection

from dangbo.appraisal import rules
from dangbo.appraisal.models import Campaign, QuotaCount, Review
from dangbo.core.counts import add_counts

Key = tuple[int, int, str, str]  # campaign, unit, peer group, grade

#: the grouped count of a campaign's reviews (rules.counted_grade in SQL; the migration's backfill)
GROUPED = """
SELECT campaign_id, unit_id, peer_group, g, COUNT(*) FROM (
    SELECT campaign_id, unit_id, peer_group,
           CASE WHEN status = 'decided' THEN decided_grade ELSE proposed_grade END AS g
    FROM appraisal_review WHERE campaign_id = %s AND proposed_grade <> '') s
WHERE g NOT IN ('', 'not_reviewed')
GROUP BY campaign_id, unit_id, peer_group, g
"""


def key_of(review: Review) -> Key | None:
    grade = rules.counted_grade(review.status, review.proposed_grade, review.decided_grade)
    return (review.campaign_id, review.unit_id, review.peer_group, grade) if grade else None


def before(reviews) -> Counter:
    """The keys `reviews` count under now (call before changing them)."""
    return Counter(k for k in map(key_of, reviews) if k)


def after(snapshot: Counter, reviews) -> None:
    """Add what `reviews` count under now and take away `snapshot` (their keys before the write)."""
    delta = before(reviews)
    delta.subtract(snapshot)
    add(delta)


def add(delta: Counter) -> None:
    add_counts(QuotaCount._meta.db_table, ("campaign_id", "unit_id", "peer_group", "grade"), delta)


def grouped(campaign_id: int) -> dict[Key, int]:
    """The counts as the reviews give them now."""
    with connection.cursor() as cursor:
        cursor.execute(GROUPED, [campaign_id])
        return {tuple(row[:4]): row[4] for row in cursor.fetchall()}


def stored(campaign_id: int) -> dict[Key, int]:
    return {(campaign_id, u, p, g): n for u, p, g, n in QuotaCount.objects.filter(campaign_id=campaign_id, n__gt=0)
            .values_list("unit_id", "peer_group", "grade", "n")}


def rebuild(*, campaign_id: int | None = None, dry_run: bool = False) -> int:
    """Recompute the kept counts of one campaign (or all) from the reviews, one set-based statement
    per campaign; returns how many (unit, peer group, grade) counts were wrong. Call inside a
    transaction when the reviews may change meanwhile."""
    ids = [campaign_id] if campaign_id else list(Campaign.objects.order_by("pk").values_list("pk", flat=True))
    wrong = 0
    for pk in ids:
        want, have = grouped(pk), stored(pk)
        bad = sum(1 for k in want.keys() | have.keys() if want.get(k, 0) != have.get(k, 0))
        wrong += bad
        if bad and not dry_run:
            QuotaCount.objects.filter(campaign_id=pk).delete()
            with connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {QuotaCount._meta.db_table} "
                               "(campaign_id, unit_id, peer_group, grade, n) " + GROUPED, [pk])
    return wrong
