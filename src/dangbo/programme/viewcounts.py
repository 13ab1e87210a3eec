"""A dashboard page's figures counted in SQL (issue 12: ≤ 300 ms at 50,000 organisations).

A page shows one organisation (`root`) and the organisations directly under it. Each figure counted
over organisations is one grouped query over the organisations of `root`'s subtree, grouped by the
organisation directly under `root` each sits in (`view_key`; `root` itself for its own row), so Python
reads a few dozen rows instead of the whole tree. The definitions are those of `rules.org_share` /
`rules.reported_rollup` (TGT-1, TGT-3): an organisation is counted when it is of a counted kind and in
force on 31/12 of the year (dissolved ones ignored); a holder merged away is credited to its
successor, so merged organisations are counted once. Property-tested equal to the pure roll-up on
SQLite and PostgreSQL (tests/programme/test_viewcounts.py).

Held-under is tested without assuming a path's width: an organisation whose path has length L holds
when its path is among the first L characters of the held organisations' paths.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Length, StrIndex, Substr

from dangbo.orgs.models import Organization, OrgEvent
from dangbo.programme import rules
from dangbo.programme.models import Figure
from dangbo.reports.tallies import subtree_counts


def view_key(field: str, root: str):
    """The path of the organisation directly under `root` that `field` (a path under `root`) sits
    in, or `root` itself."""
    n = len(root)
    return Substr(field, 1, StrIndex(Substr(field, n + 1), Value("/")) + n)


def in_force(year: int, prefix: str = "") -> Q:
    """In force on 31/12 of `year` (ORG-3: `valid_to` is the first day it no longer exists)."""
    end = date(year, 12, 31)
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": end})) & \
        (Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": end}))


def path_lengths(root: str, settings: rules.ProgrammeRuleSettings) -> list[int]:
    """The lengths of the paths of the organisations of counted kinds under `root` (a handful)."""
    return sorted(set(Organization.objects.filter(path__startswith=root, kind__in=settings.counted_kinds)
                      .order_by().values_list(Length("path"), flat=True).distinct()))


def ended(years: list[int]) -> dict[int, list[int]]:
    """For each year, the ids of the organisations not in force on its 31/12 (dissolved, merged away,
    not yet founded): usually few, read in one query for a page's years."""
    ends = {y: date(y, 12, 31) for y in years}
    rows = Organization.objects.filter(Q(valid_to__lte=max(ends.values())) | Q(valid_from__gt=min(ends.values()))) \
        .order_by().values_list("id", "valid_from", "valid_to")
    return {y: [oid for oid, start, stop in rows if (stop is not None and stop <= end) or (start is not None and start > end)]
            for y, end in ends.items()}


def successor_paths(holder_ids: QuerySet, year: int, gone_ids: list[int]) -> set[str]:
    """Paths credited for the holders not in force at the end of `year` (among `gone_ids`, see
    `ended`): each merged one's successor (followed through later merges, `rules.successor_of`);
    dissolved ones credit nobody."""
    if not gone_ids:
        return set()
    gone = list(Organization.objects.filter(id__in=gone_ids).filter(id__in=holder_ids).order_by()
                .values_list("id", flat=True))
    if not gone:
        return set()
    merged = dict(OrgEvent.objects.filter(kind="merge", related__isnull=False)
                  .values_list("organization_id", "related__id"))
    chain, todo = set(gone), list(gone)
    while todo:  # every organisation a chain of merges can reach
        nxt = merged.get(todo.pop())
        if nxt is not None and nxt not in chain:
            chain.add(nxt)
            todo.append(nxt)
    live = set(Organization.objects.filter(in_force(year), id__in=chain).values_list("id", flat=True))
    units = {oid: rules.Unit(oid, path, "", oid in live, merged.get(oid))
             for oid, path in Organization.objects.filter(id__in=chain).values_list("id", "path")}
    return rules.held_paths(units, gone)


def holds(holder_ids: QuerySet, year: int, within: bool, lengths: list[int], gone_ids: list[int]) -> Q:
    """The condition on a counted organisation that it holds: it (`within`: or one under it) is a
    holder in force, or the successor of a merged holder."""
    credited = successor_paths(holder_ids, year, gone_ids)
    live = Organization.objects.filter(in_force(year), id__in=holder_ids).order_by()
    if not within:
        return Q(id__in=live.values("id")) | Q(path__in=credited)
    cond = Q(path__in={p[:n] for p in credited for n in lengths if len(p) >= n})
    for n in lengths:
        heads = live_heads(holder_ids, n, gone_ids)
        if heads is None:
            heads = live.annotate(head=Substr("path", 1, n)).values("head")
        cond |= Q(path_len=n, path__in=heads)
    return cond


#: above this many organisations not in force, `live_heads` leaves the test to the organisations table
GONE_LIST_MAX = 500


def live_heads(holder_ids: QuerySet, n: int, gone_ids: list[int]) -> QuerySet | None:
    """The first `n` characters of the paths of the holders in force, read from the holder rows' own
    copy of their organisation's path (`org_path`, kept by the services and `core.paths`) when
    `holder_ids` reads `organization_id` of such rows (the models measures): in force is «not among
    `gone_ids`» (`ended`: every organisation not in force at the end of the year), so no organisation
    is looked up per holder — with `programme_model_path_cover` (programme migration 0006) the
    holders are read from the index alone. None: the caller reads the organisations."""
    model = holder_ids.model
    if model is Organization or tuple(holder_ids.query.values_select) != ("organization_id",) \
            or "org_path" not in {f.name for f in model._meta.concrete_fields} or len(gone_ids) > GONE_LIST_MAX:
        return None
    return holder_ids.exclude(organization_id__in=gone_ids).annotate(head=Substr("org_path", 1, n)).values("head")


def org_tallies(holders: dict[int, list[QuerySet]], root: str, *, within: bool,
                settings: rules.ProgrammeRuleSettings, lengths: list[int] | None = None,
                gone: dict[int, list[int]] | None = None) -> dict[int, dict[str, rules.Tally]]:
    """`rules.org_tallies` read at `root` and the organisations directly under it, for each year of
    `holders` (year → the holders' queries: an organisation holds when it holds for each; TGT-3's
    «both kinds of model» is two), in one grouped query for all the years."""
    return org_tallies_many({"": holders}, {"": within}, root, settings=settings, lengths=lengths,
                            gone=gone, years=list(holders))[0][""]


def org_tallies_many(holders: dict[str, dict[int, list[QuerySet]]], within: dict[str, bool], root: str, *,
                     settings: rules.ProgrammeRuleSettings, years: list[int], lengths: list[int] | None = None,
                     gone: dict[int, list[int]] | None = None) -> tuple[dict, dict[int, dict[str, int]]]:
    """`org_tallies` of several measures (code → year → holders' queries; `within`: code → whether
    holding in the subtree counts) and `counted_by_key` for `years`, in ONE grouped scan of the
    counted organisations under `root` (one `COUNT … FILTER` column per year, and per measure and
    year): ({code: {year: {key: Tally}}}, {year: {key: counted}})."""
    if holders:  # the counted organisations alone need neither
        lengths = lengths if lengths is not None else path_lengths(root, settings)
        gone = gone if gone is not None else ended(years)
    aggs = {f"n{y}": Count("id", filter=in_force(y)) for y in years}
    cols = {}
    for i, (code, by_year) in enumerate(holders.items()):
        for y, sets in by_year.items():
            cond = in_force(y)
            for ids in sets:
                cond &= holds(ids, y, within[code], lengths, gone[y])
            cols[(code, y)] = f"ok{i}_{y}"
            aggs[cols[(code, y)]] = Count("id", filter=cond)
    names = list(aggs)
    rows = list(_counted_all(root, settings).annotate(path_len=Length("path")).values("key").annotate(**aggs)
                .values_list("key", *names))
    counts = {}
    for y in years:
        at = 1 + names.index(f"n{y}")
        counts[y] = {key: n for key, (n,) in _with_root([(r[0], r[at]) for r in rows], root).items() if n}
    out: dict[str, dict] = {code: {} for code in holders}
    for (code, y), col in cols.items():
        at_n, at_ok = 1 + names.index(f"n{y}"), 1 + names.index(col)
        by_key = _with_root([(r[0], r[at_n], r[at_ok]) for r in rows], root)
        out[code][y] = {key: rules.Tally(n, ok) for key, (n, ok) in by_key.items() if n}
    return out, counts


def _counted_all(root: str, settings: rules.ProgrammeRuleSettings) -> QuerySet:
    """The organisations of counted kinds under `root`, any year, with their `key` (`view_key`)."""
    return Organization.objects.filter(path__startswith=root, kind__in=settings.counted_kinds).order_by() \
        .annotate(key=view_key("path", root))


def _with_root(rows, root: str) -> dict[str, tuple]:
    """Rows (key, numbers…) by key, and `root`'s row: the sum over its whole subtree (its own row and
    every child's)."""
    out = {key: tuple(nums) for key, *nums in rows}
    if out:
        out[root] = tuple(sum(col) for col in zip(*out.values(), strict=True))
    return out


def counted_by_key(root: str, years: list[int], settings: rules.ProgrammeRuleSettings) -> dict[int, dict[str, int]]:
    """For each year, how many organisations a target counts (TGT-3) at `root` and under each
    organisation directly under it."""
    aggs = {f"n{y}": Count("id", filter=in_force(y)) for y in years}
    rows = list(_counted_all(root, settings).values("key").annotate(**aggs).values_list("key", *aggs))
    return {y: {key: n for key, (n,) in _with_root([(r[0], r[1 + i]) for r in rows], root).items() if n}
            for i, y in enumerate(years)}


def reported(figures: QuerySet, counts: dict[int, dict[str, int]], root: str, rollup: str,
             org_goal: Decimal | None, settings: rules.ProgrammeRuleSettings,
             target_ids: list[int] | None = None, kids: list[str] | None = None) -> dict[int, dict[str, rules.Reported]]:
    """`rules.reported_by_path` read at `root` and the organisations directly under it, for each year
    of `counts` (`counted_by_key`): `figures` (one per organisation and year, see
    `selectors.figures_of`) summed per key and year over the counted organisations that reported.
    `target_ids`: the targets `figures` reads (`selectors.figure_targets`); one alone lets SQLite read
    the figures by ranges of their path (`figure_sums`); `kids`: `child_paths`' list when already read."""
    goal = org_goal if org_goal is not None else Decimal(100)
    rows = None
    if target_ids is not None and len(target_ids) == 1 and connection.vendor == "sqlite":
        rows = figure_sums(target_ids[0], list(counts), root, goal, settings, kids=kids)
    if rows is None:
        in_year = Q()
        for y in counts:
            in_year |= Q(year=y) & in_force(y, "organization__")
        rows = figures.filter(in_year, organization__path__startswith=root,
                              organization__kind__in=settings.counted_kinds).order_by() \
            .annotate(key=view_key("organization__path", root)).values("year", "key") \
            .annotate(rep=Count("id"), total=Sum("value"), ok=Count("id", filter=Q(value__gte=goal))) \
            .values_list("year", "key", "rep", "total", "ok")
    return reported_from(rows, counts, root, rollup)


def reported_from(rows, counts: dict[int, dict[str, int]], root: str, rollup: str) -> dict[int, dict[str, rules.Reported]]:
    """`reported`'s answer from its figures' rows (year, key, figures, their sum, those ≥ the goal)."""
    by_year: dict[int, list] = {}
    for y, *row in rows:
        by_year.setdefault(y, []).append(row)
    return {y: _reported_rows(_with_root(by_year.get(y, []), root), n_by_key, rollup) for y, n_by_key in counts.items()}


def batch_reported() -> bool:
    """Whether a page sums its reported targets' figures in one statement (`reported_many`): on
    PostgreSQL, where each target's own statement scanned the organisations again (≈ 46 ms of ≈ 50
    per target at 50,000 organisations, docs/PERFORMANCE.md, issue 12); SQLite reads each target by
    ranges of its figures' paths (`figure_sums`), measured faster there than one statement for all
    (97 against 83 ms for three)."""
    return connection.vendor != "sqlite"


def reported_many(goals: dict[int, Decimal], years: list[int], root: str,
                  settings: rules.ProgrammeRuleSettings) -> dict[int, list[tuple]]:
    """`reported`'s rows for several targets at once (target id → its goal per organisation; each
    target reading its own figures only, `selectors.figure_targets` of one id): {target id: [(year,
    key, figures, their sum, those ≥ its goal)]}, in one grouped statement over the counted
    organisations in force at the end of each year."""
    if not goals:
        return {}
    in_year, ok = Q(), Q(pk__in=[])
    for y in years:
        in_year |= Q(year=y) & in_force(y, "organization__")
    for tid, goal in goals.items():
        ok |= Q(target_id=tid, value__gte=goal)
    rows = Figure.objects.filter(target_id__in=list(goals), year__in=years).filter(
        in_year, organization__path__startswith=root, organization__kind__in=settings.counted_kinds).order_by() \
        .annotate(key=view_key("organization__path", root)).values("target_id", "year", "key") \
        .annotate(rep=Count("id"), total=Sum("value"), ok=Count("id", filter=ok)) \
        .values_list("target_id", "year", "key", "rep", "total", "ok")
    out: dict[int, list[tuple]] = {tid: [] for tid in goals}
    for tid, *row in rows:
        out[tid].append(tuple(row))
    return out


def _reported_rows(got: dict[str, tuple], counts: dict[str, int], rollup: str) -> dict[str, rules.Reported]:
    out = {}
    for key, n in counts.items():
        rep, total, ok = got.get(key, (0, None, 0))
        if rollup == rules.ORGS_MEETING:
            tally = rules.Tally(n, ok)
            out[key] = rules.Reported(tally.pct, tally, rep)
        elif rollup == rules.SUM:
            out[key] = rules.Reported(Decimal(total) if rep else None, None, rep)
        elif rollup == rules.MEAN:
            mean = (Decimal(total) / rep).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if rep else None
            out[key] = rules.Reported(mean, None, rep)
        else:
            raise ValueError(f"Cách tổng hợp không hợp lệ: «{rollup}».")
    return out


def member_id_kept(root: str, digits: int, shown: tuple[int | None, list[tuple[int, str]]] | None = None
                   ) -> dict[str, tuple[int, int]] | None:
    """(counted members, those with an ID number of `digits` characters) for `root`'s own members and
    under each organisation directly under it, by that organisation's path — as `measures._members_id12`
    groups them — from the membership tallies kept per subtree (`reports.tallies`: the «state» and
    «national_id_digits» rows of `root` and of its children), so no member row is read: at 50,000
    organisations and 200,000 members on PostgreSQL the grouped query took 199 ms of a 557 ms
    dashboard (docs/PERFORMANCE.md, issue 12). Counted as MEM-5, as the measure counts (official,
    exempt and probationary members at their permanent organisation). `shown`: the page's
    organisation's id and (id, path) of those directly under it, when read already
    (`selectors.Context.shown`). None (caller falls back) when `root` is no organisation's path."""
    if shown is None:
        top = Organization.objects.filter(path=root).values_list("id", flat=True).first()
        shown = (top, list(Organization.objects.filter(parent_id=top).order_by().values_list("id", "path")))
    top, kids = shown[0], dict(shown[1])
    if top is None:
        return None
    kept = subtree_counts([top, *kids], ("state", "national_id_digits"))

    def pair(org_id: int) -> tuple[int, int]:
        c = kept.get(org_id, Counter())
        return (sum(n for (dim, _v), n in c.items() if dim == "state"), c[("national_id_digits", str(digits))])

    out = {path: pair(oid) for oid, path in kids.items()}
    n, ok = pair(top)
    out[root] = (n - sum(t[0] for t in out.values()), ok - sum(t[1] for t in out.values()))  # its own members
    return {path: t for path, t in out.items() if t[0]}


def child_paths(root: str, kids: list[str] | None = None) -> list[str] | None:
    """The paths of the organisations directly under `root` (any year), each the start of one range
    of paths (`figure_sums`); None when one does not end in «/» or they are too
    many for one statement. `kids`: those paths when already read (the page's `Context.shown`)."""
    if kids is None:
        top = Organization.objects.filter(path=root).values_list("id", flat=True).first()
        kids = list(Organization.objects.filter(parent_id=top).order_by().values_list("path", flat=True)) \
            if top is not None else []
    if any(not p.endswith("/") or not p.startswith(root) or p == root for p in kids) or len(kids) > 3000:
        return None
    return kids


def figure_sums(target_id: int, years: list[int], root: str, goal: Decimal,
                settings: rules.ProgrammeRuleSettings, kids: list[str] | None = None) -> list[tuple] | None:
    """SQLite: (year, key, figures, their sum, those ≥ `goal`) of one target's figures of `years` at
    `root` and under each organisation directly under it (the rows `reported` groups with
    `view_key`), over the counted organisations in force at the end of each year.

    Each child's subtree is one range of the figures' own `org_path` (the
    copy follows moves, core/paths.py), read in the index `programme_figure_path_cover` (target,
    year, org_path, organization, value; programme migration 0005) alone, each figure's organisation
    looked up by id for its kind and dates: no key computed per row and no sort of the rows by it
    (≈ 40 against ≈ 70 ms CPU per target at 50,000 organisations, docs/PERFORMANCE.md, issue 12).
    None (caller falls back) as `child_paths`."""
    kids = child_paths(root, kids)
    if kids is None or not years:
        return None
    kinds = list(settings.counted_kinds)
    ends = [date(y, 12, 31).isoformat() for y in years]
    alive = " OR ".join(["(f.year = %s AND (o.valid_from IS NULL OR o.valid_from <= %s)"
                         " AND (o.valid_to IS NULL OR o.valid_to > %s))"] * len(years))
    alive_params = [p for y, end in zip(years, ends, strict=True) for p in (y, end, end)]
    figs = f"""f.target_id = %s AND f.year IN ({", ".join(["%s"] * len(years))})"""
    orgs = f"""JOIN {Organization._meta.db_table} o ON o.id = f.organization_id
        AND o.kind IN ({", ".join(["%s"] * len(kinds))}) AND ({alive})"""
    cols = "COUNT(*), CAST(SUM(f.value) AS NUMERIC), COUNT(*) FILTER (WHERE f.value >= %s)"
    table = Figure._meta.db_table
    parts, params = [], []
    if kids:
        parts.append(f"""WITH c(k, lo, hi) AS (VALUES {", ".join(["(%s, %s, %s)"] * len(kids))})
            SELECT f.year, c.k, {cols} FROM c JOIN {table} f ON {figs} AND f.org_path >= c.lo
            AND f.org_path < c.hi {orgs} GROUP BY f.year, c.k""")
        for p in kids:
            params += [p, p, p[:-1] + "0"]
        params += [goal, target_id, *years, *kinds, *alive_params]
    parts.append(f"""SELECT f.year, %s, {cols} FROM {table} f {orgs}
        WHERE {figs} AND f.org_path = %s GROUP BY f.year""")
    params += [root, goal, *kinds, *alive_params, target_id, *years, root]
    convert = connection.ops.get_decimalfield_converter(_SumOfValues)
    with connection.cursor() as cur:
        cur.execute(" UNION ALL ".join(parts), params)
        return [(y, key, n, convert(total, None, connection), ok) for y, key, n, total, ok in cur.fetchall()]


class _SumOfValues:
    """What Django's SQLite decimal converter reads of an expression: a sum of figures is converted
    to `Decimal` exactly as the grouped query's `Sum("value")` is (same quantization)."""

    output_field = Figure._meta.get_field("value")
