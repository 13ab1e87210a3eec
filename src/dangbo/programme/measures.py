"""Computed targets: the one registry of what the platform measures from its own records.

A new measure is one function here, decorated with `@measure(code, label, over=...)`:
- `over="orgs"`: the function `(year, settings)` returns the organisations that hold the measure in
  `year`, as queries of ids (one per condition, all to be met); the share is then counted over
  organisations — in SQL for a page (`viewcounts`), in Python over the whole tree otherwise (`rules.org_tallies`: dissolved ones ignored, merged
  ones credited to their successor and counted once);
- `over="members"`: the function returns a `rules.Tally` per organisation path (its own members),
  summed over each subtree;
- `over="cells"`: like "members", a `rules.Tally` per cell path (the cells that hold / all cells).
Cell meetings (MTG-1, MTG-5) read `meetings.selectors.cells_year`, fees paid online (FEE-10)
`fees.selectors.payment_methods`: the other apps' public reads, never their tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import CharField, Count, Q, QuerySet, Value
from django.db.models.functions import Cast, Length, StrIndex, Substr
from django.utils import timezone

from dangbo.appraisal import rules as appraisal_rules
from dangbo.appraisal.models import DECIDED, OrgReview
from dangbo.fees import rules as fee_rules
from dangbo.fees import selectors as fee_selectors
from dangbo.meetings import selectors as meeting_selectors
from dangbo.meetings.services import CELL_KINDS
from dangbo.members import rules as member_rules
from dangbo.members.models import Member
from dangbo.orgs.models import Organization, OrgEvent
from dangbo.programme import rules, viewcounts
from dangbo.programme.models import ModelRecord

ORGS, MEMBERS, CELLS = "orgs", "members", "cells"


@dataclass(frozen=True)
class Measure:
    code: str
    label: str
    over: str
    within: bool
    compute: Callable
    yearly: bool = True  # False: the records as they stand now, the same figure for every year
    by_view: bool = False  # compute takes `root=` and returns only what `rules.roll_up(…, root)` reads


MEASURES: dict[str, Measure] = {}


def measure(code: str, label: str, *, over: str = ORGS, within: bool = True, yearly: bool = True,
            by_view: bool = False):
    def register(fn):
        MEASURES[code] = Measure(code, label, over, within, fn, yearly, by_view)
        return fn
    return register


def active_models(kind: str | None, year: int) -> QuerySet:
    """Ids of the organisations with a model of `kind` (None: any) kept up in `year` (MOD-1/2) — the
    same filter `dangbo models list --year` applies — as a query (the dashboard counts in SQL)."""
    qs = ModelRecord.objects.filter(start_year__lte=year).filter(Q(end_year__isnull=True) | Q(end_year__gte=year))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by().values_list("organization_id", flat=True)


def active_model_orgs(kind: str | None, year: int) -> set[int]:
    return set(active_models(kind, year))


# A measure over organisations returns the holders as queries of organisation ids, one per condition:
# an organisation holds when it holds for each (`rules.org_tallies_each`; `viewcounts` in SQL).


@measure("models_hcm", "Tỷ lệ tổ chức có mô hình học tập và làm theo Bác")
def _models_hcm(year, settings):
    return [active_models(rules.ModelKind.HCM_STUDY, year)]


@measure("models_dvk", "Tỷ lệ tổ chức có mô hình «Dân vận khéo»")
def _models_dvk(year, settings):
    return [active_models(rules.ModelKind.DAN_VAN_KHEO, year)]


@measure("models_both", "Tỷ lệ tổ chức có cả hai loại mô hình")
def _models_both(year, settings):
    """TGT-3: ≥ 1 of each kind: an organisation holds when its subtree has a model of each kind."""
    return [active_models(rules.ModelKind.HCM_STUDY, year), active_models(rules.ModelKind.DAN_VAN_KHEO, year)]


@measure("org_grade_good", "Tỷ lệ tổ chức xếp loại «Hoàn thành tốt nhiệm vụ» trở lên", within=False)
def _org_grade_good(year, settings):
    good = (appraisal_rules.GOOD, appraisal_rules.EXCELLENT)
    return [OrgReview.objects.filter(campaign__year=year, status=DECIDED, decided_grade__in=good)
            .order_by().values_list("organization_id", flat=True)]


@measure("members_id12", "Tỷ lệ đảng viên có số định danh cá nhân 12 số", over=MEMBERS, yearly=False, by_view=True)
def _members_id12(year, settings, units_, root=None, shown=None):
    """TGT-5: members' records as they stand now (a record keeps no history of its ID number).

    Counted by length: the member service and the registry import store an ID number only as
    exactly 12 digits (members.services, registry.values), so the length says it; a per-row regular
    expression costs a Python call per member on SQLite (a quarter of the dashboard's time).
    `root`: only the members under it, grouped by the organisation directly under `root` they sit in
    (`root` itself for its own members), read from the membership tallies kept per subtree
    (`viewcounts.member_id_kept`: two rows per organisation shown, no member row); `shown`: those
    organisations when the page read them already."""
    if root is not None:
        kept = viewcounts.member_id_kept(root, int(settings.id_digits), shown)
        if kept is not None:
            return {path: rules.Tally(n, ok) for path, (n, ok) in kept.items()}
    qs = Member.objects.filter(state__in=member_rules.COUNTED_STATES).alias(id_len=Length("national_id"))
    if root is None:
        qs = qs.values("org_path")
        key = "org_path"
    else:
        n = len(root)
        qs = qs.filter(org_path__startswith=root).annotate(
            view_key=Substr("org_path", 1, StrIndex(Substr("org_path", n + 1), Value("/")) + n)).values("view_key")
        key = "view_key"
    rows = qs.order_by().annotate(n=Count("id"), ok=Count("id", filter=Q(id_len=int(settings.id_digits)))) \
        .values_list(key, "n", "ok")
    return {path: rules.Tally(n, ok) for path, n, ok in rows}


def _cells_of_year(year: int, units_) -> tuple[list, date] | None:
    """The cells in force at the end of `year` with their year of meetings (MTG-1/5), and today;
    None for a year not begun."""
    today = timezone.localdate()
    if year > today.year:
        return None
    cells = Organization.objects.filter(viewcounts.in_force(year), kind__in=CELL_KINDS) \
        .only("id", "path", "kind", "valid_from", "name")
    return meeting_selectors.cells_year(cells, year=year, today=today), today


@measure("cells_monthly", "Tỷ lệ chi bộ sinh hoạt đều đặn hằng tháng", over=CELLS)
def _cells_monthly(year, settings, units_):
    """MTG-1 (Điều lệ Đảng, Điều 22.4, 24.2): a cell holds when it held its meeting (ordinary or
    thematic) in every month of the year it existed in, up to the month before this one (this month's
    meeting may still be ahead)."""
    found = _cells_of_year(year, units_)
    if found is None:
        return {}
    years, today = found
    out = {}
    for c in years:
        since = c.org.valid_from.month if c.org.valid_from and c.org.valid_from.year == year else 1
        if year == today.year and since >= today.month:
            continue  # nothing to judge yet
        missing = [m for m in c.gaps.missing_months
                   if m >= since and not (year == today.year and m == today.month)]
        out[c.org.path] = rules.Tally(1, 0 if missing else 1)
    return out


@measure("meeting_attendance", "Tỷ lệ đảng viên dự sinh hoạt chi bộ", over=MEMBERS)
def _meeting_attendance(year, settings, units_):
    """MTG-5: members present over members expected (exempt and away not counted) at the year's held
    cell meetings, each cell's figure summed over the subtree."""
    found = _cells_of_year(year, units_)
    if found is None:
        return {}
    return {c.org.path: rules.Tally(c.expected, c.present) for c in found[0] if c.expected}


@measure("fees_online", "Tỷ lệ lượt nộp đảng phí trực tuyến", over=MEMBERS)
def _fees_online(year, settings, units_):
    """FEE-10 / TGT-5: months of party fee paid online over months paid (excused months are no
    payment), by the organisation that recorded them, for the months of `year`."""
    rows = fee_selectors.payment_methods(fee_rules.month_index(year, 1), fee_rules.month_index(year, 12))
    return {path: rules.Tally(n, online) for path, (n, online) in rows.items()}


def org_rows() -> list[tuple]:
    """(id, path, kind, valid_from, valid_to, merged into) of every organisation: one read, shared by
    the years of a trend."""
    merged = dict(OrgEvent.objects.filter(kind="merge", related__isnull=False)
                  .values_list("organization_id", "related__id"))
    # the dates read as ISO text and parsed by `date.fromisoformat` (C): Django's per-value date
    # converter was a third of the dashboard's time at 5,000 organisations
    rows = Organization.objects.annotate(
        from_text=Cast("valid_from", CharField()), to_text=Cast("valid_to", CharField())) \
        .values_list("id", "path", "kind", "from_text", "to_text")
    return [(oid, path, kind, _day(start), _day(end), merged.get(oid)) for oid, path, kind, start, end in rows]


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text[:10]) if text else None


def units(year: int, rows: list[tuple] | None = None) -> dict[int, rules.Unit]:
    """Every organisation as the roll-up sees it at the end of `year`: in force, or merged into."""
    end = date(year, 12, 31)
    out = {}
    for oid, path, kind, valid_from, valid_to, merged_into in (rows if rows is not None else org_rows()):
        active = (valid_from is None or valid_from <= end) and (valid_to is None or valid_to > end)
        out[oid] = rules.Unit(oid, path, kind, active, merged_into)
    return out


def tallies(code: str, year: int, settings: rules.ProgrammeRuleSettings,
            units_: dict[int, rules.Unit] | None = None, root: str | None = None,
            shown: tuple | None = None) -> dict[str, rules.Tally]:
    """The measure's tally for every organisation's subtree in `year`, by path; with `root`, only
    for `root` and the organisations directly under it (`rules.in_view`; `shown`: those, when read
    already — `selectors.Context.shown` — for a measure that reads by the page's view)."""
    m = MEASURES[code]
    if m.over == ORGS:
        holders = [set(ids) for ids in m.compute(year, settings)]
        units_ = units_ if units_ is not None else units(year)
        return rules.org_tallies_each(units_.values(), holders, within=m.within, settings=settings, root=root)
    # members and cells are read in SQL (`units_` unused): only the counted rows' paths
    data = m.compute(year, settings, None, root=root, shown=shown) if m.by_view else m.compute(year, settings, None)
    return rules.roll_up(data, root)


def view_tallies(code: str, years: list[int], settings: rules.ProgrammeRuleSettings, root: str,
                 lengths: list[int] | None = None, gone: dict[int, list[int]] | None = None) -> dict[int, dict]:
    """`tallies(…, root=root)` of a measure over organisations for each of `years`, counted in SQL
    in one query (`viewcounts`)."""
    m = MEASURES[code]
    return viewcounts.org_tallies({y: m.compute(y, settings) for y in years}, root, within=m.within,
                                  settings=settings, lengths=lengths, gone=gone)


def view_tallies_many(codes, years: list[int], settings: rules.ProgrammeRuleSettings, root: str,
                      lengths: list[int] | None = None, gone: dict[int, list[int]] | None = None):
    """`view_tallies` of several measures over organisations and the counted organisations
    (`viewcounts.counted_by_key`) in one scan (`viewcounts.org_tallies_many`): ({code: {year:
    tallies}}, {year: {key: counted}})."""
    ms = [MEASURES[c] for c in sorted(set(codes))]
    return viewcounts.org_tallies_many({m.code: {y: m.compute(y, settings) for y in years} for m in ms},
                                       {m.code: m.within for m in ms}, root, settings=settings, years=years,
                                       lengths=lengths, gone=gone)
