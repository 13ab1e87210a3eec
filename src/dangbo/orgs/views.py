"""Organisation pages: the tree with member counts, one organisation with its history."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from dangbo.members.selectors import member_list
from dangbo.orgs import selectors


@login_required
def org_tree(request):
    return render(request, "orgs/tree.html", {"rows": selectors.org_tree(user=request.user)})


@login_required
def org_detail(request, org_id: int):
    org = selectors.org_get(user=request.user, org_id=org_id)
    ctx = {
        "org": org,
        "counts": selectors.org_member_counts(org=org),
        "children": selectors.org_list(user=request.user).filter(parent=org),
        "events": org.events.prefetch_related("related"),
        "members": member_list(user=request.user).filter(organization=org).select_related("organization")[:200],
    }
    return render(request, "orgs/detail.html", ctx)
