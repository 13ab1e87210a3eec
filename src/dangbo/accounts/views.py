"""Home page: a dashboard for staff and secretaries, one's own record for a member."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from dangbo.accounts.selectors import scope_of
from dangbo.orgs.selectors import org_tree


@login_required
def home(request):
    scope = scope_of(request.user)
    if scope.member_id:
        return redirect("member_detail", member_id=scope.member_id)
    if not scope.sees_tree:
        return render(request, "web/denied.html", status=403)
    rows = org_tree(user=request.user)
    root = rows[0] if rows else None
    grassroots = [r for r in rows if r["org"].kind in ("grassroots_committee", "grassroots_cell") and r["org"].is_active]
    return render(request, "accounts/home.html", {"root": root, "grassroots": grassroots})
