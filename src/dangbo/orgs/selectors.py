"""Reads of the organisation tree, always scoped (see accounts.selectors)."""

from django.db.models import Count, Q
from django.http import Http404

from dangbo.accounts.selectors import scope_of
from dangbo.members.rules import COUNTED_STATES
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
    """Official / probationary members of an organisation's whole subtree (MEM-5 counting)."""
    from dangbo.members.models import Member

    qs = Member.objects.filter(org_path__startswith=org.path, state__in=COUNTED_STATES)
    prob = qs.filter(state="probationary").count()
    return {"official": qs.count() - prob, "probationary": prob}


def org_tree(*, user) -> list[dict]:
    """Every visible organisation in tree order, with member counts of its whole subtree.

    Counts follow MEM-5: a member counts at the permanent organisation only (temporary hosts don't).
    One grouped query over members by organisation, then a sum up the tree in Python.
    """
    from dangbo.members.models import Member

    orgs = list(org_list(user=user).order_by("path"))
    if not orgs:
        return []
    root_path = scope_of(user).org_path
    own = {}
    rows = (
        Member.objects.filter(org_path__startswith=root_path, state__in=COUNTED_STATES)
        .values("organization_id")
        .annotate(official=Count("id", filter=~Q(state="probationary")), probationary=Count("id", filter=Q(state="probationary")))
    )
    for row in rows:
        own[row["organization_id"]] = (row["official"], row["probationary"])
    by_path = {o.path: o for o in orgs}
    totals = {o.id: [0, 0] for o in orgs}
    for org in orgs:
        off, prob = own.get(org.id, (0, 0))
        # add to itself and every visible ancestor
        parts = org.path.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            anc = by_path.get("/".join(parts[:i]) + "/")
            if anc is not None:
                totals[anc.id][0] += off
                totals[anc.id][1] += prob
    base_depth = orgs[0].depth
    return [
        {"org": o, "level": o.depth - base_depth, "official": totals[o.id][0], "probationary": totals[o.id][1]}
        for o in orgs
    ]
