"""«Việc cần làm» by kind: how many items of each kind (and where, for the larger kinds), one page of a
kind's items, the first items for the home page — for a province as for a cell.

The kinds that grow with the members (recognition overdue, probation ending: MEM-1) are paged in SQL on the probation's start day (`rules.recognition_start_bounds`) and counted, for the scope
and for each organisation directly under it, from the counts kept per subtree and start day
(`procedures.kept`), never built as rows; the other kinds follow few records (admission
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
    by_org: Counter | None = None  # SQL kinds: items of each organisation directly under the scope: id → items
    org_count: int = 0  # SQL kinds: how many of those have items


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


#: The SQL kinds' items of the scope and of each organisation directly under it, from the counts kept
#: per organisation's subtree and start day (`procedures.kept`): the scope's rows and its children's,
#: by kind. Hand-written: one statement for both, and the kind is a CASE on the day.
COUNTED = """
SELECT organization_id, CASE WHEN day < %(first)s THEN 'o' ELSE 'r' END AS kind, SUM(n) FROM {kept}
WHERE organization_id = %(org)s AND day <= %(last)s GROUP BY organization_id, kind
UNION ALL
SELECT organization_id, CASE WHEN day < %(first)s THEN 'o' ELSE 'r' END AS kind, SUM(n) FROM {kept}
WHERE organization_id IN (SELECT id FROM {orgs} WHERE parent_id = %(org)s) AND day <= %(last)s
GROUP BY organization_id, kind HAVING SUM(n) <> 0
"""


def scope_id(ctx: Context) -> int:
    """The id of the page's organisation (the last on its path)."""
    from dangbo.core.paths import ancestor_ids

    return ancestor_ids(ctx.org_path)[-1]


def _grouped(ctx: Context) -> dict[str, tuple[Counter, int, int]]:
    """Per SQL kind: (items of each organisation directly under the scope: id → items, how many of them
    have items, how many items in the scope) — MEM-1 probationary members by the start of their
    probation (`COUNTED`). Items of members directly in the scope, when it also has sub-organisations,
    count under the scope itself."""
    from django.db import connection

    from dangbo.procedures.models import ProbationTreeCount

    org = scope_id(ctx)
    sql = COUNTED.format(kept=ProbationTreeCount._meta.db_table, orgs=Organization._meta.db_table)
    params = {"org": org, "first": ctx.first.isoformat(), "last": ctx.last.isoformat()}
    total = {OVERDUE: 0, RECOGNITION: 0}
    by = {OVERDUE: Counter(), RECOGNITION: Counter()}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for org_id, kind, n in cursor.fetchall():
            key, n = OVERDUE if kind == "o" else RECOGNITION, int(n)  # PostgreSQL's SUM: numeric
            if org_id == org:
                total[key] = n
            else:
                by[key][org_id] = n
    out = {}
    for key in (OVERDUE, RECOGNITION):
        own = total[key] - sum(by[key].values())
        if own and by[key]:
            by[key][org] = own  # members of the scope itself, beside its sub-organisations'
        out[key] = (by[key], len(by[key]), total[key])
    return out


def summary(ctx: Context, built: dict[str, tuple[str, list]]) -> Summary:
    """Every kind with its count: the SQL kinds from the kept counts (`_grouped`: the scope's and its
    children's), the others from their built rows (`built`: key → (label,
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


def _child_of(scope_path: str, path: str, scope: int) -> int | None:
    """The organisation directly under the scope that `path` lies in (the scope itself for its own
    rows), or None for a path outside it."""
    if not path.startswith(scope_path):
        return None
    rest = path[len(scope_path):]
    return int(rest.split("/", 1)[0]) if rest else scope


def org_breakdown(s: Summary, kind: Kind) -> tuple[list[tuple[str, int, int | None]], int, int]:
    """The `TOP_ORGS` organisations directly under the page's organisation with most items of `kind`
    (name, items, id to link to — None for the scope's own items and for rows that name no place), and
    how many other organisations and items there are. Each counts its whole subtree. Nothing when the
    scope has no organisation under it with items (a cell)."""
    scope = scope_id(s.ctx)
    named = Counter()  # rows of another app that name their organisation only (no path)
    if kind.by_org is not None:
        counts = kind.by_org
    else:
        counts = Counter()
        for d in kind.rows:
            child = _child_of(s.ctx.org_path, d.path, scope) if d.path else None
            if child is None:
                named[d.org] += 1
            else:
                counts[child] += 1
    if not named and set(counts) <= {scope}:
        return [], 0, 0
    names = dict(Organization.objects.filter(pk__in=list(counts)).values_list("id", "name"))
    ranked = [(names.get(i, ""), n, None if i == scope else i) for i, n in counts.items() if n]
    ranked += [(name, n, None) for name, n in named.items()]
    ranked.sort(key=lambda t: (-t[1], t[0]))
    top = ranked[:TOP_ORGS]
    return top, len(ranked) - len(top), sum(t[1] for t in ranked) - sum(t[1] for t in top)
