"""Appraisal pages: campaigns, a campaign's progress with the live APR-4 quota box, a unit's decision,
and one review (self-assessment for the member, proposal / decision view for secretary and office)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from dangbo.accounts.selectors import require_manage, scope_of
from dangbo.appraisal import documents, rules, selectors, services
from dangbo.appraisal.forms import CampaignForm, HostCommentsForm, OrgSelfAssessmentForm, SelfAssessmentForm
from dangbo.appraisal.models import DECIDED, DRAFT, PROPOSED, SELF_ASSESSED, STATUS_LABELS
from dangbo.core.errors import InvalidInput
from dangbo.core.formerrors import add_errors
from dangbo.orgs.selectors import org_get, org_list

GRADE_OPTIONS = [(g, rules.GRADE_LABELS[g]) for g in reversed(rules.RANKED_GRADES)]


@login_required
def campaign_list(request):
    scope = scope_of(request.user)
    form = None
    if scope.is_office:
        form = CampaignForm(request.POST or None, orgs=org_list(user=request.user, include_dissolved=False))
        if request.method == "POST" and form.is_valid():
            c = form.cleaned_data
            require_manage(request.user, c["organization"].path)
            try:
                campaign = services.campaign_open(actor=request.user, organization=c["organization"], year=c["year"],
                                                  review_date=c["review_date"], deadline=c["deadline"])
            except InvalidInput as exc:
                add_errors(form, exc)
            else:
                messages.success(request, f"Đã mở đợt đánh giá năm {campaign.year}.")
                return redirect("appraisal_campaign", campaign_id=campaign.id)
    elif request.method == "POST":
        raise PermissionDenied("Chỉ cán bộ Văn phòng Đảng ủy mở được đợt đánh giá.")
    ctx = {"campaigns": selectors.campaign_list(user=request.user), "form": form}
    return render(request, "appraisal/list.html", ctx, status=422 if form is not None and form.errors else 200)


@login_required
def campaign_detail(request, campaign_id: int):
    campaign = selectors.campaign_get(user=request.user, campaign_id=campaign_id)
    scope = scope_of(request.user)
    if not scope.sees_tree:  # a member: straight to their own review
        own = selectors.review_list(user=request.user, campaign=campaign).first()
        if own is None:
            raise Http404("Không tìm thấy phiếu đánh giá.")
        return redirect("appraisal_review", review_id=own.id)
    qs = selectors.review_list(user=request.user, campaign=campaign)
    org = None
    if request.GET.get("org", "").isdigit():
        org = org_get(user=request.user, org_id=int(request.GET["org"]))
        qs = qs.filter(org_path__startswith=org.path)
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    cells = selectors.progress(user=request.user, campaign=campaign)
    for c in cells:
        c["can_decide"] = c["proposed"] and selectors.can_decide(request.user, _unit(c["unit_id"]))
    ctx = {"c": campaign, "cells": cells, "page": page, "org": org, "statuses": STATUS_LABELS,
           "quota": selectors.quota_boxes(user=request.user, campaign=campaign),
           "deciders": selectors.deciders(user=request.user, campaign=campaign)}
    return render(request, "appraisal/detail.html", ctx)


def _unit(unit_id):
    from dangbo.orgs.models import Organization

    return Organization.objects.get(pk=unit_id)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_quota(request, campaign_id: int):
    """The live quota box (htmx): GET the grades as they stand; POST a decision form to preview it."""
    campaign = selectors.campaign_get(user=request.user, campaign_id=campaign_id)
    if not scope_of(request.user).sees_tree:
        raise PermissionDenied("Chỉ cấp ủy và Văn phòng xem được tỷ lệ xếp loại.")
    unit_id = request.GET.get("unit")
    preview = {int(k[6:]): v for k, v in request.POST.items()
               if k.startswith("grade_") and k[6:].isdigit() and v in rules.GRADES}
    rows = selectors.quota_boxes(user=request.user, campaign=campaign,
                                 unit_id=int(unit_id) if unit_id and unit_id.isdigit() else None, preview=preview,
                                 exceptions=request.POST.getlist("exception_group"))
    return render(request, "appraisal/_quota.html", {"quota": rows})


@login_required
@require_http_methods(["POST"])
def cell_propose(request, campaign_id: int, org_id: int):
    campaign = selectors.campaign_get(user=request.user, campaign_id=campaign_id)
    org = org_get(user=request.user, org_id=org_id)
    require_manage(request.user, org.path)
    try:
        n = services.cell_propose(actor=request.user, campaign=campaign, organization=org)
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã đề xuất xếp loại {n} phiếu của «{org.name}».")
        waiting = services.cell_waiting_for_host(campaign, org)
        if waiting:
            messages.warning(request, f"{waiting} phiếu của đảng viên sinh hoạt tạm thời nơi khác chờ nhận xét bằng "
                                      "văn bản của nơi sinh hoạt tạm thời (APR-6).")
    return redirect("appraisal_campaign", campaign_id=campaign.id)


@login_required
@require_http_methods(["GET", "POST"])
def unit_decide(request, campaign_id: int, org_id: int):
    """The deciding level (APR-5) decides a grassroots unit's proposed grades, with overrides (APR-3)
    and the quota checked live and again on save (APR-4)."""
    campaign = selectors.campaign_get(user=request.user, campaign_id=campaign_id)
    unit = org_get(user=request.user, org_id=org_id)
    if not selectors.can_decide(request.user, unit):
        raise PermissionDenied("Chỉ cấp có thẩm quyền (cấp ủy cơ sở hoặc Văn phòng Đảng ủy) quyết định xếp loại.")
    pending = list(campaign.reviews.filter(unit=unit, status=PROPOSED).select_related("member", "organization"))
    error, status = None, 200
    if request.method == "POST":
        overrides = {}
        for r in pending:
            grade = request.POST.get(f"grade_{r.pk}", r.proposed_grade)
            reason = request.POST.get(f"reason_{r.pk}", "").strip()
            if grade != r.proposed_grade or reason:
                overrides[r.pk] = (grade, reason)
        exceptions = request.POST.getlist("exception_group")
        basis = request.POST.get("exception_basis", "")
        try:
            n = services.campaign_decide(actor=request.user, campaign=campaign, unit=unit, overrides=overrides,
                                         exceptions=exceptions, exception_basis=basis)
        except InvalidInput as exc:
            error, status = exc.message, 422
            for r in pending:
                r.form_grade = request.POST.get(f"grade_{r.pk}", r.proposed_grade)
                r.form_reason = request.POST.get(f"reason_{r.pk}", "")
        else:
            messages.success(request, f"Đã quyết định xếp loại {n} đảng viên của «{unit.name}».")
            return redirect("appraisal_campaign", campaign_id=campaign.id)
    for r in pending:
        r.form_grade = getattr(r, "form_grade", r.proposed_grade)
        r.form_reason = getattr(r, "form_reason", "")
    exceptions = request.POST.getlist("exception_group") if request.method == "POST" else []
    groups = sorted({r.peer_group for r in campaign.reviews.filter(unit=unit).exclude(proposed_grade="")})
    ctx = {"c": campaign, "unit": unit, "pending": pending, "error": error, "grade_options": GRADE_OPTIONS,
           "quota": selectors.quota_boxes(user=request.user, campaign=campaign, unit_id=unit.id, exceptions=exceptions),
           "peer_groups": [(g, g in exceptions) for g in groups],
           "exception_basis": request.POST.get("exception_basis", "") if request.method == "POST" else ""}
    return render(request, "appraisal/decide.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def review_detail(request, review_id: int):
    review = selectors.review_get(user=request.user, review_id=review_id)
    own = selectors.is_own(request.user, review)
    manage = selectors.can_propose(request.user, review)
    host = selectors.is_host(request.user, review)
    can_comment = review.temporary and review.status != DECIDED and (manage or host)
    host_form = HostCommentsForm(request.POST if request.POST.get("action") == "host_comments" else None,
                                 initial={"host_comments": review.host_comments}) if can_comment else None
    editable = own and review.status in (DRAFT, SELF_ASSESSED)
    form, status = None, 200
    initial = {f: getattr(review, f) for f in (*services.SELF_FIELDS, *services.LEAVE_FIELDS)}
    if editable:
        form = SelfAssessmentForm(request.POST or None, initial=initial, uses_score=review.campaign.uses_score)
    if request.method == "POST":
        action = request.POST.get("action", "self")
        if action == "host_comments":
            if host_form is None:
                raise PermissionDenied("Chỉ nơi sinh hoạt tạm thời hoặc chi bộ nơi sinh hoạt chính thức ghi nhận xét.")
            if host_form.is_valid():
                try:
                    services.review_host_comments(actor=request.user, review=review,
                                                  text=host_form.cleaned_data["host_comments"])
                except InvalidInput as exc:
                    host_form.add_error("host_comments", exc.message)
                else:
                    messages.success(request, "Đã ghi nhận xét của nơi sinh hoạt tạm thời.")
                    return redirect("appraisal_review", review_id=review.id)
            status = 422
            action = None
        if action == "propose":
            if not manage:
                raise PermissionDenied("Chỉ chi bộ (bí thư) hoặc Văn phòng đề xuất được xếp loại.")
            try:
                services.review_propose(actor=request.user, review=review)
            except InvalidInput as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "Đã đề xuất xếp loại theo quy định.")
            return redirect("appraisal_review", review_id=review.id)
        if action is None:
            pass
        elif not own:
            raise PermissionDenied("Chỉ đảng viên tự đánh giá phiếu của mình.")
        elif form is None:
            raise PermissionDenied("Phiếu đã được chi bộ đề xuất; không sửa được nữa.")
        elif form.is_valid():
            try:
                services.review_self_assess(actor=request.user, review=review, data=form.cleaned_data)
            except InvalidInput as exc:
                add_errors(form, exc)
            else:
                messages.success(request, "Đã lưu phiếu tự đánh giá.")
                return redirect("appraisal_review", review_id=review.id)
        elif form.is_bound:  # the service's checks too, so every problem shows at once, not one stage at a time
            for field, message in services.self_assessment_errors(
                    form.cleaned_data, uses_score=review.campaign.uses_score).items():
                if field in form.fields and field not in form.errors:
                    form.add_error(field, message)
        status = 422
    if host and not (own or manage):  # the host's committee: the comments form only (APR-6)
        form = None
    ctx = {"r": review, "form": form, "own": own, "manage": manage, "host": host and not manage,
           "host_form": host_form,
           "can_propose": manage and review.status in (SELF_ASSESSED, PROPOSED),
           "grade_labels": rules.GRADE_LABELS, "role_label": rules.ROLE_LABELS.get(review.role, review.role),
           "discipline_label": rules.DISCIPLINE_CHOICE_LABELS.get(review.discipline, review.discipline)}
    return render(request, "appraisal/review.html", ctx, status=status)


# --------------------------------------------------------------------------------------------------
# Organisation grades (APR-5), outputs, history
# --------------------------------------------------------------------------------------------------


def _tree_campaign(request, campaign_id: int):
    campaign = selectors.campaign_get(user=request.user, campaign_id=campaign_id)
    if not scope_of(request.user).sees_tree:
        raise PermissionDenied("Chỉ cấp ủy và Văn phòng xem được trang này.")
    return campaign


@login_required
@require_http_methods(["GET", "POST"])
def org_review(request, campaign_id: int, org_id: int):
    """An organisation's review: the collective's self-assessment, its members' grades, the proposal."""
    campaign = _tree_campaign(request, campaign_id)
    org = org_get(user=request.user, org_id=org_id)
    o = selectors.org_review_get(user=request.user, campaign=campaign, org=org)
    manage = selectors.can_propose(request.user, o.org_path)
    editable = manage and o.status != DECIDED
    initial = {f: getattr(o, f) for f in services.ORG_SELF_FIELDS}
    form = OrgSelfAssessmentForm(request.POST if request.POST.get("action") == "self" else None, initial=initial,
                                 uses_score=campaign.uses_score) if editable else None
    status = 200
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("Bạn không sửa được đánh giá của tổ chức này.")
        if request.POST.get("action") == "propose":
            try:
                services.org_propose(actor=request.user, org_review=o)
            except InvalidInput as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "Đã đề xuất xếp loại tổ chức theo quy định.")
            return redirect("appraisal_org_review", campaign_id=campaign.id, org_id=org.id)
        if form is not None and form.is_valid():
            try:
                services.org_self_assess(actor=request.user, org_review=o, data=form.cleaned_data)
            except InvalidInput as exc:
                add_errors(form, exc)
            else:
                messages.success(request, "Đã lưu bản tự đánh giá của tập thể.")
                return redirect("appraisal_org_review", campaign_id=campaign.id, org_id=org.id)
        status = 422
    grades, undecided = services.member_grades_of(campaign, org)
    ctx = {"c": campaign, "o": o, "form": form, "manage": manage, "undecided": undecided,
           "counts": [(rules.GRADE_LABELS[g], v["count"], v["pct"]) for g, v in rules.grade_counts(grades).items()
                      if g != rules.NOT_REVIEWED],
           "decider_label": rules.DECIDER_LABELS.get(o.decider_level, o.decider_level),
           "can_decide": selectors.can_decide_orgs(request.user, o.decider)}
    return render(request, "appraisal/org_review.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def org_decide(request, campaign_id: int, org_id: int):
    """The deciding level's page (APR-5): the organisations it grades — for the committee, its
    standing committee grading the grassroots organisations — with overrides (APR-3), the members'
    consistency (APR-5) and the organisations' quota (APR-4) checked live and on save."""
    campaign = _tree_campaign(request, campaign_id)
    decider = org_get(user=request.user, org_id=org_id)
    if not selectors.can_decide_orgs(request.user, decider):
        raise PermissionDenied("Chỉ cấp có thẩm quyền quyết định xếp loại các tổ chức này.")
    rows = list(campaign.org_reviews.filter(decider=decider).select_related("organization"))
    if not rows:
        raise Http404("Tổ chức này không quyết định xếp loại tổ chức nào trong đợt đánh giá.")
    preview = {o.pk: request.POST.get(f"grade_{o.pk}", o.proposed_grade) for o in rows if o.status == PROPOSED}
    error, status = None, 200
    if request.method == "POST" and request.POST.get("action") == "propose_all":
        n, problems = 0, []
        for o in rows:
            if o.status in (SELF_ASSESSED, PROPOSED):
                try:
                    services.org_propose(actor=request.user, org_review=o)
                    n += 1
                except InvalidInput as exc:
                    problems.append(exc.message)
        messages.success(request, f"Đã đề xuất xếp loại {n} tổ chức.")
        for p in problems[:5]:
            messages.warning(request, p)
        return redirect("appraisal_org_decide", campaign_id=campaign.id, org_id=decider.id)
    if request.method == "POST" and not request.htmx:
        overrides = {}
        for o in rows:
            if o.status != PROPOSED:
                continue
            grade, reason = preview[o.pk], request.POST.get(f"reason_{o.pk}", "").strip()
            if grade != o.proposed_grade or reason:
                overrides[o.pk] = (grade, reason)
        try:
            n = services.org_decide(actor=request.user, campaign=campaign, decider=decider, overrides=overrides)
        except InvalidInput as exc:
            error, status = exc.message, 422
        else:
            messages.success(request, f"Đã quyết định xếp loại {n} tổ chức.")
            return redirect("appraisal_org_decide", campaign_id=campaign.id, org_id=decider.id)
    grades = {o.pk: (preview.get(o.pk) if o.status == PROPOSED else o.decided_grade) for o in rows
              if o.status in (PROPOSED, DECIDED)}
    quota = [{"unit": decider.name, **q._asdict()}
             for q in services.org_quota_rows(grades, {o.pk: o.peer_group for o in rows})]
    if request.htmx:
        return render(request, "appraisal/_quota.html", {"quota": quota})
    for o in rows:
        o.form_grade = preview.get(o.pk, o.proposed_grade)
        o.form_reason = request.POST.get(f"reason_{o.pk}", "") if request.method == "POST" else ""
        o.counts = ", ".join(f"{rules.GRADE_LABELS[g]}: {n}" for g, n in o.member_grades.items())
    ctx = {"c": campaign, "decider": decider, "rows": rows, "error": error, "quota": quota,
           "grade_options": GRADE_OPTIONS, "has_pending": any(o.status == PROPOSED for o in rows),
           "can_propose_any": any(o.status in (SELF_ASSESSED, PROPOSED) for o in rows)}
    return render(request, "appraisal/org_decide.html", ctx, status=status)


def _totals(tables: list[dict]) -> dict:
    counts = {g: 0 for g in rules.GRADES}
    for t in tables:
        for g in rules.GRADES:
            counts[g] += t["counts"][g]["count"]
    graded = [g for g, n in counts.items() for _ in range(n)]
    return {"counts": rules.grade_counts(graded), "reviewed": sum(counts[g] for g in rules.RANKED_GRADES),
            "undecided": sum(t["undecided"] for t in tables), "total": sum(t["total"] for t in tables)}


CHART_COLOURS = {rules.EXCELLENT: "#1e6b3a", rules.GOOD: "#4f9d69", rules.COMPLETED: "#e0b100",
                 rules.NOT_COMPLETED: "#b3261e"}


def _chart(tables: list[dict]) -> dict:
    """A server-rendered SVG of the grade distribution per organisation (stacked bars of %)."""
    row_h, label_w, bar_w = 26, 260, 400
    bars = []
    for i, t in enumerate(tables):
        x, segments = 0.0, []
        for g, pct in t["bars"]:
            w = bar_w * pct / 100
            if w > 0:
                segments.append({"x": label_w + x, "w": round(w, 1), "colour": CHART_COLOURS[g],
                                 "title": f"{rules.GRADE_LABELS[g]}: {pct}%"})
            x += w
        bars.append({"y": i * row_h, "ty": i * row_h + 17, "name": t["org"].name, "segments": segments})
    return {"bars": bars, "height": max(row_h * len(tables), row_h), "width": label_w + bar_w + 10,
            "legend": [(rules.GRADE_LABELS[g], c) for g, c in CHART_COLOURS.items()]}


@login_required
@require_GET
def summary(request, campaign_id: int):
    """Per-organisation tables (counts and % per grade), the chart and the downloads."""
    campaign = _tree_campaign(request, campaign_id)
    tables = selectors.org_tables(user=request.user, campaign=campaign)
    ctx = {"c": campaign, "tables": tables, "totals": _totals(tables), "chart": _chart(tables),
           "order": [(g, rules.GRADE_LABELS[g]) for g in reversed(rules.RANKED_GRADES)]}
    return render(request, "appraisal/summary.html", ctx)


def _docx(data: bytes, name: str) -> HttpResponse:
    r = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    r["Content-Disposition"] = f'attachment; filename="{name}"'
    return r


@login_required
@require_GET
def decision_download(request, campaign_id: int):
    campaign = _tree_campaign(request, campaign_id)
    # only the columns the decision prints: full rows of 2,700 members and their cells cost a second
    members = list(selectors.review_list(user=request.user, campaign=campaign).filter(status=DECIDED)
                   .only("campaign", "decided_grade", "member__full_name", "organization__name"))
    orgs = list(selectors.org_review_list(user=request.user, campaign=campaign).filter(status=DECIDED)
                .select_related(None).select_related("organization")
                .only("campaign", "decided_grade", "organization__name"))
    return _docx(documents.decision_docx(campaign, members=members, orgs=orgs),
                 f"quyet-dinh-xep-loai-{campaign.year}.docx")


@login_required
@require_GET
def report_download(request, campaign_id: int):
    campaign = _tree_campaign(request, campaign_id)
    tables = selectors.org_tables(user=request.user, campaign=campaign)
    reviews = selectors.review_list(user=request.user, campaign=campaign)
    data = documents.report_docx(campaign, tables=tables, totals=_totals(tables),
                                 overrides=reviews.exclude(override_reason="").count(),
                                 pending=reviews.exclude(status=DECIDED).count())
    return _docx(data, f"bao-cao-tong-hop-xep-loai-{campaign.year}.docx")


@login_required
@require_GET
def member_history(request, member_id: int):
    """A member's grades year by year (APR-7: the regulation of each year) and their excellent streak."""
    from dangbo.members.selectors import member_get

    member = member_get(user=request.user, member_id=member_id)
    reviews = selectors.member_history(member=member)
    decided = {r.campaign.year: r.decided_grade for r in reviews if r.status == DECIDED}
    last = max(decided, default=None)
    streak = rules.excellent_streak(decided, last) if last else 0
    return render(request, "appraisal/history.html", {
        "m": member, "reviews": reviews, "streak": streak, "commendation_years": rules.COMMENDATION_YEARS})


@login_required
@require_GET
def commendation_list(request):
    """Members graded excellent five years in a row up to a year (HD 06-HD/TW §19.2)."""
    if not scope_of(request.user).sees_tree:
        raise PermissionDenied("Chỉ cấp ủy và Văn phòng xem được danh sách này.")
    years = sorted({c.year for c in selectors.campaign_list(user=request.user)}, reverse=True)
    raw = request.GET.get("nam", "")
    year = int(raw) if raw.isdigit() and int(raw) in years else (years[0] if years else None)
    rows = selectors.commendations(user=request.user, year=year) if year else []
    return render(request, "appraisal/commendations.html", {
        "rows": rows, "year": year, "years": years, "n": rules.COMMENDATION_YEARS})
