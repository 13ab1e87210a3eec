"""The audit log page (office staff)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from dangbo.audit.selectors import audit_list


@login_required
def audit_log(request):
    action = request.GET.get("action", "")
    page = Paginator(audit_list(user=request.user, action=action), 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"page": page, "action": action})
