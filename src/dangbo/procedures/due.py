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
    by_org: Counter | None = None  # SQL kinds: the `TOP` organisations with most items: id → items
    org_count: int = 0  # SQL kinds: how many organisations have items


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


#: The SQL kinds' items by organisation: the kept counts of the whole months inside each kind's range
#: of starts, the members of the (at most two) months holding `first` and `last` by the day; per kind the
#: `TOP` organisations with most items (ties: the smaller id), how many organisations, how many items.
#: Hand-written: the ORM cannot aggregate over a UNION, and only the top rows leave the database
#: (52,000 organisations for the root).
GROUPED = """
WITH per AS (
    SELECT kind, organization_id, SUM(n) AS n FROM (
        SELECT organization_id, CASE WHEN month < %(m1)s THEN 'o' ELSE 'r' END AS kind, n FROM {kept}
        WHERE organization_id IN (SELECT id FROM {orgs} WHERE path LIKE %(path)s)
        AND n > 0 AND month < %(m2)s AND month <> %(m1)s
        UNION ALL {edge1} UNION ALL {edge2}
    ) items GROUP BY kind, organization_id)
SELECT * FROM (SELECT kind, 'top', organization_id, n FROM per WHERE kind = 'o' ORDER BY n DESC, organization_id
               LIMIT %(top)s) o
UNION ALL
SELECT * FROM (SELECT kind, 'top', organization_id, n FROM per WHERE kind = 'r' ORDER BY n DESC, organization_id
               LIMIT %(top)s) r
UNION ALL
SELECT kind, 'items', NULL, SUM(n) FROM per GROUP BY kind
UNION ALL
SELECT kind, 'orgs', NULL, COUNT(*) FROM per GROUP BY kind
"""
#: one edge month's members (`%(lo)s` … `%(hi)s`, by the day): one range of `member_probation_start_idx`
EDGE = """
        SELECT organization_id, CASE WHEN COALESCE(ceremony_date, admission_date) < %(first)s THEN 'o' ELSE 'r' END, 1
        FROM {members} WHERE state = 'probationary'
        AND organization_id IN (SELECT id FROM {orgs} WHERE path LIKE %(path)s)
        AND COALESCE(ceremony_date, admission_date) >= %(lo)s AND COALESCE(ceremony_date, admission_date) <= %(hi)s"""
#: organisations kept per SQL kind for its breakdown (`org_breakdown` names `TOP_ORGS` of them)
TOP = TOP_ORGS * 3


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _grouped(ctx: Context) -> dict[str, tuple[Counter, int, int]]:
    """Per SQL kind: (the `TOP` organisations with most items: id → items, how many organisations,
    how many items) — MEM-1 probationary members by the start of their probation (`GROUPED`)."""
    from django.db import connection

    from dangbo.procedures.models import ProbationCount

    m1, m2 = ctx.first.replace(day=1), ctx.last.replace(day=1)
    n1 = _next_month(m1)
    names = {"orgs": Organization._meta.db_table, "members": Member._meta.db_table}
    edges = [EDGE.format(**names).replace("%(lo)s", f"%(lo{i})s").replace("%(hi)s", f"%(hi{i})s") for i in (1, 2)]
    sql = GROUPED.format(kept=ProbationCount._meta.db_table, edge1=edges[0], edge2=edges[1], **names)
    # the month of `first` up to `last`; the month of `last` up to `last` when another (else an empty range)
    params = {"path": ctx.org_path + "%", "m1": m1, "m2": m2, "first": ctx.first, "top": TOP,
              "lo1": m1, "hi1": min(n1 - timedelta(days=1), ctx.last), "lo2": m2 if m2 != m1 else n1, "hi2": ctx.last}
    out = {OVERDUE: [Counter(), 0, 0], RECOGNITION: [Counter(), 0, 0]}
    with connection.cursor() as cursor:
        cursor.execute(sql, {k: v.isoformat() if isinstance(v, date) else v for k, v in params.items()})
        for kind, what, org_id, n in cursor.fetchall():
            got, n = out[OVERDUE if kind == "o" else RECOGNITION], int(n)  # PostgreSQL's SUM: numeric
            if what == "top":
                got[0][org_id] = n
            elif what == "items":
                got[2] = n
            else:
                got[1] = n  # the organisations
    return {key: tuple(v) for key, v in out.items()}


def summary(ctx: Context, built: dict[str, tuple[str, list]]) -> Summary:
    """Every kind with its count: the SQL kinds from the kept counts and the edge months' members
    (`_grouped`: by organisation and kind), the others from their built rows (`built`: key → (label,
    rows))."""
    by = _grouped(ctx)
    kinds = [Kind(key, LABELS[key], total, total if key == OVERDUE else 0, by_org=top, org_count=orgs)
             for key, (top, orgs, total) in by.items()]
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
        names = dict(Organization.objects.filter(pk__in=[i for i, _ in top_ids]).values_list("id", "name"))
        ranked = sorted(((names.get(i, ""), n) for i, n in top_ids), key=lambda t: (-t[1], t[0]))
        top = ranked[:TOP_ORGS]
        return top, kind.org_count - len(top), kind.count - sum(n for _, n in top)
    c = Counter(d.org for d in kind.rows)
    ranked = sorted(c.items(), key=lambda t: (-t[1], t[0]))
    counts = list(c.values())
    top = ranked[:TOP_ORGS]
    return top, len(counts) - len(top), sum(counts) - sum(n for _, n in top)
