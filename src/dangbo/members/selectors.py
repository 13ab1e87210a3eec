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
    from dangbo.core.textcheck import bad_char

    # characters no name holds (NUL, zero-width, bidi) are dropped: PostgreSQL refuses NUL in a query
    q = fold("".join(ch for ch in (query or "")[:200] if bad_char(ch) is None))
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


# --------------------------------------------------------------------------------------------------
# Sensitive data: who sees the full birth date and personal ID number
# --------------------------------------------------------------------------------------------------

MASK = "•"


def masked_id(national_id: str | None) -> str:
    """The personal ID number as everyone but its owner and the office sees it: the last 3 digits."""
    if not national_id:
        return ""
    return MASK * (len(national_id) - 3) + national_id[-3:]


def sensitive_access(*, user, member: Member) -> str | None:
    """Who may see `member`'s full birth date and personal ID number: "self" (the member), "office"
    (office staff whose scope covers the member; each showing is audited), None (masked: secretaries,
    hosts, everyone else — a secretary may still type a new value without seeing the old one)."""
    scope = scope_of(user)
    if scope.member_id and scope.member_id == member.pk:
        return "self"
    if scope.is_office and scope.covers_path(member.org_path):
        return "office"
    return None


# --------------------------------------------------------------------------------------------------
# Dates of a member's life computed by the rules (profile page and API)
# --------------------------------------------------------------------------------------------------


def member_dates(member: Member, *, today=None) -> dict:
    """Party age (from the decision), probation end and recognition deadline (from the ceremony,
    MEM-1; working days without Vietnamese public holidays), next badge (MEM-3, after disciplines)."""
    from datetime import date, timedelta

    from dangbo.members import rules
    from dangbo.members.services import rule_settings
    from dangbo.members.workdays import public_holidays

    today = today or date.today()
    cfg = rule_settings()
    out = {"party_age": None, "probation_end": None, "recognition_deadline": None, "badge": None}
    if member.admission_date:
        out["party_age"] = rules.party_age_years(member.admission_date, today, settings=cfg)
    start = member.ceremony_date or member.admission_date
    if start and member.state == rules.PROBATIONARY:
        end = rules.probation_end(start, settings=cfg)
        out["probation_end"] = end
        out["recognition_deadline"] = rules.recognition_deadline(
            start, public_holidays(end, end + timedelta(days=2 * cfg.recognition_working_days + 60)), settings=cfg)
    if member.admission_date and member.state in rules.OFFICIAL_STATES:
        events = list(member.events.all())
        awarded = [e.details.get("tier") for e in events if e.kind == "badge"]
        disciplines = [(e.decision_date or e.date, e.details.get("level")) for e in events
                       if e.kind == "discipline" and e.details.get("level")]
        out["badge"] = rules.next_badge(member.admission_date, awarded_tiers=[t for t in awarded if t],
                                        on_date=today, disciplines=disciplines, settings=cfg)
    return out
