"""Reads of congresses, scoped: office staff and secretaries see the congresses of organisations in
their subtree; members see none here (a delegate's own view is for a later slice)."""

from django.db.models import Q
from django.http import Http404

from dangbo.accounts.selectors import scope_of
from dangbo.congress import rules
from dangbo.congress.models import ALTERNATE, OFFICIAL, Congress, Delegate
from dangbo.text.vietnamese import fold


def congress_list(*, user):
    scope = scope_of(user)
    if not scope.sees_tree:
        return Congress.objects.none()
    return Congress.objects.filter(organization__path__startswith=scope.org_path).select_related("organization")


def congress_get(*, user, congress_id: int) -> Congress:
    congress = congress_list(user=user).filter(pk=congress_id).first()
    if congress is None:
        raise Http404("Không tìm thấy đại hội.")
    return congress


def delegates_of(congress: Congress):
    return congress.delegates.select_related("member", "from_org", "replaced_by__member").order_by("number")


def seated(congress: Congress):
    """The delegates who count for attendance: official delegates not replaced, and alternates
    replacing an official delegate (CON-1, CON-7)."""
    return congress.delegates.filter(
        Q(kind=OFFICIAL, replaced_by__isnull=True) | Q(kind=ALTERNATE, replaces__isnull=False))


def quorum(congress: Congress) -> rules.QuorumResult:
    """CON-1 on the live check-in: summoned = official delegates (an alternate replacing one takes the
    seat, the count is unchanged), present = seated delegates checked in, organisations = distinct
    delegations among the official delegates / among those present."""
    summoned = congress.delegates.filter(kind=OFFICIAL).count()
    present_qs = seated(congress).filter(checked_in_at__isnull=False)
    present = present_qs.count()
    orgs_total = congress.delegates.filter(kind=OFFICIAL).values("from_org").distinct().count()
    orgs_present = present_qs.values("from_org").distinct().count()
    return rules.quorum(summoned=summoned, present=present, orgs_total=orgs_total, orgs_present=orgs_present)


def delegations(congress: Congress) -> list[dict]:
    """Per delegation (subordinate organisation): summoned and present, for the quorum page."""
    rows: dict[int, dict] = {}
    for d in congress.delegates.filter(kind=OFFICIAL).select_related("from_org"):
        row = rows.setdefault(d.from_org_id, {"org": d.from_org, "summoned": 0, "present": 0})
        row["summoned"] += 1
    for d in seated(congress).filter(checked_in_at__isnull=False):
        if d.from_org_id in rows:
            rows[d.from_org_id]["present"] += 1
    return sorted(rows.values(), key=lambda r: r["org"].path)


def delegate_search(congress: Congress, query: str, limit: int = 30):
    """Delegates of the congress by folded name ("hung", "nguyen van hung") or card number."""
    q = fold(query or "").strip()
    qs = delegates_of(congress)
    if not q:
        return list(qs[:limit])
    if q.isdigit():
        return list(qs.filter(number=int(q))[:limit])
    return list(qs.filter(Q(member__name_folded__startswith=q) | Q(member__given_folded__startswith=q)
                          | Q(member__name_folded__contains=" " + q))[:limit])


def delegate_get(congress: Congress, delegate_id) -> Delegate:
    try:
        return delegates_of(congress).get(pk=int(delegate_id))
    except (TypeError, ValueError, Delegate.DoesNotExist):
        raise Http404("Không tìm thấy đại biểu.") from None


def quorum_missing(q: rules.QuorumResult) -> list[str]:
    """What the congress still lacks to be valid (CON-1: 2/3 of those summoned AND 2/3 of the
    organisations), in words for the quorum page; empty when it is valid."""
    out = []
    if not q.delegates_ok:
        out.append(f"Còn thiếu {q.need_delegates - q.present} đại biểu (cần ít nhất {q.need_delegates}/"
                   f"{q.summoned}, tức 2/3 số đại biểu được triệu tập).")
    if not q.orgs_ok:
        out.append(f"Còn thiếu đại biểu của {q.need_orgs - q.orgs_present} tổ chức (cần ít nhất {q.need_orgs}/"
                   f"{q.orgs_total}, tức 2/3 số tổ chức trực thuộc).")
    return out
