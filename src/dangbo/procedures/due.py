"""«Việc cần làm» by kind: how many items of each kind (and where, for the larger kinds), one page of a
kind's items, the first items for the home page — for a province as for a cell.

The kinds that grow with the members (recognition overdue, probation ending: MEM-1) are counted,
grouped by organisation and paged in SQL on the probation's start day
(`rules.recognition_start_bounds`), never built as rows; the other kinds follow few records (admission
files, transfer letters, temporary transfers, fee reliefs, the one badge line) and are built as rows
as before (`selectors.due_list`, which is the union of all kinds, sorted as it always was).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Case, CharField, Count, Value, When
from django.db.models.functions import Coalesce

from dangbo.core.rulesettings import configured
from dangbo.members import rules as mr
from dangbo.members.models import Member
from dangbo.orgs.models import Organization
from dangbo.procedures import rules
from dangbo.workdays.selectors import calendar_days

#: rows of one kind per page of «Việc cần làm»; a list of at most this many is shown whole
PAGE = 50
#: organisations named in a kind's breakdown (the ones with most items)
TOP_ORGS = 10

CEREMONY, FILES, OVERDUE, RECOGNITION, TEMP, BADGES, LETTERS = (
    "le-ket-nap", "ho-so-ket-nap", "qua-han-cong-nhan", "xet-cong-nhan", "het-tam-thoi", "huy-hieu",
    "giay-gioi-thieu")
LABELS = {
    CEREMONY: "Tổ chức lễ kết nạp",
    FILES: "Hồ sơ kết nạp chờ bước tiếp theo",
    OVERDUE: "Quá hạn xét công nhận đảng viên chính thức",
    RECOGNITION: "Xét công nhận đảng viên chính thức",
    TEMP: "Hết thời hạn sinh hoạt đảng tạm thời",
    BADGES: "Trao Huy hiệu Đảng",
    LETTERS: "Nộp giấy giới thiệu chuyển sinh hoạt",
}
#: kinds counted and paged in SQL (MEM-1: probationary members by the start of their probation)
SQL_KINDS = (OVERDUE, RECOGNITION)


@dataclass
class Context:
    """What every kind of one request reads: the scope's path, the day, the horizon, the settings
    and the working-day calendar."""

    org_path: str
    today: date
    until: date
    cfg: object
    adm: object
    off: frozenset
    worked: frozenset
    first: date = field(init=False)  # MEM-1: probation started before → recognition overdue
    last: date = field(init=False)  # …from `first` to here → probation ends within the horizon

    def __post_init__(self):
        self.first, self.last = rules.recognition_start_bounds(self.today, self.until, self.off, self.worked,
                                                               settings=self.cfg)

    def deadline(self, start: date) -> date:
        return rules.recognition_deadline(mr.probation_end(start, settings=self.cfg), self.off, self.worked,
                                          settings=self.cfg)


def context(org_path: str, today: date, horizon_days: int) -> Context:
    from dangbo.procedures.rules import AdmissionRuleSettings

    until = today + timedelta(days=horizon_days)
    off, worked = calendar_days(today - timedelta(days=800), until + timedelta(days=120))
    return Context(org_path, today, until, configured(mr.MemberRuleSettings), configured(AdmissionRuleSettings),
                   frozenset(off), frozenset(worked))


@dataclass
class Kind:
    key: str
    label: str
    count: int
    late: int
    rows: list | None = None  # the built rows (kinds not in SQL_KINDS)
    by_org: Counter | None = None  # SQL kinds: organisation id → items


@dataclass
class Summary:
    ctx: Context
    kinds: list[Kind]

    @property
    def total(self) -> int:
        return sum(k.count for k in self.kinds)

    @property
    def late(self) -> int:
        return sum(k.late for k in self.kinds)

    def kind(self, key: str | None) -> Kind | None:
        """The kind `key`, else the first with items."""
        found = [k for k in self.kinds if k.count]
        return next((k for k in found if k.key == key), found[0] if found else None)


def _probationary(ctx: Context):
    return Member.objects.filter(organization__in=Organization.objects.filter(path__startswith=ctx.org_path),
                                 state=mr.PROBATIONARY) \
        .annotate(start=Coalesce("ceremony_date", "admission_date")).filter(start__isnull=False)


def _bucket(ctx: Context, qs, key: str):
    return qs.filter(start__lt=ctx.first) if key == OVERDUE else qs.filter(start__gte=ctx.first, start__lte=ctx.last)


def summary(ctx: Context, built: dict[str, tuple[str, list]]) -> Summary:
    """Every kind with its count: the SQL kinds from one grouped query (by organisation and kind),
    the others from their built rows (`built`: key → (label, rows))."""
    by = {OVERDUE: Counter(), RECOGNITION: Counter()}
    grouped = _probationary(ctx).filter(start__lte=ctx.last).annotate(
        kind=Case(When(start__lt=ctx.first, then=Value(OVERDUE)), default=Value(RECOGNITION),
                  output_field=CharField())).values("organization_id", "kind").annotate(n=Count("id")).order_by()
    for row in grouped:
        by[row["kind"]][row["organization_id"]] = row["n"]
    kinds = [Kind(OVERDUE, LABELS[OVERDUE], by[OVERDUE].total(), by[OVERDUE].total(), by_org=by[OVERDUE]),
             Kind(RECOGNITION, LABELS[RECOGNITION], by[RECOGNITION].total(), 0, by_org=by[RECOGNITION])]
    for key, (label, rows) in built.items():
        kinds.append(Kind(key, label, len(rows), sum(d.late for d in rows), rows=rows))
    order = [CEREMONY, FILES, OVERDUE, RECOGNITION, TEMP, LETTERS, BADGES]
    kinds.sort(key=lambda k: order.index(k.key) if k.key in order else len(order))
    return Summary(ctx, kinds)


def _due_rows(ctx: Context, key: str, values) -> list:
    from dangbo.procedures.selectors import Due, _url_maker

    member_url = _url_maker("member_detail")
    out = []
    for pk, name, start, org in values:
        deadline = ctx.deadline(start)
        if key == OVERDUE:
            out.append(Due(deadline, "Quá hạn xét công nhận đảng viên chính thức", name, org, member_url(pk), late=True))
        else:
            end = mr.probation_end(start, settings=ctx.cfg)
            out.append(Due(deadline, f"Xét công nhận đảng viên chính thức (hết dự bị {end:%d/%m/%Y})", name, org,
                           member_url(pk)))
    return out


_COLUMNS = ("id", "full_name", "start", "organization__name")


def page(s: Summary, kind: Kind, number: int) -> list:
    """Page `number` (from 1) of `kind`'s items, the latest deadline first (same deadline: the later
    start of probation, then the name)."""
    lo = (number - 1) * PAGE
    if kind.rows is not None:
        return sorted(kind.rows, key=lambda d: (-d.on.toordinal(), d.who))[lo:lo + PAGE]
    qs = _bucket(s.ctx, _probationary(s.ctx), kind.key).order_by("-start", "full_name", "id")
    return _due_rows(s.ctx, kind.key, qs.values_list(*_COLUMNS)[lo:lo + PAGE])


def all_rows(s: Summary) -> list:
    """Every item (for a small list), sorted as `selectors.due_list`."""
    out = []
    for k in s.kinds:
        if k.rows is not None:
            out += k.rows
        elif k.count:
            out += _due_rows(s.ctx, k.key, _bucket(s.ctx, _probationary(s.ctx), k.key).values_list(*_COLUMNS))
    return sorted(out, key=sort_key)


def sort_key(d) -> tuple:
    return (d.on, not d.late, d.kind, d.who)


def head(s: Summary, n: int) -> list:
    """The first `n` items in `due_list`'s order without building the rest. A SQL kind gives its
    first `n` by the start day plus those sharing the last one's deadline (a deadline spans a few
    start days: weekends, holidays)."""
    out = []
    for k in s.kinds:
        if k.rows is not None:
            out += k.rows
            continue
        if not k.count:
            continue
        qs = _bucket(s.ctx, _probationary(s.ctx), k.key)
        first = list(qs.order_by("start", "id").values_list(*_COLUMNS)[:n])
        if len(first) == n:
            end = first[-1][2]
            deadline = s.ctx.deadline(end)
            while s.ctx.deadline(end + timedelta(days=1)) == deadline:
                end += timedelta(days=1)
            first = list(qs.filter(start__lte=end).values_list(*_COLUMNS))
        out += _due_rows(s.ctx, k.key, first)
    return sorted(out, key=sort_key)[:n]


def org_breakdown(kind: Kind) -> tuple[list[tuple[str, int]], int, int]:
    """The `TOP_ORGS` organisations with most items of `kind` (name, items), and how many other
    organisations and items there are."""
    if kind.by_org is not None:
        top_ids = kind.by_org.most_common()
        names = dict(Organization.objects.filter(pk__in=[i for i, _ in top_ids[:TOP_ORGS * 3]])
                     .values_list("id", "name"))
        ranked = sorted(((names.get(i, ""), n) for i, n in top_ids[:TOP_ORGS * 3]), key=lambda t: (-t[1], t[0]))
        counts = [n for _, n in top_ids]
    else:
        c = Counter(d.org for d in kind.rows)
        ranked = sorted(c.items(), key=lambda t: (-t[1], t[0]))
        counts = list(c.values())
    top = ranked[:TOP_ORGS]
    return top, len(counts) - len(top), sum(counts) - sum(n for _, n in top)
