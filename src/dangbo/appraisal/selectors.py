"""Reads of the appraisal, always scoped (see accounts.selectors).

Office staff and secretaries see the reviews of their subtree (and the campaigns that cover it or
lie inside it); a member sees only their own review and its campaign.
"""

from collections import defaultdict

from django.db.models import Count, Q
from django.http import Http404

from dangbo.accounts.models import ROLE_OFFICE
from dangbo.accounts.selectors import scope_of
from dangbo.appraisal import rules, services
from dangbo.appraisal.models import DECIDED, STATUSES, Campaign, Review
from dangbo.orgs.models import Organization


def campaign_list(*, user):
    scope = scope_of(user)
    if scope.sees_tree:
        ancestors = services._prefixes(scope.org_path)
        return Campaign.objects.filter(Q(org_path__startswith=scope.org_path) | Q(org_path__in=ancestors)) \
            .select_related("organization")
    if scope.member_id:
        return Campaign.objects.filter(reviews__member_id=scope.member_id).select_related("organization")
    return Campaign.objects.none()


def campaign_get(*, user, campaign_id: int) -> Campaign:
    campaign = campaign_list(user=user).filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404("Không tìm thấy đợt đánh giá.")
    return campaign


def review_list(*, user, campaign: Campaign):
    scope = scope_of(user)
    qs = campaign.reviews.select_related("member", "organization")
    if scope.sees_tree:
        return qs.filter(org_path__startswith=scope.org_path)
    if scope.member_id:
        return qs.filter(member_id=scope.member_id)
    return Review.objects.none()


def review_get(*, user, review_id: int) -> Review:
    scope = scope_of(user)
    qs = Review.objects.select_related("campaign", "campaign__organization", "member", "organization", "unit")
    if scope.sees_tree:
        qs = qs.filter(org_path__startswith=scope.org_path)
    elif scope.member_id:
        qs = qs.filter(member_id=scope.member_id)
    else:
        qs = Review.objects.none()
    review = qs.filter(pk=review_id).first()
    if review is None:
        raise Http404("Không tìm thấy phiếu đánh giá.")
    return review


def is_own(user, review: Review) -> bool:
    """The member themselves: only they fill in their self-assessment."""
    return scope_of(user).member_id == review.member_id


def can_propose(user, review_or_path) -> bool:
    """The cell's secretary (or anyone managing a subtree containing it) and the office."""
    path = getattr(review_or_path, "org_path", review_or_path)
    return scope_of(user).covers_path(path)


def can_decide(user, unit: Organization) -> bool:
    """The deciding level of a member's grade: the grassroots organisation's committee — its secretary
    — or the committee's office above it."""
    scope = scope_of(user)
    if not scope.covers_path(unit.path):
        return False
    return scope.role == ROLE_OFFICE or scope.org_path == unit.path


def progress(*, user, campaign: Campaign) -> list[dict]:
    """Per cell: counts by status and by grade, in tree order."""
    rows: dict[int, dict] = {}
    qs = review_list(user=user, campaign=campaign).order_by().values(
        "organization_id", "organization__name", "organization__path", "unit_id", "status").annotate(n=Count("id"))
    for row in qs:
        r = rows.setdefault(row["organization_id"], {
            "org_id": row["organization_id"], "name": row["organization__name"], "path": row["organization__path"],
            "unit_id": row["unit_id"], "total": 0, **{s: 0 for s in STATUSES}})
        r[row["status"]] += row["n"]
        r["total"] += row["n"]
    return sorted(rows.values(), key=lambda r: r["path"])


def quota_boxes(*, user, campaign: Campaign, unit_id: int | None = None,
                preview: dict[int, str] | None = None) -> list[dict]:
    """APR-4 per grassroots unit and peer group over the grades as they stand (decided, else proposed;
    `preview` maps review ids to grades being considered), for the units the user may see."""
    scope = scope_of(user)
    if not scope.sees_tree:
        return []
    qs = review_list(user=user, campaign=campaign).exclude(proposed_grade="")
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    by_unit: dict[int, dict] = defaultdict(lambda: {"grades": {}, "groups": {}})
    names = {}
    for pk, unit, uname, upath, group, proposed, decided, status in qs.values_list(
            "pk", "unit_id", "unit__name", "unit__path", "peer_group", "proposed_grade", "decided_grade", "status"):
        if not upath.startswith(scope.org_path):
            continue  # a unit above the user's subtree: its quota is the deciding level's business
        names[unit] = uname
        grade = (preview or {}).get(pk) or (decided if status == DECIDED else proposed)
        by_unit[unit]["grades"][pk] = grade
        by_unit[unit]["groups"][pk] = group
    out = []
    for unit, data in by_unit.items():
        for q in services.quota_rows(campaign, None, data["grades"], data["groups"]):
            out.append({"unit_id": unit, "unit": names[unit], **q._asdict()})
    return sorted(out, key=lambda r: (r["unit"], r["peer_group"]))


GRADE_LABELS = rules.GRADE_LABELS
