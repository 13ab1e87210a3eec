"""Meetings pages: the list and plan, one meeting (preparation, bulletin, attendance, the record, the
quality, the minutes), a member's own page on the phone, the removal warnings and the dashboard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangbo.accounts.selectors import require_manage, scope_of
from dangbo.core.errors import InvalidInput
from dangbo.core.formerrors import add_errors
from dangbo.meetings import documents, rules, selectors, services
from dangbo.meetings.forms import (
    BulletinForm,
    MeetingForm,
    PlanForm,
    PrepareForm,
    RecordForm,
    ReplyForm,
    SeatForm,
    YearForm,
)
from dangbo.web.access import staff_page

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
STAFF_ONLY = "Trang sinh hoạt chi bộ dành cho cấp ủy và Văn phòng Đảng ủy; trang của đồng chí là «Sinh hoạt của tôi»."


def _staff(view):
    return login_required(staff_page(view, message=STAFF_ONLY))


def _year_and_org(request):
    orgs = selectors.managed_orgs(user=request.user)
    year, org = timezone.localdate().year, None
    form = YearForm(request.GET or None, orgs=orgs, initial={"year": year})
    if form.is_valid():
        year = form.cleaned_data["year"] or year
        org = form.cleaned_data["org"]
    return form, year, org


@_staff
@require_http_methods(["GET", "POST"])
def meeting_list(request):
    filters, year, org = _year_and_org(request)
    orgs = selectors.managed_orgs(user=request.user)
    form = MeetingForm(request.POST if request.POST.get("action") == "create" else None, orgs=orgs)
    plan = PlanForm(request.POST if request.POST.get("action") == "plan" else None, orgs=orgs,
                    initial={"year": year})
    status = 200
    if request.method == "POST":
        target = form if request.POST.get("action") == "create" else plan
        if target.is_valid():
            c = target.cleaned_data
            require_manage(request.user, c["organization"].path)
            try:
                if target is form:
                    m = services.meeting_create(actor=request.user, organization=c["organization"], body=c["body"],
                                                kind=c["kind"], theme=c["theme"], held_on=c["held_on"],
                                                topic=c["topic"])
                    messages.success(request, "Đã thêm buổi sinh hoạt.")
                    return redirect("meeting_detail", meeting_id=m.id)
                n = services.plan_create(actor=request.user, organization=c["organization"], year=c["year"],
                                         body=c["body"])
                messages.success(request, f"Đã lập kế hoạch năm {c['year']}: thêm {n} buổi sinh hoạt.")
                return redirect(f"{request.path}?year={c['year']}&org={c['organization'].id}")
            except InvalidInput as exc:
                add_errors(target, exc)
        status = 422
    meetings = selectors.meeting_list(user=request.user, org=org, year=year).order_by("held_on", "org_path")[:400]
    ctx = {"meetings": meetings, "form": form, "plan": plan, "filters": filters, "year": year, "org": org}
    return render(request, "meetings/list.html", ctx, status=status)


def _detail_context(request, meeting, **forms):
    rows = list(meeting.attendance.select_related("member").order_by("member__name_sort", "id"))
    quality = selectors.quality_of(meeting)
    done = meeting.prepared
    missing = rules.preparation_missing(done, kind=meeting.kind, has_committee=meeting.body == rules.Body.CELL)
    initial_prep = {k: getattr(meeting, k) for k in (*services.PREPARE_FIELDS, "committee_met_on", "theme_approved")}
    initial_rec = {k: getattr(meeting, k) for k in (*services.RECORD_FIELDS, "minutes", "votes_for", "votes_against")}
    return {
        "m": meeting, "rows": rows, "quality": quality,
        "prep_missing": [rules.PREPARATION_STEPS.get(s) or rules.THEMATIC_STEPS[s] for s in missing],
        "prep": forms.get("prep") or PrepareForm(initial=initial_prep),
        "record": forms.get("record") or RecordForm(initial=initial_rec),
        "bulletin": forms.get("bulletin") or BulletinForm(),
        "statuses": list(rules.STATUS_LABELS.items()), "errors": forms.get("errors") or {},
        "can_record": meeting.held_on <= timezone.localdate() and meeting.state != "missed",
        "unmarked": sum(1 for a in rows if not a.status),
        "replies": {"yes": sum(1 for a in rows if a.reply == "yes"), "no": [a for a in rows if a.reply == "no"]},
        "theme_label": rules.THEMES.get(meeting.theme, ""),
    }


@_staff
@require_GET
def meeting_detail(request, meeting_id: int):
    meeting = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    return render(request, "meetings/detail.html", _detail_context(request, meeting))


@_staff
@require_POST
def meeting_prepare(request, meeting_id: int):
    meeting = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    require_manage(request.user, meeting.org_path)
    form = PrepareForm(request.POST)
    if form.is_valid():
        c = form.cleaned_data
        try:
            services.meeting_prepare(actor=request.user, meeting=meeting, data=c, committee_met_on=c["committee_met_on"],
                                     theme_approved=c["theme_approved"], invite=c["invite"])
        except InvalidInput as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Đã lưu phần chuẩn bị." + (" Đã gửi giấy mời." if c["invite"] else ""))
            return redirect("meeting_detail", meeting_id=meeting.id)
    meeting.refresh_from_db()
    return render(request, "meetings/detail.html", _detail_context(request, meeting, prep=form), status=422)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_bulletin(request, meeting_id: int):
    """GET: the bulletin file (staff of the scope, members of the cell); POST: attach it (staff)."""
    scope = scope_of(request.user)
    if request.method == "GET":
        if scope.sees_tree:
            meeting = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
        else:
            meeting = selectors.own_row(user=request.user, meeting_id=meeting_id).meeting
        path = services.bulletin_path(meeting)
        if path is None:
            raise Http404("Buổi sinh hoạt chưa có bản tin.")
        return FileResponse(path.open("rb"), as_attachment=True, filename=meeting.bulletin_name)
    if not scope.sees_tree:
        raise PermissionDenied("Chỉ cấp ủy đính kèm được bản tin.")
    meeting = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    require_manage(request.user, meeting.org_path)
    form = BulletinForm(request.POST, request.FILES)
    if form.is_valid():
        f = form.cleaned_data["bulletin"]
        try:
            services.bulletin_attach(actor=request.user, meeting=meeting, name=f.name, chunks=f.chunks(), size=f.size)
        except InvalidInput as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Đã đính kèm bản tin sinh hoạt chi bộ.")
            return redirect("meeting_detail", meeting_id=meeting.id)
    return render(request, "meetings/detail.html", _detail_context(request, meeting, bulletin=form), status=422)


@_staff
@require_POST
def meeting_attendance(request, meeting_id: int):
    """Attendance on the day: one radio group per member (`s<row id>`), a reason box (`r<row id>`)."""
    meeting = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    require_manage(request.user, meeting.org_path)
    entries = {}
    for key, value in request.POST.items():
        if key.startswith("s") and key[1:].isdigit():
            entries[int(key[1:])] = (value, request.POST.get(f"r{key[1:]}", ""))
    if request.POST.get("all_present"):  # one tap, then change the few who are not there
        for pk in meeting.attendance.filter(status="").values_list("pk", flat=True):
            entries.setdefault(pk, ("present", ""))
    try:
        n = services.attendance_record(actor=request.user, meeting=meeting, entries=entries)
    except InvalidInput as exc:
        return render(request, "meetings/detail.html",
                      _detail_context(request, meeting, errors=exc.errors or {"": exc.message}), status=422)
    messages.success(request, f"Đã lưu điểm danh ({n} thay đổi).")
    return redirect("meeting_detail", meeting_id=meeting.id)


@_staff
@require_POST
def meeting_record(request, meeting_id: int):
    meeting = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    require_manage(request.user, meeting.org_path)
    if request.POST.get("action") in ("missed", "planned"):
        try:
            services.meeting_missed(actor=request.user, meeting=meeting, missed=request.POST["action"] == "missed")
        except InvalidInput as exc:
            messages.error(request, exc.message)
        return redirect("meeting_detail", meeting_id=meeting.id)
    form = RecordForm(request.POST)
    if form.is_valid():
        c = form.cleaned_data
        try:
            services.meeting_record(actor=request.user, meeting=meeting, data=c, minutes=c["minutes"],
                                    votes_for=c["votes_for"], votes_against=c["votes_against"])
        except InvalidInput as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Đã ghi kết quả buổi sinh hoạt.")
            return redirect("meeting_detail", meeting_id=meeting.id)
    meeting.refresh_from_db()
    return render(request, "meetings/detail.html", _detail_context(request, meeting, record=form), status=422)


@_staff
@require_GET
def meeting_minutes(request, meeting_id: int):
    meeting = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    rows = list(meeting.attendance.select_related("member").order_by("member__name_sort", "id"))
    data = documents.minutes_docx(meeting, rows=rows, quality=selectors.quality_of(meeting))
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="bien-ban-{meeting.held_on:%Y-%m-%d}-{meeting.id}.docx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def my_meetings(request):
    """A member's own page: the next meeting with its documents and bulletin, the answer to the
    invitation, the attendance history."""
    scope = scope_of(request.user)
    if not scope.member_id:
        return render(request, "web/denied.html",
                      {"message": "Trang này dành cho đảng viên có tài khoản của mình."}, status=403)
    today = timezone.localdate()
    page = selectors.member_page(user=request.user, today=today)
    form = ReplyForm()
    status = 200
    if request.method == "POST":
        form = ReplyForm(request.POST)
        row = page["next"]
        if row is None:
            form.add_error(None, "Không có buổi sinh hoạt sắp tới để trả lời.")
        elif form.is_valid():
            try:
                services.reply_record(actor=request.user, attendance=row,
                                      will_attend=form.cleaned_data["will_attend"] == "yes",
                                      reason=form.cleaned_data["reason"])
            except InvalidInput as exc:
                add_errors(form, exc)
            else:
                messages.success(request, "Đã gửi trả lời của đồng chí.")
                return redirect("meeting_mine")
        status = 422
    choice = form.data.get("will_attend") if form.is_bound else (page["next"].reply if page["next"] else "")
    return render(request, "meetings/mine.html", {**page, "form": form, "today": today, "choice": choice},
                  status=status)


@_staff
@require_GET
def warning_list(request):
    filters, year, org = _year_and_org(request)
    rows = selectors.warning_list(user=request.user, year=year, under=org)
    return render(request, "meetings/warnings.html", {"rows": rows, "filters": filters, "year": year,
                                                      "n": services.rule_settings().warning_months})


@_staff
@require_GET
def dashboard(request):
    filters, year, org = _year_and_org(request)
    today = timezone.localdate()
    data = selectors.dashboard(user=request.user, today=today, under=org)
    years = selectors.cell_years(user=request.user, year=year, today=today, under=org) if year != today.year \
        else data["years"]
    return render(request, "meetings/dashboard.html", {**data, "years": years, "filters": filters, "year": year,
                                                       "today": today, "chart": _chart(data["groups"])})


def _chart(groups: list[dict]) -> dict:
    """A horizontal bar per grassroots organisation: this year's attendance rate (server-side SVG)."""
    bar_h, gap, label_w, width = 22, 10, 0, 600
    line = services.rule_settings().min_attendance_pct
    bars = []
    for i, g in enumerate(groups):
        pct = g["pct"] or 0
        bars.append({"y": i * (bar_h + gap) + 18, "w": round(5.5 * pct, 1), "pct": g["pct"], "name": g["name"],
                     "low": g["pct"] is not None and g["pct"] <= line})
    return {"bars": bars, "height": len(groups) * (bar_h + gap) + 20, "width": width, "bar_h": bar_h,
            "label_w": label_w, "line_x": round(5.5 * line, 1), "line": line}




@_staff
@require_http_methods(["GET", "POST"])
def committee_roll(request, committee_org_id: int):
    """Who sits on the organisation's committee (chi ủy of a cell, đảng ủy of a grassroots committee):
    the expected list of its meetings. POST seats a member («them») or ends a seat («thoi»)."""
    org = selectors.committee_org_get(user=request.user, org_id=committee_org_id)
    manage = scope_of(request.user).covers_path(org.path)
    members = selectors.committee_candidates(org)
    form = SeatForm(request.POST if request.POST.get("action") == "them" else None, org=org, members=members)
    error = ""
    if request.method == "POST":
        require_manage(request.user, org.path)
        try:
            if request.POST.get("action") == "thoi":
                seat = selectors.committee_seats(org).filter(pk=request.POST.get("seat", "0")
                                                             if request.POST.get("seat", "").isdigit() else 0).first()
                if seat is None:
                    raise Http404("Không tìm thấy cấp ủy viên.")
                services.seat_end(actor=request.user, seat=seat, until=timezone.localdate())
                messages.success(request, f"Đã ghi {seat.member.full_name} thôi là cấp ủy viên.")
                return redirect(request.path)
            if form.is_valid():
                c = form.cleaned_data
                seat = services.seat_add(actor=request.user, organization=org, body=c["body"], member=c["member"],
                                         role=c["role"], since=c["since"])
                messages.success(request, f"Đã ghi {seat.member.full_name} vào {rules.BODY_LABELS[seat.body].lower()}.")
                return redirect(request.path)
        except InvalidInput as exc:
            if request.POST.get("action") == "them":
                add_errors(form, exc)
            else:
                error = exc.message
    seats = list(selectors.committee_seats(org))
    ctx = {"org": org, "seats": seats, "form": form if manage else None, "error": error,
           "committee_label": "đảng ủy" if org.kind == "grassroots_committee" else "chi ủy"}
    bad = bool(error) or (form.is_bound and bool(form.errors))
    return render(request, "meetings/committee.html", ctx, status=422 if bad else 200)
