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

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Length, StrIndex, Substr

from dangbo.orgs.models import Organization, OrgEvent
from dangbo.programme import rules


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


def counted(root: str, year: int, settings: rules.ProgrammeRuleSettings) -> QuerySet:
    """The organisations a target counts in `root`'s subtree in `year` (TGT-3)."""
    return Organization.objects.filter(in_force(year), path__startswith=root, kind__in=settings.counted_kinds)


def path_lengths(root: str, settings: rules.ProgrammeRuleSettings) -> list[int]:
    """The lengths of the paths of the organisations of counted kinds under `root` (a handful)."""
    return sorted(set(Organization.objects.filter(path__startswith=root, kind__in=settings.counted_kinds)
                      .order_by().values_list(Length("path"), flat=True).distinct()))


def ended(year: int) -> list[int]:
    """Ids of the organisations not in force on 31/12 of `year` (dissolved, merged away, not yet
    founded): usually few, read once per year and page."""
    end = date(year, 12, 31)
    return list(Organization.objects.filter(Q(valid_to__lte=end) | Q(valid_from__gt=end)).order_by()
                .values_list("id", flat=True))


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
        cond |= Q(path_len=n, path__in=live.annotate(head=Substr("path", 1, n)).values("head"))
    return cond


def org_tallies(holder_sets: list[QuerySet], year: int, root: str, *, within: bool,
                settings: rules.ProgrammeRuleSettings, lengths: list[int] | None = None,
                gone_ids: list[int] | None = None) -> dict[str, rules.Tally]:
    """`rules.org_tallies` read at `root` and the organisations directly under it, in one grouped
    query: an organisation holds when it holds for every set of `holder_sets` (TGT-3's «both kinds
    of model» is two sets)."""
    lengths = lengths if lengths is not None else path_lengths(root, settings)
    gone_ids = gone_ids if gone_ids is not None else ended(year)
    cond = Q()
    for ids in holder_sets:
        cond &= holds(ids, year, within, lengths, gone_ids)
    rows = counted(root, year, settings).order_by().annotate(path_len=Length("path"), key=view_key("path", root)) \
        .values("key").annotate(n=Count("id"), ok=Count("id", filter=cond)).values_list("key", "n", "ok")
    return {key: rules.Tally(n, ok) for key, (n, ok) in _with_root(rows, root).items()}


def _with_root(rows, root: str) -> dict[str, tuple]:
    """Rows (key, numbers…) by key, and `root`'s row: the sum over its whole subtree (its own row and
    every child's)."""
    out = {key: tuple(nums) for key, *nums in rows}
    if out:
        out[root] = tuple(sum(col) for col in zip(*out.values(), strict=True))
    return out


def counted_by_key(root: str, year: int, settings: rules.ProgrammeRuleSettings) -> dict[str, int]:
    rows = counted(root, year, settings).order_by().annotate(key=view_key("path", root)) \
        .values("key").annotate(n=Count("id")).values_list("key", "n")
    return {key: n for key, (n,) in _with_root(rows, root).items()}


def reported(figures: QuerySet, counts: dict[str, int], year: int, root: str, rollup: str,
             org_goal: Decimal | None, settings: rules.ProgrammeRuleSettings) -> dict[str, rules.Reported]:
    """`rules.reported_by_path` read at `root` and the organisations directly under it: `figures` (one
    per organisation, see `selectors.figures_of`) summed per key over the counted organisations that
    reported; `counts`: `counted_by_key` of the year."""
    goal = org_goal if org_goal is not None else Decimal(100)
    rows = figures.filter(in_force(year, "organization__"), organization__path__startswith=root,
                          organization__kind__in=settings.counted_kinds).order_by() \
        .annotate(key=view_key("organization__path", root)).values("key") \
        .annotate(rep=Count("id"), total=Sum("value"), ok=Count("id", filter=Q(value__gte=goal))) \
        .values_list("key", "rep", "total", "ok")
    got = _with_root(rows, root)
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
