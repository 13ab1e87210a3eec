"""Reads of the organisation tree, always scoped (see accounts.selectors)."""

from django.db.models import Count, Sum
from django.http import Http404

from dangbo.accounts.selectors import scope_of
from dangbo.orgs.models import Organization


def org_list(*, user, include_dissolved: bool = True):
    scope = scope_of(user)
    if not scope.sees_tree:
        return Organization.objects.none()
    qs = Organization.objects.filter(path__startswith=scope.org_path)
    if not include_dissolved:
        qs = qs.filter(valid_to__isnull=True)
    return qs


def org_get(*, user, org_id: int) -> Organization:
    org = org_list(user=user).filter(pk=org_id).first()
    if org is None:
        raise Http404("Không tìm thấy tổ chức đảng.")
    return org


def org_trail(*, user, org: Organization) -> list[Organization]:
    """`org`'s ancestors below the user's scope root down to its parent (the tree page's trail, after
    its link to the whole tree)."""
    scope = scope_of(user)
    if not scope.covers_path(org.path):
        return []
    segments = org.path.split("/")[:-1]
    prefixes = ["/".join(segments[:i]) + "/" for i in range(1, len(segments))]
    return list(Organization.objects.filter(path__in=[p for p in prefixes if p.startswith(scope.org_path) and p != scope.org_path])
                .order_by("path"))


def org_member_counts(*, org: Organization) -> dict:
    """Official / probationary members of an organisation's whole subtree (MEM-5 counting).

    Sums the per-organisation counters (orgs.counts) over the subtree: no member rows are read.
    """
    totals = Organization.objects.filter(path__startswith=org.path).aggregate(
        official=Sum("official_count", default=0), probationary=Sum("probationary_count", default=0))
    return {"official": totals["official"], "probationary": totals["probationary"]}


def _tree_root_path(user, root: Organization | None) -> str | None:
    """The path the tree starts at: `root` when the user's scope covers it, else the scope's root."""
    scope = scope_of(user)
    if not scope.sees_tree or (root is not None and not scope.covers_path(root.path)):
        return None
    return root.path if root is not None else scope.org_path


def org_tree_levels(*, user, root: Organization | None = None) -> list[int]:
    """How many visible organisations lie at each level below the user's root (or `root`, inside the
    scope): `[1, 63, 693, 52212]` for the nation's office. One grouped query, no rows read."""
    start = _tree_root_path(user, root)
    if start is None:
        return []
    base_depth = start.count("/") - 1
    per_depth = dict(Organization.objects.filter(path__startswith=start).order_by().values("depth")
                     .annotate(n=Count("id")).values_list("depth", "n"))
    return [per_depth.get(d, 0) for d in range(base_depth, max(per_depth, default=base_depth - 1) + 1)]


def org_tree(*, user, max_level: int | None = None, root: Organization | None = None) -> list[dict]:
    """Visible organisations in tree order, with member counts of each one's whole subtree.

    Counts follow MEM-5: a member counts at the permanent organisation only (temporary hosts don't).
    Each organisation carries the counts of its own members (orgs.counts), so no member row is read.
    With `max_level`, only organisations at most that many levels below the user's root are read
    and returned; what lies below the deepest shown level is summed in the database, grouped by
    parent and added up to its shown ancestor (`_sums_below`), so the cost follows what the page shows plus
    one aggregate, not a Python object per organisation of a 53,000-organisation nation. Shown
    organisations are then summed bottom-up in Python (children come after parents in path order).
    `root` (an organisation inside the user's scope) starts the tree there instead of at the scope's root.
    """
    start = _tree_root_path(user, root)
    if start is None:
        return []
    base_depth = start.count("/") - 1  # orgs.services: depth = path.count("/") - 1
    orgs = Organization.objects.filter(path__startswith=start).order_by("path")
    if max_level is not None:
        orgs = orgs.filter(depth__lte=base_depth + max_level)
    orgs = list(orgs)
    if not orgs:
        return []
    totals = {o.id: [o.official_count, o.probationary_count] for o in orgs}
    hidden: dict[int, int] = {}  # organisations below each deepest shown one (first-levels trees only)
    if max_level is not None:
        deepest = base_depth + max_level
        by_path = {o.path: o.id for o in orgs if o.depth == deepest}
        hidden = dict.fromkeys(by_path.values(), 0)
        for path, official, probationary, n in _sums_below(start, deepest):
            if path in by_path:
                pk = by_path[path]
                totals[pk][0] += official
                totals[pk][1] += probationary
                hidden[pk] += n
    for o in reversed(orgs):  # path order reversed: every child before its parent
        up = totals.get(o.parent_id)  # None above the shown root
        if up is not None:
            up[0] += totals[o.id][0]
            up[1] += totals[o.id][1]
    return [
        {"org": o, "level": o.depth - base_depth, "official": totals[o.id][0], "probationary": totals[o.id][1],
         "hidden": hidden.get(o.id, 0)}
        for o in orgs
    ]


#: The home page lists the grassroots organisations of the user's scope up to this many; above it (a
#: province, the nation) it gives their number and points to the tree page, which opens level by level.
HOME_GRASSROOTS_MAX = 200


def home_overview(*, user) -> tuple[dict | None, int, list[dict] | None]:
    """The staff home page's figures: the scope's root with its subtree's counts, the number of
    grassroots organisations in force under it, and their rows (counts of each one's subtree) when
    there are at most `HOME_GRASSROOTS_MAX` — else None. Reads only the levels down to the deepest
    grassroots organisation when it lists them, and one aggregate otherwise (`org_tree`'s
    `max_level`), so a national scope costs what a committee's does."""
    from dangbo.orgs.rules import GRASSROOTS_KINDS

    start = _tree_root_path(user, None)
    if start is None:
        return None, 0, None
    base_depth = start.count("/") - 1
    grassroots = Organization.objects.filter(path__startswith=start, kind__in=GRASSROOTS_KINDS, valid_to=None)
    n = grassroots.count()
    deepest = grassroots.order_by("-depth").values_list("depth", flat=True).first() if n <= HOME_GRASSROOTS_MAX else None
    # one tree read: down to the deepest grassroots level when listing them, else the root alone
    rows = org_tree(user=user, max_level=(deepest - base_depth) if deepest is not None else 0)
    if not rows:
        return None, 0, None
    root = rows[0]  # path order: the scope's root first
    if n > HOME_GRASSROOTS_MAX:
        return root, n, None
    return root, n, [r for r in rows if r["org"].kind in GRASSROOTS_KINDS and r["org"].is_active]


def _sums_below(scope_path: str, depth: int):
    """(path, official, probationary, organisations) summed over everything deeper than `depth` under
    `scope_path`, keyed by the path of its ancestor at `depth`.

    One grouped query by parent (PostgreSQL hashes a few hundred parents; grouping by a path prefix
    made it sort all 53,000 rows), then those parents' paths by id, and
    each parent's sums added to its ancestor at `depth` in Python."""
    rows = list(Organization.objects.filter(path__startswith=scope_path, depth__gt=depth).order_by()
                .values("parent_id").annotate(official=Sum("official_count"), probationary=Sum("probationary_count"),
                                              n=Count("id")).values_list("parent_id", "official", "probationary", "n"))
    paths = dict(Organization.objects.filter(pk__in=[r[0] for r in rows]).values_list("id", "path"))
    sums: dict[str, list[int]] = {}
    for parent_id, official, probationary, n in rows:
        ancestor = "/".join(paths[parent_id].split("/")[:depth + 1]) + "/"
        acc = sums.setdefault(ancestor, [0, 0, 0])
        acc[0] += official
        acc[1] += probationary
        acc[2] += n
    return [(path, *acc) for path, acc in sums.items()]
