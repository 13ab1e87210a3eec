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


#: Search results are counted, and paged, up to this many; beyond it the page says "more than
#: 1.000" and asks for a longer query (counting every "nguyen" of a million members would cost more
#: than the search itself, and nobody pages through them).
SEARCH_COUNT_CAP = 1000


def _search_query(query: str) -> str:
    """The query as the index holds names: folded, and without characters no name holds (NUL,
    zero-width, bidi), which PostgreSQL would refuse in a query."""
    from dangbo.core.textcheck import bad_char

    return fold("".join(ch for ch in (query or "")[:200] if bad_char(ch) is None))


def _key_rows(*, user, q: str):
    """`NameKey` rows of the members in the user's scope with a word-start key beginning with `q`,
    in result order: keys equal to `q` first (the query is the end of the name: "hung", "van hung",
    the full name), in official list order, then longer keys in alphabetical order.

    The key is compared byte by byte on both databases (PostgreSQL: COLLATE "C", migration 0006), so
    the "starts with" range walks the covering index (key, name_sort, member, org_path) in exactly
    this order and checks the scope from the index entry."""
    from dangbo.members.models import NameKey

    scope = scope_of(user)
    if not q:
        return NameKey.objects.none()
    if scope.sees_tree:
        where = Q(org_path__startswith=scope.org_path)
    elif scope.member_id:
        where = Q(member_id=scope.member_id)
    else:
        return NameKey.objects.none()
    return (NameKey.objects.filter(where, key__gte=q, key__lt=q + "\uffff")
            .order_by("key", "name_sort", "member_id").values_list("member_id", flat=True))


class SearchResults:
    """Members whose name contains the query as a run of words (see `member_search`), as a lazy
    sequence for Django's Paginator: `count()` is the number of members found, at most
    `SEARCH_COUNT_CAP` (`capped` says there are more); a slice loads only that page's members."""

    def __init__(self, *, user, query: str, cap: int | None = None):
        self.q = _search_query(query)
        self.rows = _key_rows(user=user, q=self.q)
        self.cap = cap or SEARCH_COUNT_CAP
        self._count: int | None = None
        self._seen: list[int] = []
        self._complete = False
        self.capped = False

    def _ids(self, n: int) -> list[int]:
        """The first `n` distinct member ids in result order (a member with two keys that both
        match — "Văn Văn" for "van" — appears once). What was read is kept: the count's walk
        serves the pages after it."""
        fetch = n
        while len(self._seen) < n and not self._complete:
            raw = list(self.rows[:fetch])
            self._seen = list(dict.fromkeys(raw))
            self._complete = len(raw) < fetch
            fetch += n - len(self._seen) + 10
        return self._seen[:n]

    def count(self) -> int:
        if self._count is None:
            found = len(self._ids(self.cap + 1))
            self.capped = found > self.cap
            self._count = min(found, self.cap)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index:index + 1][0]
        start, stop = index.start or 0, min(index.stop if index.stop is not None else self.cap, self.cap)
        ids = self._ids(stop)[start:]
        found = Member.objects.filter(pk__in=ids).select_related("organization").in_bulk()
        return [found[pk] for pk in ids if pk in found]


def member_search(*, user, query: str, limit: int = 50):
    """Folded-name search by any contiguous run of name words, with or without diacritics: "Hùng",
    "van hung", "Văn Hùng", "nguyen van", "nguyen van hung" and "thi minh" all find
    "Nguyễn Thị Minh Hùng"-like names; the last word may be unfinished ("van hu").

    Every word start of a member's folded name is a key in `NameKey` ("nguyen van hung",
    "van hung", "hung"), so the search is one "starts with" range on that index, walked in order
    (exact ends first, in official list order), with the scope checked from the index entry, and
    stopped at `limit`; one more query loads the chosen members. The first `limit` results; see
    `SearchResults` for pages and the count.
    """
    return SearchResults(user=user, query=query)[:limit]


def member_search_results(*, user, query: str) -> SearchResults:
    """All results of `member_search`, to be paged (`django.core.paginator.Paginator`) and counted."""
    return SearchResults(user=user, query=query)


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
