"""Congress pages: list, detail with delegates and quorum, check-in desk, live quorum page (CON-1)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from dangbo.accounts.selectors import require_manage, scope_of
from dangbo.congress import selectors, services
from dangbo.congress.forms import CheckInForm
from dangbo.congress.models import ALTERNATE, Delegate
from dangbo.core.errors import InvalidInput


@login_required
@require_http_methods(["GET"])
def congress_list(request):
    if not scope_of(request.user).sees_tree:
        return render(request, "web/denied.html", status=403)
    rows = selectors.congress_list(user=request.user)
    return render(request, "congress/list.html", {"rows": rows})


@login_required
@require_http_methods(["GET"])
def congress_detail(request, congress_id: int):
    congress = selectors.congress_get(user=request.user, congress_id=congress_id)
    can_manage = scope_of(request.user).covers_path(congress.organization.path)
    delegates = list(selectors.delegates_of(congress))
    return render(request, "congress/detail.html", {
        "c": congress, "delegates": delegates, "counts": selectors.delegate_counts(delegates), **_quorum(congress),
        "can_manage": can_manage, "sessions": selectors.sessions_of(congress) if can_manage else (),
        "bodies": selectors.bodies_of(congress) if can_manage else (),
    })


def _quorum(congress) -> dict:
    q = selectors.quorum(congress)
    return {"q": q, "missing": selectors.quorum_missing(q)}


def _desk_context(congress, query: str, form=None, result=None) -> dict:
    return {"c": congress, "rows": selectors.delegate_search(congress, query), "query": query,
            **_quorum(congress), "form": form or CheckInForm(initial={"q": query}),
            "result": result}


@login_required
@require_http_methods(["GET", "POST"])
def congress_check_in(request, congress_id: int):
    """GET: the desk (htmx: the search rows); POST: check in by card number or picked delegate."""
    congress = selectors.congress_get(user=request.user, congress_id=congress_id)
    require_manage(request.user, congress.organization.path)
    if request.method == "GET":
        query = request.GET.get("q", "").strip()
        ctx = _desk_context(congress, query)
        if request.htmx:
            return render(request, "congress/_checkin_rows.html", ctx)
        return render(request, "congress/checkin.html", ctx)
    return _desk_post(request, congress, undo=False)


@login_required
@require_http_methods(["POST"])
def congress_check_in_undo(request, congress_id: int):
    congress = selectors.congress_get(user=request.user, congress_id=congress_id)
    require_manage(request.user, congress.organization.path)
    return _desk_post(request, congress, undo=True)


def _desk_post(request, congress, *, undo: bool):
    form = CheckInForm(request.POST)
    query = request.POST.get("q", "").strip()
    result = None
    if form.is_valid():
        c = form.cleaned_data
        delegate = selectors.delegate_get(congress, c["delegate"]) if c.get("delegate") else None
        service = services.delegate_check_in_undo if undo else services.delegate_check_in
        try:
            d, changed = service(actor=request.user, congress=congress, number=c["number"], delegate=delegate)
        except InvalidInput as exc:
            form.add_error(exc.field if exc.field in form.fields else "number", exc.message)
        else:
            name = f"{d.member.full_name} (thẻ số {d.card_label}, {d.from_org.name})"
            if undo:
                text = f"Đã huỷ điểm danh {name}." if changed else f"{name} chưa điểm danh."
            else:
                # the time in Asia/Ho_Chi_Minh (settings.TIME_ZONE), not the stored UTC
                text = (f"Đã điểm danh {name}." if changed
                        else f"{name} đã điểm danh lúc {timezone.localtime(d.checked_in_at):%H:%M} — không tính lại.")
                if changed and d.kind == ALTERNATE and not Delegate.objects.filter(replaced_by=d).exists():
                    text += " Đại biểu dự khuyết chưa thay thế ai: không tính vào số có mặt, không biểu quyết."
            result = {"ok": True, "changed": changed, "text": text}
            if not request.htmx:
                messages.success(request, text)
                return redirect("congress_check_in", congress_id=congress.id)
            form = None
    # htmx swaps only 2xx answers: the desk shows the error in place; a plain form post gets 422
    status = 422 if form is not None and form.errors and not request.htmx else 200
    ctx = _desk_context(congress, query, form=form, result=result)
    template = "congress/_desk.html" if request.htmx else "congress/checkin.html"
    return render(request, template, ctx, status=status)


@login_required
@require_http_methods(["GET"])
def congress_quorum(request, congress_id: int):
    """The live quorum page (polled every 3 s by htmx): present / summoned, organisations, validity."""
    congress = selectors.congress_get(user=request.user, congress_id=congress_id)
    ctx = {"c": congress, **_quorum(congress), "delegations": selectors.delegations(congress)}
    if request.htmx:
        return render(request, "congress/_quorum_live.html", ctx)
    return render(request, "congress/quorum.html", ctx)
