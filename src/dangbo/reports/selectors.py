"""Reads of the membership statistics (issue 14), scoped like every page (accounts.selectors).

Two ways to the same numbers (`rules.py` does the counting both times):
- `report_replayed`: every member who ever belonged to the subtree, their events replayed up to the
  day (`rules.report_on`). Any day, past or present.
- `report_current`: when no event is dated after the day, the cached state (`Member.state`, kept by
  the member services in the transaction of each event) is the replay, so one GROUP BY over the
  subtree's members gives the report without reading events (the nation's report on PostgreSQL).
`members_report` picks the fast one when it is exact. Heavy reads go to the replica when one is
configured (`core.dbrouter`, alias "reports").
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

from django.db import connections
from django.db.models import Case, CharField, Count, Max, QuerySet, TextField, Value, When
from django.db.models.functions import Cast
from django.http import Http404

from dangbo.accounts.selectors import scope_of
from dangbo.core.dbrouter import reports_db
from dangbo.members.models import Member, MemberEvent
from dangbo.members.rules import COUNTED_STATES, full_years
from dangbo.orgs.models import Organization
from dangbo.reports import rules

PROFILE = ("sex", "birth_date", "admission_date", "ethnicity", "religion", "education",
           "professional_level", "political_theory_level")


def report_org(*, user, org_id: int | None = None) -> Organization:
    """The organisation a user may report on: `org_id` inside their subtree, or the root of it."""
    scope = scope_of(user)
    if not scope.sees_tree:
        raise Http404("Không tìm thấy tổ chức đảng.")
    qs = Organization.objects.filter(path__startswith=scope.org_path)
    org = qs.filter(pk=org_id).first() if org_id is not None else qs.order_by("path").first()
    if org is None:
        raise Http404("Không tìm thấy tổ chức đảng.")
    return org


def report_parent(*, user, org: Organization) -> Organization | None:
    """`org`'s parent when the user's scope covers it (the page's link one level up)."""
    parent = org.parent
    if parent is None or not scope_of(user).covers_path(parent.path):
        return None
    return parent


def report_children(org: Organization, limit: int = 300) -> list[Organization]:
    """The organisations directly under `org`, in force ones first, for the links one level down."""
    return list(org.children.order_by("valid_to", "code")[:limit])


def org_by_code(code: str) -> Organization | None:
    """The organisation with `code` (the CLI's --org), in force before dissolved ones."""
    return Organization.objects.filter(code=code).order_by("valid_to", "id").first()


def _person(row: dict) -> rules.Person:
    return rules.Person(sex=row["sex"], birth_date=row["birth_date"], admission_date=row["admission_date"],
                        ethnicity=row["ethnicity"], religion=row["religion"], education=row["education"],
                        professional_level=row["professional_level"], theory_level=row["political_theory_level"])


def subtree_ids(org: Organization) -> set[int]:
    return set(Organization.objects.using(reports_db()).filter(path__startswith=org.path).values_list("pk", flat=True))


_ROW = ("pk", "state", "organization_id", "org_path", *PROFILE, "national_id")  # national_id: the tallies' key (reports.tallies)


def by_ids(qs: QuerySet, field: str, ids: list[int]) -> QuerySet:
    """`qs` filtered to `field` in `ids`. On PostgreSQL one array parameter (`= ANY(%s)`), not an IN
    list of thousands of placeholders: the client's query handling and the planner took longer than
    the read (31,767 members by id in chunks of 2,000 at 5.9 M: 1.1–1.4 s against 2.4–3.0 s).
    Django has no lookup for it."""
    conn = connections[qs.db]
    if conn.vendor != "postgresql":
        return qs.filter(**{f"{field}__in": ids})
    meta = qs.model._meta
    column = meta.pk.column if field == "pk" else meta.get_field(field).column
    qn = conn.ops.quote_name
    return qs.extra(where=[f"{qn(meta.db_table)}.{qn(column)} = ANY(%s)"], params=[list(ids)])


def histories(pks: list[int], db: str) -> dict[int, tuple[dict, list[rules.Step]]]:
    """{pk: (member row, steps)}: the row (state, organisation, org_path and the profile's columns) and
    the events as replay steps in their order (a member without events: `_without_events`). Tuples,
    not Django's dicts, and each distinct details text decoded once (a past day of the nation reads
    tens of thousands of members: the per-row conversions were a fifth of it)."""
    rows = {r[0]: dict(zip(_ROW, r, strict=True))
            for r in by_ids(Member.objects.using(db), "pk", list(pks)).order_by().values_list(*_ROW)}
    steps: dict[int, list[rules.Step]] = {pk: [] for pk in rows}
    events = (by_ids(MemberEvent.objects.using(db), "member", list(rows)).order_by("member_id", "date", "seq", "id")
              .values_list("member_id", "date", "kind", Cast("details", TextField()), "from_org_id", "to_org_id"))
    decoded: dict[str | None, dict] = {}
    for member_id, day, kind, text, before, to in events:
        details = decoded.get(text)
        if details is None:
            details = decoded[text] = (json.loads(text) if text else None) or {}
        steps[member_id].append(rules.Step(day, kind, details, before, to if kind == "transfer_internal" else before))
    return {pk: (row, steps[pk] or _without_events(row)) for pk, row in rows.items()}


def _history(org: Organization, ids: set[int], chunk: int = 2000) -> Iterator[tuple[rules.Person, list[rules.Step]]]:
    """(profile, steps) of every member who is or ever was in the subtree, events in their order."""
    db = Member.objects.using(reports_db())
    now_in = db.filter(org_path__startswith=org.path).values_list("pk", flat=True)
    orgs = Organization.objects.using(reports_db()).filter(path__startswith=org.path).values("pk")
    events = MemberEvent.objects.using(reports_db())
    # two queries, each on its foreign key's index (an OR of the two scans every event)
    moved = set()
    for column in ("from_org__in", "to_org__in"):
        moved.update(events.filter(**{column: orgs}).values_list("member_id", flat=True).distinct())
    member_ids = sorted(set(now_in) | moved)
    for i in range(0, len(member_ids), chunk):
        got = histories(member_ids[i:i + chunk], reports_db())
        for pk in sorted(got):
            row, steps = got[pk]
            yield _person(row), steps


def _without_events(row: dict) -> list[rules.Step]:
    """A member written without events (bulk loads, bench data): in their cached state since admission."""
    if row["state"] not in COUNTED_STATES:
        return []
    status = "probationary" if row["state"] == "probationary" else "official"
    org = row["organization_id"]
    return [rules.Step(row["admission_date"] or date.min, "transfer_in", {"status": status}, org, org)]


def report_replayed(org: Organization, day: date) -> dict:
    ids = subtree_ids(org)
    return rules.report_on(_history(org, ids), day, ids.__contains__)


def changes_replayed(org: Organization, start: date, end: date) -> dict[str, int]:
    ids = subtree_ids(org)
    return rules.changes_between(_history(org, ids), start, end, ids.__contains__)


def last_event_day() -> date | None:
    return MemberEvent.objects.using(reports_db()).aggregate(d=Max("date"))["d"]


def _threshold(day: date, years: int) -> date:
    """The latest birth (or admission) day with at least `years` full years on `day` (rules.full_years)."""
    lo, hi = date(1, 1, 1).toordinal(), day.toordinal()
    while lo < hi:  # full_years(b, day) is non-increasing in b: the last b with >= years
        mid = (lo + hi + 1) // 2
        if full_years(date.fromordinal(mid), day) >= years:
            lo = mid
        else:
            hi = mid - 1
    return date.fromordinal(lo)


def _bands(field: str, day: date, bands: tuple[str, ...], starts: tuple[int, ...]) -> Case:
    """A SQL CASE giving `rules.age_band` / `party_age_band` of `field` on `day` (same thresholds)."""
    whens = [When(**{f"{field}__isnull": True}, then=Value(rules.UNKNOWN))]
    for band, years in reversed(list(zip(bands[1:], starts, strict=True))):
        whens.append(When(**{f"{field}__lte": _threshold(day, years)}, then=Value(band)))
    return Case(*whens, default=Value(bands[0]), output_field=CharField())


def report_current(org: Organization, day: date) -> dict:
    """The report from the cached states (exact when no event is dated after `day`): one GROUP BY."""
    qs = Member.objects.using(reports_db()).filter(org_path__startswith=org.path, state__in=COUNTED_STATES)
    qs = qs.annotate(age=_bands("birth_date", day, rules.AGE_BANDS, (31, 41, 51, 61)),
                     party=_bands("admission_date", day, rules.PARTY_AGE_BANDS, (10, 20, 30, 40)))
    groups = qs.values("state", "sex", "age", "party", "ethnicity", "religion", "education",
                       "professional_level", "political_theory_level").annotate(n=Count("pk")).order_by()
    report = rules.composition((), day)
    for g in groups:
        rules.add_grouped(report, g, g["n"])
    return report


def members_report(org: Organization, day: date) -> dict:
    """The statistics of `org`'s subtree on `day`: the kept tallies when exact (no event dated after
    `day`: `tallies.report_tallied`, equal to `report_current`), else a monthly snapshot (or today's
    tallies) and the members whose standing differs between it and `day` (`snapshots.report_past`,
    equal to `report_replayed`)."""
    from dangbo.reports.snapshots import report_past
    from dangbo.reports.tallies import report_tallied

    last = last_event_day()
    if last is None or last <= day:
        return report_tallied(org, day)
    return report_past(org, day)
