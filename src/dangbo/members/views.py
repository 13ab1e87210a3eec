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
    q = request.GET.get("q", "").strip()
    if q:
        rows, page = selectors.member_search(user=request.user, query=q, limit=100), None
    else:
        qs = selectors.member_list(user=request.user).select_related("organization")
        org_id = request.GET.get("org")
        if org_id and org_id.isdigit():
            qs = qs.filter(org_path__startswith=org_get(user=request.user, org_id=int(org_id)).path)
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
        rows = page.object_list
    ctx = {"rows": rows, "page": page, "q": q}
    if request.htmx:
        return render(request, "members/_rows.html", ctx)
    return render(request, "members/list.html", ctx)


def _detail_context(request, member, form=None) -> dict:
    """The profile page's context, shared by the page and the event form's error path."""
    can_manage = scope_of(request.user).covers_path(member.org_path)
    today = date.today()
    badge = None
    if member.admission_date and member.state in rules.OFFICIAL_STATES:
        awarded = [e.details.get("tier") for e in member.events.all() if e.kind == "badge"]
        badge = rules.next_badge(member.admission_date, awarded_tiers=[t for t in awarded if t], on_date=today)
    if form is None and can_manage:
        form = EventForm(orgs=org_list(user=request.user, include_dissolved=False),
                         kinds=rules.allowed_events(member.state, member.away, member.suspended))
    return {
        "m": member,
        "events": member.events.select_related("from_org", "to_org"),
        "can_manage": can_manage,
        "form": form if can_manage else None,
        "party_age": rules.party_age_years(member.admission_date, today) if member.admission_date else None,
        "probation_end": rules.probation_end(member.admission_date) if member.state == "probationary" else None,
        "badge": badge,
    }


@login_required
def member_detail(request, member_id: int):
    member = selectors.member_get(user=request.user, member_id=member_id, hosted=True)
    return render(request, "members/detail.html", _detail_context(request, member))


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
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"Đã ghi sự kiện «{rules.EVENT_LABELS[c['kind']]}».")
            return redirect("member_detail", member_id=member.id)
    member.refresh_from_db()
    return render(request, "members/detail.html", _detail_context(request, member, form), status=422)


def _save_member(request, form: MemberForm, member=None):
    c = form.cleaned_data
    profile = {k: c[k] for k in services.PROFILE_FIELDS if k in c}
    if member is None:
        require_manage(request.user, c["organization"].path)
        return services.member_create(actor=request.user, organization=c["organization"], profile=profile,
                                      admission_date=c["admission_date"], official_date=c["official_date"])
    return services.member_update(actor=request.user, member=member, profile=profile)


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
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"Đã thêm đảng viên {member.full_name}.")
            return redirect("member_detail", member_id=member.id)
    return render(request, "members/form.html", {"form": form, "title": "Thêm đảng viên"},
                  status=422 if form.errors else 200)


@login_required
def member_edit(request, member_id: int):
    member = selectors.member_get(user=request.user, member_id=member_id)
    require_manage(request.user, member.org_path)
    initial = {f: getattr(member, f) for f in services.PROFILE_FIELDS}
    form = MemberForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            _save_member(request, form, member)
        except InvalidInput as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Đã lưu hồ sơ.")
            return redirect("member_detail", member_id=member.id)
    return render(request, "members/form.html", {"form": form, "title": f"Sửa hồ sơ — {member.full_name}", "m": member},
                  status=422 if form.errors else 200)


EXPORT_COLUMNS = [  # no personal ID number or birth date in exports (birth year only)
    ("full_name", "Họ và tên"), ("sex", "Giới tính"), ("birth_year", "Năm sinh"), ("ethnicity", "Dân tộc"),
    ("organization", "Chi bộ"), ("state", "Trạng thái"), ("admission_date", "Ngày vào Đảng"),
    ("official_date", "Ngày chính thức"), ("card_number", "Số thẻ"), ("position", "Chức vụ"),
    ("political_theory_level", "Lý luận chính trị"), ("professional_level", "Chuyên môn"),
]


@login_required
def member_export(request):
    """CSV of the members in the user's scope (optionally one organisation's subtree); the export is
    itself recorded in the audit log."""
    import csv

    from django.http import HttpResponse

    from dangbo.audit.services import audit_record

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
    writer = csv.writer(response)
    writer.writerow([label for _, label in EXPORT_COLUMNS])
    count = 0
    for m in qs.iterator(chunk_size=2000):
        writer.writerow([m.full_name, m.get_sex_display(), m.birth_date.year if m.birth_date else "", m.ethnicity,
                         m.organization.name, m.state_label, m.admission_date or "", m.official_date or "",
                         m.card_number, m.position, m.political_theory_level, m.professional_level])
        count += 1
    target = org or request.user.account.organization
    audit_record(actor=request.user, action="member.export", obj=target, org_path=target.path,
                 after={"rows": count, "organization": target.pk})
    return response
