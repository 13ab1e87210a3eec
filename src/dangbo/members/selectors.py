"""Reads of the member registry, always scoped (see accounts.selectors)."""

from django.db import connection
from django.db.models import Q
from django.http import Http404

from dangbo.accounts.selectors import scope_of
from dangbo.members.models import Member
from dangbo.text.vietnamese import fold


def member_list(*, user):
    """Members the user may see: their subtree's members, and members hosted there temporarily."""
    scope = scope_of(user)
    if scope.sees_tree:
        return Member.objects.filter(Q(org_path__startswith=scope.org_path))
    if scope.member_id:
        return Member.objects.filter(pk=scope.member_id)
    return Member.objects.none()


def member_get(*, user, member_id: int) -> Member:
    member = member_list(user=user).select_related("organization", "temp_host").filter(pk=member_id).first()
    if member is None:
        raise Http404("Không tìm thấy đảng viên.")
    return member


def _prefix(field: str, q: str) -> Q:
    """Index-friendly "starts with" on a folded (ASCII) column.

    SQLite uses an index for LIKE only under special pragmas, so there it is a range; PostgreSQL's
    LIKE 'x%' uses the pattern-ops index Django creates for indexed CharFields.
    """
    if connection.vendor == "sqlite":
        return Q(**{f"{field}__gte": q, f"{field}__lt": q + "\uffff"})
    return Q(**{f"{field}__startswith": q})


def member_search(*, user, query: str, limit: int = 50):
    """Folded-name search: "nguyen van hung", "Hùng", "hung" all find Nguyễn Văn Hùng.

    Every strategy is an indexed range or equality on a folded column, so it stays fast at a
    million rows on SQLite and PostgreSQL: a one-word query matches the given name exactly or any
    name starting with it; a longer query matches full names starting with it.

    Each strategy first picks ids from a covering index ((given_folded | name_folded), name_sort,
    id, org_path): the scope check and the ordering need no table rows, so an exact given name
    walks the index in order and stops at `limit`, and a prefix sorts only narrow index entries.
    Then one query loads the chosen members.
    """
    q = fold(query)
    base = member_list(user=user)
    if not q:
        return []
    ids: list[int] = []
    seen: set[int] = set()

    def take(qs):
        for pk in qs.order_by("name_sort", "id").values_list("id", flat=True)[: limit - len(ids)]:
            if pk not in seen:
                seen.add(pk)
                ids.append(pk)

    if " " not in q:
        take(base.filter(given_folded=q))
        if len(ids) < limit:
            take(base.filter(_prefix("given_folded", q)).exclude(given_folded=q))
    if len(ids) < limit:
        take(base.filter(_prefix("name_folded", q)))
    rows = Member.objects.filter(pk__in=ids).select_related("organization").in_bulk()
    return [rows[pk] for pk in ids]
