"""Reads of the member registry, always scoped (see accounts.selectors)."""

from django.db.models import Q
from django.http import Http404

from dangbo.accounts.selectors import scope_of
from dangbo.members.models import Member
from dangbo.text.vietnamese import fold


def member_list(*, user):
    """Members the user may see: those whose permanent organisation is in their subtree (members
    hosted temporarily are listed on the host's page, see `members_hosted`)."""
    scope = scope_of(user)
    if scope.sees_tree:
        return Member.objects.filter(Q(org_path__startswith=scope.org_path))
    if scope.member_id:
        return Member.objects.filter(pk=scope.member_id)
    return Member.objects.none()


def member_get(*, user, member_id: int, hosted: bool = False) -> Member:
    """One member the user may see: in their subtree, or — with `hosted`, for reading the profile —
    attending an organisation of their subtree on temporary transfer (MEM-5: the host cell runs the
    member's activity meanwhile, so its secretary reads the profile; managing it stays with the
    permanent organisation, whose scope every write still checks)."""
    member = member_list(user=user).select_related("organization", "temp_host").filter(pk=member_id).first()
    if member is None and hosted:
        scope = scope_of(user)
        if scope.sees_tree:
            member = (Member.objects.select_related("organization", "temp_host")
                      .filter(pk=member_id, away=True, temp_host__path__startswith=scope.org_path).first())
    if member is None:
        raise Http404("Không tìm thấy đảng viên.")
    return member


def _prefix(field: str, q: str) -> Q:
    """Index-friendly "starts with" on a folded (ASCII) column: a byte-order range.

    The folded columns compare bytewise on both databases (SQLite's BINARY default; on PostgreSQL
    COLLATE "C", migration 0003), so the range is exact and walks the covering index in order.
    """
    return Q(**{f"{field}__gte": q, f"{field}__lt": q + "\uffff"})


def member_search(*, user, query: str, limit: int = 50):
    """Folded-name search: "nguyen van hung", "Hùng", "hung" all find Nguyễn Văn Hùng.

    A one-word query first matches the given name exactly (in official list order), then given
    names starting with it; any query then matches full names starting with it (in alphabetical
    order of the folded full name). Each strategy walks a covering index
    ((given_folded | name_folded), name_sort, id, org_path) in the order it returns rows, checks the
    scope from the index entry, and stops at `limit`, so it stays fast at a million members on
    SQLite and PostgreSQL; one more query loads the chosen members.
    """
    q = fold(query)
    base = member_list(user=user)
    if not q:
        return []
    ids: list[int] = []
    seen: set[int] = set()

    def take(qs, *order):
        for pk in qs.order_by(*order, "name_sort", "id").values_list("id", flat=True)[: limit - len(ids)]:
            if pk not in seen:
                seen.add(pk)
                ids.append(pk)

    if " " not in q:
        take(base.filter(given_folded=q))
        if len(ids) < limit:
            take(base.filter(_prefix("given_folded", q)).exclude(given_folded=q), "given_folded")
    if len(ids) < limit:
        take(base.filter(_prefix("name_folded", q)), "name_folded")
    rows = Member.objects.filter(pk__in=ids).select_related("organization").in_bulk()
    return [rows[pk] for pk in ids]


def members_hosted(*, user, org):
    """Members of other organisations temporarily attending `org` (MEM-5): shown to those who may
    see `org`, never counted in its membership."""
    if not scope_of(user).covers_path(org.path):
        return Member.objects.none()
    return Member.objects.filter(temp_host=org, away=True).select_related("organization")
