"""Member pages: list and live search, profile with timeline, create / edit, record an event."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from dangbo.accounts.selectors import require_manage, scope_of
from dangbo.core.errors import InvalidInput
from dangbo.core.formerrors import add_errors
from dangbo.core.forms import normalise_day
from dangbo.members import rules, selectors, services
from dangbo.members.forms import EventForm, MemberForm
from dangbo.orgs.selectors import org_get, org_list

PER_PAGE = 50


@login_required
def member_list(request):
    """The members in scope, paged, or — with `q` — the search results, paged and counted; a live
    search (htmx) gets the results block (count, rows, pager) that replaces the list's."""
    q = request.GET.get("q", "").strip()[:120]
    to_check = request.GET.get("kiem-tra") == "1"
    if q:
        page = Paginator(selectors.member_search_results(user=request.user, query=q), PER_PAGE).get_page(
            request.GET.get("page"))
    else:
        qs = selectors.member_list(user=request.user).select_related("organization")
        org_id = request.GET.get("org")
        if org_id and org_id.isdigit() and len(org_id) < 10:
            qs = qs.filter(org_path__startswith=org_get(user=request.user, org_id=int(org_id)).path)
        if to_check:  # MEM-1: members whose two admission dates are still to be checked
            qs = qs.filter(dates_to_check=True)
        page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    ctx = {"rows": page.object_list, "page": page, "q": q, "to_check": to_check,
           "capped": getattr(page.paginator.object_list, "capped", False),
           "to_check_count": selectors.member_list(user=request.user).filter(dates_to_check=True).count()
           if scope_of(request.user).sees_tree else 0}
    if request.htmx:
        return render(request, "members/_results.html", ctx)
    return render(request, "members/list.html", ctx)


def _detail_context(request, member, form=None, reveal=False) -> dict:
    """The profile page's context, shared by the page and the event form's error path."""
    can_manage = scope_of(request.user).covers_path(member.org_path)
    access = selectors.sensitive_access(user=request.user, member=member)
    full = access == "self" or (access == "office" and reveal)
    if full and access == "office":
        services.member_view_sensitive(actor=request.user, member=member, where="profile")
    if form is None and can_manage:
        form = EventForm(orgs=org_list(user=request.user, include_dissolved=False),
                         kinds=rules.allowed_events(member.state, member.away, member.suspended),
                         kind=request.GET.get("su-kien"))
    if form is not None:
        form.live(reverse("member_event", args=[member.id]))
    return {
        "m": member,
        "events": member.events.select_related("from_org", "to_org"),
        "can_manage": can_manage,
        "form": form if can_manage else None,
        **selectors.member_dates(member, today=date.today()),
        "full": full,
        "can_reveal": access == "office" and not reveal,
        "masked_id": selectors.masked_id(member.national_id),
    }


@login_required
def member_detail(request, member_id: int):
    member = selectors.member_get(user=request.user, member_id=member_id, hosted=True)
    reveal = request.GET.get("xem") == "day-du"
    return render(request, "members/detail.html", _detail_context(request, member, reveal=reveal))


def _event_form_errors(form: EventForm, exc: InvalidInput) -> None:
    """The service's problems beside the form's fields (an event's `details` are a field here)."""
    errors = dict(exc.errors or {exc.field: exc.message})
    if "details" in errors and form.DETAIL_FIELD.get(form.event_kind) in form.fields:
        errors[form.DETAIL_FIELD[form.event_kind]] = errors.pop("details")
    add_errors(form, InvalidInput(exc.message, field=exc.field, errors=errors))


@login_required
@require_http_methods(["POST"])
def member_event(request, member_id: int):
    """Record an event. The form's own errors and the service's come back together (the service
    checks what could be read even when the form has errors). With `doi-loai` (the type changed)
    nothing is saved: the form comes back with the new type's fields and what was typed — only the
    fields block for htmx, the whole page without JavaScript."""
    member = selectors.member_get(user=request.user, member_id=member_id)
    require_manage(request.user, member.org_path)
    orgs = org_list(user=request.user, include_dissolved=False)
    if request.POST.get("doi-loai"):
        typed = {k: normalise_day(v) if k.endswith("date") else v for k, v in request.POST.items()
                 if k in EventForm.base_fields and k != "kind"}
        form = EventForm(initial=typed, orgs=orgs, kind=request.POST.get("kind"),
                         kinds=rules.allowed_events(member.state, member.away, member.suspended))
        if request.htmx:
            return render(request, "members/_event_fields.html", {"form": form})
        return render(request, "members/detail.html", _detail_context(request, member, form))
    form = EventForm(request.POST, orgs=orgs)
    valid = form.is_valid()
    try:
        if valid or "kind" not in form.errors:
            services.member_event_record(actor=request.user, member=member, check_only=not valid,
                                         **form.service_kwargs())
    except InvalidInput as exc:
        _event_form_errors(form, exc)
    else:
        if valid:
            messages.success(request, f"Đã ghi sự kiện «{rules.EVENT_LABELS[form.cleaned_data['kind']]}».")
            return redirect("member_detail", member_id=member.id)
    member.refresh_from_db()
    return render(request, "members/detail.html", _detail_context(request, member, form), status=422)


def _save_member(request, form: MemberForm, member=None, masked=False, check_only=False):
    """Create or update from what the form could read; with `check_only` (the form has errors of its
    own) the service only checks the rest, so every problem shows at once."""
    c = form.cleaned_data
    profile = {k: c[k] for k in services.PROFILE_FIELDS if k in c}
    if member is None:
        org = c.get("organization")
        if org is not None:
            require_manage(request.user, org.path)
        return services.member_create(actor=request.user, organization=org, profile=profile,
                                      admission_date=c.get("admission_date"), ceremony_date=c.get("ceremony_date"),
                                      official_date=c.get("official_date"), check_only=check_only)
    if masked:  # write-only: an empty box keeps the stored value the secretary does not see
        for key in ("national_id", "birth_date"):
            if not profile.get(key):
                profile.pop(key, None)
    admission, ceremony = c.get("admission_date"), c.get("ceremony_date")
    changed = (admission is not None and admission != member.admission_date) or (
        ceremony is not None and ceremony != member.ceremony_date)
    return services.member_update(
        actor=request.user, member=member, profile=profile,
        admission_date=(admission or member.admission_date) if changed else None,
        ceremony_date=ceremony if changed else None,
        dates_checked=bool(c.get("dates_checked")), check_only=check_only)


def _submit(request, form: MemberForm, **kwargs):
    """Validate the form and the service together; return the saved member, or None (errors on the form)."""
    if not form.is_bound:  # an empty POST: the blank form again
        return None
    valid = form.is_valid()
    try:
        member = _save_member(request, form, check_only=not valid, **kwargs)
    except InvalidInput as exc:
        add_errors(form, exc)
        return None
    return member if valid else None


@login_required
def member_create(request):
    orgs = org_list(user=request.user, include_dissolved=False)
    if not scope_of(request.user).sees_tree:
        return render(request, "web/denied.html", status=403)
    form = MemberForm(request.POST or None, orgs=orgs)
    if request.method == "POST" and (member := _submit(request, form)) is not None:
        messages.success(request, f"Đã thêm đảng viên {member.full_name}.")
        return redirect("member_detail", member_id=member.id)
    return render(request, "members/form.html", {"form": form, "title": "Thêm đảng viên"},
                  status=422 if form.errors else 200)


@login_required
def member_edit(request, member_id: int):
    member = selectors.member_get(user=request.user, member_id=member_id)
    require_manage(request.user, member.org_path)
    masked = selectors.sensitive_access(user=request.user, member=member) != "office"
    initial = {f: getattr(member, f) for f in services.PROFILE_FIELDS}
    initial.update(admission_date=member.admission_date, ceremony_date=member.ceremony_date)
    if masked:
        initial.update(national_id="", birth_date=None)
    elif request.method == "GET":  # the office sees the full values: recorded
        services.member_view_sensitive(actor=request.user, member=member, where="edit_form")
    form = MemberForm(request.POST or None, initial=initial, editing=True, member=member, masked=masked)
    if request.method == "POST" and _submit(request, form, member=member, masked=masked) is not None:
        messages.success(request, "Đã lưu hồ sơ.")
        return redirect("member_detail", member_id=member.id)
    return render(request, "members/form.html", {"form": form, "title": f"Sửa hồ sơ — {member.full_name}", "m": member},
                  status=422 if form.errors else 200)


def _d(value) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


EXPORT_COLUMNS = [  # no personal ID number or birth date in exports (birth year only)
    ("full_name", "Họ và tên"), ("sex", "Giới tính"), ("birth_year", "Năm sinh"), ("ethnicity", "Dân tộc"),
    ("organization", "Chi bộ"), ("state", "Trạng thái"), ("admission_date", "Ngày quyết định kết nạp"),
    ("ceremony_date", "Ngày tổ chức lễ kết nạp"), ("official_date", "Ngày chính thức"), ("card_number", "Số thẻ"), ("position", "Chức vụ"),
    ("political_theory_level", "Lý luận chính trị"), ("professional_level", "Chuyên môn"),
]


@login_required
def member_export(request):
    """CSV of the members in the user's scope (optionally one organisation's subtree); the export is
    itself recorded in the audit log."""
    from django.http import HttpResponse

    from dangbo.audit.services import audit_record
    from dangbo.core.safecells import SafeWriter

    scope = scope_of(request.user)
    if not scope.sees_tree:
        return render(request, "web/denied.html", status=403)
    qs = selectors.member_list(user=request.user).select_related("organization").filter(
        state__in=rules.COUNTED_STATES)
    org = None
    if request.GET.get("org", "").isdigit():
        org = org_get(user=request.user, org_id=int(request.GET["org"]))
        qs = qs.filter(org_path__startswith=org.path)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="dang-vien.csv"'
    response.write("\ufeff")  # so Excel opens UTF-8 Vietnamese correctly
    writer = SafeWriter(response)  # a name like "=HYPERLINK(…)" stays text in Excel
    writer.writerow([label for _, label in EXPORT_COLUMNS])
    count = 0
    for m in qs.iterator(chunk_size=2000):
        writer.writerow([m.full_name, m.get_sex_display(), m.birth_date.year if m.birth_date else "", m.ethnicity,
                         m.organization.name, m.state_label, _d(m.admission_date), _d(m.ceremony_date),
                         _d(m.official_date),
                         m.card_number, m.position, m.political_theory_level, m.professional_level])
        count += 1
    target = org or request.user.account.organization
    audit_record(actor=request.user, action="member.export", obj=target, org_path=target.path,
                 after={"rows": count, "organization": target.pk})
    return response
