"""Delegates pages: the list with the member search to add official / alternate delegates, alternates
replacing absent delegates, the seat allocation (CON-2) and the printable delegate cards with QR codes."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from dangbo.congress import rules, selectors, services
from dangbo.congress.forms import AllocationForm, DelegateAddForm, ReplaceForm
from dangbo.congress.models import ALTERNATE, OFFICIAL
from dangbo.congress.views_setup import managed_congress
from dangbo.core.errors import InvalidInput
from dangbo.core.rulesettings import configured
from dangbo.members.selectors import member_get


@login_required
@require_http_methods(["GET", "POST"])
def congress_delegates(request, congress_id: int):
    """GET: delegates, member search (`q`, htmx rows), replacements. POST `action`: add, remove, replace,
    unreplace."""
    congress = managed_congress(request, congress_id)
    query = request.GET.get("q", "").strip()
    error = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "add":
                form = DelegateAddForm(request.POST)
                if not form.is_valid():
                    raise InvalidInput(" ".join(e for errs in form.errors.values() for e in errs), field="member")
                c = form.cleaned_data
                member = member_get(user=request.user, member_id=c["member"])
                d = services.delegate_add(actor=request.user, congress=congress, member=member, kind=c["kind"],
                                          obtained=c["obtained"])
                messages.success(request, f"Đã thêm {d.member.full_name} ({d.get_kind_display().lower()}, "
                                          f"thẻ số {d.number:03d}, đoàn «{d.from_org.name}»).")
            elif action == "replace":
                form = ReplaceForm(request.POST)
                if not form.is_valid():
                    raise InvalidInput("Chọn đại biểu vắng mặt và đại biểu dự khuyết thay thế.", field="absent")
                absent = selectors.delegate_get(congress, form.cleaned_data["absent"])
                alternate = selectors.delegate_get(congress, form.cleaned_data["alternate"])
                services.alternate_replace(actor=request.user, congress=congress, absent=absent, alternate=alternate)
                messages.success(request, f"{alternate.member.full_name} thay thế {absent.member.full_name}.")
            elif action == "remove":
                delegate = selectors.delegate_get(congress, request.POST.get("delegate"))
                services.delegate_remove(actor=request.user, congress=congress, delegate=delegate)
                messages.success(request, f"Đã xoá {delegate.member.full_name} khỏi danh sách đại biểu.")
            elif action == "unreplace":
                absent = selectors.delegate_get(congress, request.POST.get("absent"))
                services.alternate_replace_undo(actor=request.user, congress=congress, absent=absent)
            else:
                raise InvalidInput("Thao tác không hợp lệ.", field="action")
        except InvalidInput as exc:
            error = exc.message
        else:
            return redirect("congress_delegates", congress_id=congress.id)
    ctx = {"c": congress, "query": query, "error": error,
           "found": selectors.member_candidates(user=request.user, congress=congress, query=query) if query else [],
           "kinds": [(OFFICIAL, "Chính thức"), (ALTERNATE, "Dự khuyết")]}
    if request.htmx and request.method == "GET":
        return render(request, "congress/_member_rows.html", ctx)
    delegates = list(selectors.delegates_of(congress))
    ctx.update({"delegates": delegates, "absent": selectors.absent_officials(congress),
                "alternates": selectors.free_alternates(congress), "replaced": selectors.replacements(congress),
                "counts": selectors.delegate_counts(delegates)})
    return render(request, "congress/delegates.html", ctx, status=422 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def congress_allocation(request, congress_id: int):
    """CON-2: the seats of the congress shared among the subordinate organisations from the registry's
    member counts. POST `action=preview` shows the table, `action=save` stores it."""
    congress = managed_congress(request, congress_id)
    inputs = selectors.allocation_inputs(congress)
    orgs = [r["org"] for r in inputs]
    initial = {"seats": congress.seats, "ex_officio": congress.ex_officio, "base_per_org": congress.base_per_org,
               **{f"bonus_{r['org'].pk}": r["bonus"] for r in inputs}}
    if not congress.seats:
        initial["seats"] = congress.delegates.filter(kind=OFFICIAL).count() or None
        initial["ex_officio"] = congress.delegates.filter(obtained="ex_officio").count()
    form = AllocationForm(request.POST or None, orgs=orgs, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        rows = [(r["org"], r["members"], c.get(f"bonus_{r['org'].pk}") or 0) for r in inputs]
        try:
            if request.POST.get("action") == "save":
                services.allocation_save(actor=request.user, congress=congress, rows=rows, seats=c["seats"],
                                         ex_officio=c["ex_officio"], base_per_org=c["base_per_org"])
                messages.success(request, f"Đã lưu phân bổ {c['seats']} đại biểu.")
                return redirect("congress_allocation", congress_id=congress.id)
            shares = services.allocation_compute(congress=congress, rows=rows, seats=c["seats"],
                                                 ex_officio=c["ex_officio"], base_per_org=c["base_per_org"])
            preview = {r["org"].pk: shares[r["org"].pk] for r in inputs}
        except InvalidInput as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    for r in inputs:
        r["bonus_field"] = form[f"bonus_{r['org'].pk}"]
        r["preview"] = None if preview is None else preview[r["org"].pk]
    cap = None
    if congress.organization.kind in rules.LEVELS:
        cap = rules.delegate_cap(congress.organization.kind, settings=configured(rules.CongressRuleSettings))
    totals = {"members": sum(r["members"] for r in inputs), "seats": sum(r["seats"] or 0 for r in inputs),
              "delegates": sum(r["delegates"] for r in inputs),
              "preview": None if preview is None else sum(preview.values())}
    return render(request, "congress/allocation.html", {
        "c": congress, "form": form, "rows": inputs,
        "head_fields": [form["seats"], form["ex_officio"], form["base_per_org"]], "preview": preview, "cap": cap, "totals": totals,
        "saved": congress.allocation.exists()}, status=422 if form.errors else 200)


def qr_svg(text: str) -> str:
    """An inline SVG QR code (segno; no image files, no external service)."""
    return segno.make(text, error="m").svg_inline(scale=3, border=2, dark="#000")


@login_required
@require_http_methods(["GET"])
def congress_cards(request, congress_id: int):
    """Printable delegate cards: name, delegation, number and a QR code of `services.card_code`, which a
    scanner types into the check-in box. `?kind=official|alternate` prints one kind only."""
    congress = managed_congress(request, congress_id)
    delegates = selectors.delegates_of(congress)
    kind = request.GET.get("kind", "")
    if kind in (OFFICIAL, ALTERNATE):
        delegates = delegates.filter(kind=kind)
    cards = [{"d": d, "code": services.card_code(d), "qr": mark_safe(qr_svg(services.card_code(d)))}  # noqa: S308
             for d in delegates]
    return render(request, "congress/cards.html", {"c": congress, "cards": cards, "kind": kind})
