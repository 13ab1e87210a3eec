"""Appraisal pages: campaigns, a campaign's progress with the live APR-4 quota box, a unit's decision,
and one review (self-assessment for the member, proposal / decision view for secretary and office)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from dangbo.accounts.selectors import require_manage, scope_of
from dangbo.appraisal import rules, selectors, services
from dangbo.appraisal.forms import CampaignForm, SelfAssessmentForm
from dangbo.appraisal.models import DRAFT, PROPOSED, SELF_ASSESSED, STATUS_LABELS
from dangbo.core.errors import InvalidInput
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
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
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
           "quota": selectors.quota_boxes(user=request.user, campaign=campaign)}
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
                                 unit_id=int(unit_id) if unit_id and unit_id.isdigit() else None, preview=preview)
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
        try:
            n = services.campaign_decide(actor=request.user, campaign=campaign, unit=unit, overrides=overrides)
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
    ctx = {"c": campaign, "unit": unit, "pending": pending, "error": error, "grade_options": GRADE_OPTIONS,
           "quota": selectors.quota_boxes(user=request.user, campaign=campaign, unit_id=unit.id)}
    return render(request, "appraisal/decide.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def review_detail(request, review_id: int):
    review = selectors.review_get(user=request.user, review_id=review_id)
    own = selectors.is_own(request.user, review)
    manage = selectors.can_propose(request.user, review)
    editable = own and review.status in (DRAFT, SELF_ASSESSED)
    form, status = None, 200
    initial = {f: getattr(review, f) for f in services.SELF_FIELDS}
    if editable:
        form = SelfAssessmentForm(request.POST or None, initial=initial, uses_score=review.campaign.uses_score)
    if request.method == "POST":
        action = request.POST.get("action", "self")
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
        if not own:
            raise PermissionDenied("Chỉ đảng viên tự đánh giá phiếu của mình.")
        if form is None:
            raise PermissionDenied("Phiếu đã được chi bộ đề xuất; không sửa được nữa.")
        if form.is_valid():
            try:
                services.review_self_assess(actor=request.user, review=review, data=form.cleaned_data)
            except InvalidInput as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "Đã lưu phiếu tự đánh giá.")
                return redirect("appraisal_review", review_id=review.id)
        status = 422
    ctx = {"r": review, "form": form, "own": own, "manage": manage,
           "can_propose": manage and review.status in (SELF_ASSESSED, PROPOSED),
           "grade_labels": rules.GRADE_LABELS, "role_label": rules.ROLE_LABELS.get(review.role, review.role),
           "discipline_label": rules.DISCIPLINE_CHOICE_LABELS.get(review.discipline, review.discipline)}
    return render(request, "appraisal/review.html", ctx, status=status)
