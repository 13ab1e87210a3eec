"""Member pages: list and live search, profile with timeline, create / edit, record an event."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from dangbo.accounts.selectors import require_manage, scope_of
from dangbo.core.errors import InvalidInput
from dangbo.members import rules, selectors, services
from dangbo.members.forms import EventForm, MemberForm
from dangbo.orgs.selectors import org_get, org_list


@login_required
def member_list(request):
    q = request.GET.get("q", "").strip()[:120]
    to_check = request.GET.get("kiem-tra") == "1"
    if q:
        rows, page = selectors.member_search(user=request.user, query=q, limit=100), None
    else:
        qs = selectors.member_list(user=request.user).select_related("organization")
        org_id = request.GET.get("org")
        if org_id and org_id.isdigit() and len(org_id) < 10:
            qs = qs.filter(org_path__startswith=org_get(user=request.user, org_id=int(org_id)).path)
        if to_check:  # MEM-1: members whose two admission dates are still to be checked
            qs = qs.filter(dates_to_check=True)
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
        rows = page.object_list
    ctx = {"rows": rows, "page": page, "q": q, "to_check": to_check,
           "to_check_count": selectors.member_list(user=request.user).filter(dates_to_check=True).count()
           if scope_of(request.user).sees_tree else 0}
    if request.htmx:
        return render(request, "members/_rows.html", ctx)
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
                         kinds=rules.allowed_events(member.state, member.away, member.suspended))
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


@login_required
@require_http_methods(["POST"])
def member_event(request, member_id: int):
    member = selectors.member_get(user=request.user, member_id=member_id)
    require_manage(request.user, member.org_path)
    form = EventForm(request.POST, orgs=org_list(user=request.user, include_dissolved=False))
    if form.is_valid():
        c = form.cleaned_data
        try:
            services.member_event_record(
                actor=request.user, member=member, kind=c["kind"], on=c["date"], to_org=c["to_org"],
                place=c["place"], end_date=c["end_date"], decision_number=c["decision_number"],
                decision_date=c["decision_date"], details=form.details(), note=c["note"],
            )
        except InvalidInput as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"Đã ghi sự kiện «{rules.EVENT_LABELS[c['kind']]}».")
            return redirect("member_detail", member_id=member.id)
    member.refresh_from_db()
    return render(request, "members/detail.html", _detail_context(request, member, form), status=422)


def _save_member(request, form: MemberForm, member=None, masked=False):
    c = form.cleaned_data
    profile = {k: c[k] for k in services.PROFILE_FIELDS if k in c}
    if member is None:
        require_manage(request.user, c["organization"].path)
        return services.member_create(actor=request.user, organization=c["organization"], profile=profile,
                                      admission_date=c["admission_date"], ceremony_date=c["ceremony_date"],
                                      official_date=c["official_date"])
    if masked:  # write-only: an empty box keeps the stored value the secretary does not see
        for key in ("national_id", "birth_date"):
            if not profile.get(key):
                profile.pop(key, None)
    changed = c["admission_date"] != member.admission_date or (
        c["ceremony_date"] is not None and c["ceremony_date"] != member.ceremony_date)
    return services.member_update(
        actor=request.user, member=member, profile=profile,
        admission_date=c["admission_date"] if changed else None,
        ceremony_date=c["ceremony_date"] if changed else None,
        dates_checked=bool(c.get("dates_checked")))


def _form_errors(form, exc: InvalidInput) -> None:
    """Every problem of a refused write beside its field (the rest on top of the form)."""
    for field, message in (exc.errors or {exc.field: exc.message}).items():
        form.add_error(field if field in form.fields else None, message)


@login_required
def member_create(request):
    orgs = org_list(user=request.user, include_dissolved=False)
    if not scope_of(request.user).sees_tree:
        return render(request, "web/denied.html", status=403)
    form = MemberForm(request.POST or None, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        try:
            member = _save_member(request, form)
        except InvalidInput as exc:
            _form_errors(form, exc)
        else:
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
    if request.method == "POST" and form.is_valid():
        try:
            _save_member(request, form, member, masked=masked)
        except InvalidInput as exc:
            _form_errors(form, exc)
        else:
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
