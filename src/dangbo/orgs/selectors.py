"""Reads of the organisation tree, always scoped (see accounts.selectors)."""

from django.db.models import Sum
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


def org_member_counts(*, org: Organization) -> dict:
    """Official / probationary members of an organisation's whole subtree (MEM-5 counting).

    Sums the per-organisation counters (orgs.counts) over the subtree: no member rows are read.
    """
    totals = Organization.objects.filter(path__startswith=org.path).aggregate(
        official=Sum("official_count", default=0), probationary=Sum("probationary_count", default=0))
    return {"official": totals["official"], "probationary": totals["probationary"]}


def org_tree(*, user, max_level: int | None = None) -> list[dict]:
    """Visible organisations in tree order, with member counts of each one's whole subtree.

    Counts follow MEM-5: a member counts at the permanent organisation only (temporary hosts don't).
    Each organisation carries the counts of its own members (orgs.counts); they are summed up the
    tree in Python from plain tuples, so the cost depends on the number of organisations, not of
    members. With `max_level`, only organisations at most that many levels below the user's root
    are returned (their counts still cover everything below them).
    """
    rows = list(org_list(user=user).order_by("path").values_list(
        "id", "parent_id", "depth", "official_count", "probationary_count"))
    if not rows:
        return []
    totals = {pk: [off, prob] for pk, _, _, off, prob in rows}
    for pk, parent_id, _, _, _ in reversed(rows):  # path order reversed: every child before its parent
        up = totals.get(parent_id)  # None above the visible root
        if up is not None:
            up[0] += totals[pk][0]
            up[1] += totals[pk][1]
    base_depth = rows[0][2]
    orgs = org_list(user=user).order_by("path")
    if max_level is not None:
        orgs = orgs.filter(depth__lte=base_depth + max_level)
    return [
        {"org": o, "level": o.depth - base_depth, "official": totals[o.id][0], "probationary": totals[o.id][1]}
        for o in orgs
    ]
