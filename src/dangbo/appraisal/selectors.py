"""Reads of the appraisal, always scoped (see accounts.selectors).

Office staff and secretaries see the reviews of their subtree (and the campaigns that cover it or
lie inside it); a member sees only their own review and its campaign.
"""

from collections import Counter, defaultdict
from functools import cache

from django.db.models import Count, Q
from django.http import Http404

from dangbo.accounts.models import ROLE_OFFICE
from dangbo.accounts.selectors import scope_of
from dangbo.appraisal import rules, services
from dangbo.appraisal.models import DECIDED, STATUSES, Campaign, OrgReview, QuotaCount, Review
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
    if scope.sees_tree:  # the member's organisation, or the host of a temporary member (APR-6)
        qs = qs.filter(Q(org_path__startswith=scope.org_path) | Q(host_path__startswith=scope.org_path))
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


def is_host(user, review: Review) -> bool:
    """The committee of the organisation a member is temporarily active in (APR-6): it writes comments."""
    return bool(review.host_path) and scope_of(user).covers_path(review.host_path)


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
                preview: dict[int, str] | None = None, exceptions=()) -> list[dict]:
    """APR-4 per grassroots unit and peer group over the grades as they stand (decided, else proposed;
    `preview` maps review ids to grades being considered), for the units of the user's subtree.

    Reads the counts kept per unit, peer group and grade (QuotaCount, `appraisal.kept`): a province's
    boxes are a few thousand rows, not its 93,000 reviews (docs/PERFORMANCE.md, issue 14). A previewed
    review is read alone: its standing grade taken out of the counts, the previewed grade put in."""
    scope = scope_of(user)
    if not scope.sees_tree:
        return []
    kept_rows = QuotaCount.objects.filter(campaign=campaign, n__gt=0, unit__path__startswith=scope.org_path)
    if unit_id:
        kept_rows = kept_rows.filter(unit_id=unit_id)
    counts: dict[tuple[int, str], Counter] = defaultdict(Counter)  # (unit, peer group) → grade → n
    units: dict[int, str] = {}
    for unit, name, group, grade, n in kept_rows.values_list("unit_id", "unit__name", "peer_group", "grade", "n"):
        counts[unit, group][grade] += n
        units[unit] = name
    preview = {pk: g for pk, g in (preview or {}).items() if g}
    if preview:
        shown = review_list(user=user, campaign=campaign).order_by().filter(
            pk__in=preview, unit__path__startswith=scope.org_path).exclude(proposed_grade="")
        if unit_id:
            shown = shown.filter(unit_id=unit_id)
        for pk, unit, name, group, status, proposed, decided in shown.values_list(
                "pk", "unit_id", "unit__name", "peer_group", "status", "proposed_grade", "decided_grade"):
            standing = rules.counted_grade(status, proposed, decided)
            if standing:
                counts[unit, group][standing] -= 1
            if preview[pk] != rules.NOT_REVIEWED:
                counts[unit, group][preview[pk]] += 1
            units[unit] = name
    cfg = services.rule_settings()

    @cache  # a province's 1,700 boxes repeat a few hundred (good, excellent) pairs; APR-4's exact
    def box(good: int, excellent: int, exception: bool) -> dict:  # fractions were half the time
        return rules.quota_of_counts(good, excellent, exception=exception, settings=cfg)._asdict()

    out = [{"unit_id": unit, "unit": units[unit], "peer_group": group,
            **box(c[rules.GOOD], c[rules.EXCELLENT], group in exceptions)}
           for (unit, group), c in counts.items() if sum(c.values()) > 0]
    return sorted(out, key=lambda r: (r["unit"], r["peer_group"], r["unit_id"]))


def org_review_list(*, user, campaign: Campaign):
    """Organisation reviews of the campaign inside the user's subtree (none for a member)."""
    scope = scope_of(user)
    if not scope.sees_tree:
        return OrgReview.objects.none()
    return campaign.org_reviews.filter(org_path__startswith=scope.org_path).select_related("organization", "decider")


def org_review_get(*, user, campaign: Campaign, org: Organization) -> OrgReview:
    o = org_review_list(user=user, campaign=campaign).filter(organization=org).first()
    if o is None:
        raise Http404("Không có đánh giá của tổ chức này trong đợt đánh giá.")
    return o


def can_decide_orgs(user, decider: Organization) -> bool:
    """APR-5: the committee of `decider` (its secretary) or the office covering it decides the grades
    of the organisations it grades (the committee's standing committee: its 12 organisations)."""
    scope = scope_of(user)
    return scope.covers_path(decider.path) and (scope.role == ROLE_OFFICE or scope.org_path == decider.path)


def deciders(*, user, campaign: Campaign) -> list[dict]:
    """The deciding levels of organisation grades the user may act for, with counts by status."""
    out: dict[int, dict] = {}
    for o in org_review_list(user=user, campaign=campaign).order_by():
        d = out.setdefault(o.decider_id, {"decider": o.decider, "total": 0, **{s: 0 for s in STATUSES}})
        d[o.status] += 1
        d["total"] += 1
    rows = [d for d in out.values() if can_decide_orgs(user, d["decider"])]
    return sorted(rows, key=lambda d: d["decider"].path)


def org_tables(*, user, campaign: Campaign, level: int | None = None) -> list[dict]:
    """Per organisation of the user's subtree (grassroots organisations by default, or every
    organisation): members' grades as counts and % (rules.grade_counts), with its own decided grade."""
    scope = scope_of(user)
    if not scope.sees_tree:
        return []
    grades_by_org: dict[str, list[str]] = defaultdict(list)
    for path, decided, status in review_list(user=user, campaign=campaign).values_list(
            "org_path", "decided_grade", "status"):
        grades_by_org[path].append(decided if status == DECIDED else "")
    orgs = {o.organization_id: o for o in org_review_list(user=user, campaign=campaign)}
    out = []
    for o in orgs.values():
        if o.peer_group != rules.ORG_PEER_GRASSROOTS:
            continue
        grades = [g for path, gs in grades_by_org.items() if path.startswith(o.org_path) for g in gs]
        counts = rules.grade_counts([g for g in grades if g])
        reviewed = sum(counts[g]["count"] for g in rules.RANKED_GRADES)
        out.append({"org": o.organization, "org_review": o, "total": len(grades),
                    "undecided": sum(1 for g in grades if not g), "reviewed": reviewed, "counts": counts,
                    "bars": [(g, counts[g]["pct"]) for g in reversed(rules.RANKED_GRADES)]})
    return sorted(out, key=lambda r: r["org"].path)


def member_history(*, member) -> list[Review]:
    """Every review of a member (the caller has checked the member is in scope), newest year first."""
    return list(Review.objects.filter(member=member).select_related("campaign", "organization")
                .order_by("-campaign__year", "-id"))


def commendations(*, user, year: int, years: int = rules.COMMENDATION_YEARS) -> list[dict]:
    """Members of the user's subtree graded excellent in each of the `years` years up to `year`
    (HD 06-HD/TW §19.2), with their streak."""
    scope = scope_of(user)
    if not scope.sees_tree:
        return []
    qs = Review.objects.filter(org_path__startswith=scope.org_path, status=DECIDED,
                               campaign__year__gt=year - years, campaign__year__lte=year)
    by_member: dict[int, dict[int, str]] = defaultdict(dict)
    for mid, y, grade in qs.values_list("member_id", "campaign__year", "decided_grade"):
        by_member[mid][y] = grade
    ids = [mid for mid, g in by_member.items() if rules.excellent_streak(g, year) >= years]
    from dangbo.members.models import Member

    members = Member.objects.filter(pk__in=ids).select_related("organization").order_by("org_path", "name_sort")
    return [{"member": m, "years": list(range(year - years + 1, year + 1))} for m in members]


GRADE_LABELS = rules.GRADE_LABELS
