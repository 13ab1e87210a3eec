"""The audit log page (office staff): filters, 50 events a page, each in words."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dangbo.accounts.selectors import require_office
from dangbo.audit.display import describe
from dangbo.audit.forms import AuditFilter
from dangbo.audit.selectors import audit_list
from dangbo.orgs.selectors import org_list

PER_PAGE = 50


@login_required
@require_GET
def audit_log(request):
    scope = require_office(request.user)
    form = AuditFilter(request.GET or None, orgs=org_list(user=request.user))
    filters = {}
    if form.is_bound:
        form.is_valid()  # a bad box is said beside it; the other filters still apply
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    page = Paginator(audit_list(user=request.user, **filters), PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/log.html", {
        "form": form, "page": page, "rows": describe(page.object_list, scope_path=scope.org_path),
        "query": query.urlencode(), "filtered": bool(filters),
    })
