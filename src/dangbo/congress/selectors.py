"""Reads of congresses, scoped: office staff and secretaries see the congresses of organisations in
their subtree; members see none here (a delegate's own view is for a later slice)."""

from django.db.models import Q
from django.http import Http404

from dangbo.accounts.selectors import scope_of
from dangbo.congress import rules
from dangbo.congress.models import (
    ACCEPTED,
    ALTERNATE,
    BODY_KINDS,
    EX_OFFICIO,
    OFFICIAL,
    PENDING,
    REFUSED,
    Congress,
    CongressBody,
    Delegate,
    DelegateKind,
    Obtained,
)
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


def delegate_counts(delegates) -> dict[str, int]:
    """What the numbers beside a delegate list count: official delegates (those summoned, CON-1),
    alternates, and everyone listed."""
    official = sum(d.kind == OFFICIAL for d in delegates)
    alternate = sum(d.kind == ALTERNATE for d in delegates)
    return {"official": official, "alternate": alternate, "total": official + alternate}


def seated(congress: Congress):
    """The delegates who count for attendance: official delegates not replaced, and alternates
    replacing an official delegate (CON-1, CON-7)."""
    return congress.delegates.filter(
        Q(kind=OFFICIAL, replaced_by__isnull=True) | Q(kind=ALTERNATE, replaces__isnull=False))


def _presence(congress: Congress) -> tuple[list, dict[int, dict]]:
    """The subordinate organisations in force on the congress date (`subordinate_orgs`) and, by
    organisation id, {"summoned", "present"}: official delegates and seated delegates checked in whose
    delegation lies in its subtree (a delegation recorded one level deeper counts for its subordinate).
    Delegates of no such organisation (e.g. a cell's own members' congress) are under key 0."""
    subs = list(subordinate_orgs(congress))
    rows: dict[int, dict] = {o.pk: {"summoned": 0, "present": 0} for o in subs}
    rows[0] = {"summoned": 0, "present": 0}

    def owner(path: str) -> int:
        return next((o.pk for o in subs if path.startswith(o.path)), 0)

    for path in congress.delegates.filter(kind=OFFICIAL).values_list("from_org__path", flat=True):
        rows[owner(path)]["summoned"] += 1
    for path in seated(congress).filter(checked_in_at__isnull=False).values_list("from_org__path", flat=True):
        rows[owner(path)]["present"] += 1
    return subs, rows


def quorum(congress: Congress) -> rules.QuorumResult:
    """CON-1 on the live check-in: summoned = official delegates (an alternate replacing one takes the
    seat, the count is unchanged), present = seated delegates checked in; organisations = the congress
    organisation's direct subordinates in force on the congress date (Điều lệ Đảng Điều 11.6: the
    subordinate organisations, whether or not they have delegates) / those with a delegate present."""
    summoned = congress.delegates.filter(kind=OFFICIAL).count()
    present = seated(congress).filter(checked_in_at__isnull=False).count()
    subs, rows = _presence(congress)
    orgs_present = sum(1 for o in subs if rows[o.pk]["present"])
    return rules.quorum(summoned=summoned, present=present, orgs_total=len(subs), orgs_present=orgs_present)


def delegations(congress: Congress) -> list[dict]:
    """Per subordinate organisation in force on the congress date — those with no delegate present or
    none summoned included — summoned and present, for the quorum page; then, if any, the delegates of
    no subordinate organisation (`org` None: not counted among the organisations)."""
    subs, rows = _presence(congress)
    out = [{"org": o, **rows[o.pk]} for o in subs]
    if rows[0]["summoned"] or rows[0]["present"]:
        out.append({"org": None, **rows[0]})
    return out


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


# --------------------------------------------------------------------------------------------------
# Set-up pages
# --------------------------------------------------------------------------------------------------


def sessions_of(congress: Congress):
    return congress.sessions.prefetch_related("items").order_by("order", "id")


def bodies_of(congress: Congress) -> list[CongressBody]:
    """The four bodies in their usual order, unsaved (empty) when not set up yet."""
    saved = {b.kind: b for b in congress.bodies.prefetch_related("members__delegate__member",
                                                                 "members__delegate__from_org")}
    return [saved.get(k) or CongressBody(congress=congress, kind=k) for k in BODY_KINDS]


def body_candidates(congress: Congress):
    """Delegates who may sit on a body: not refused, official or alternate, in card order."""
    return delegates_of(congress).exclude(credential=REFUSED)


def member_candidates(*, user, congress: Congress, query: str, limit: int = 20):
    """Members of the congress's organisation subtree (and in the user's scope) matching `query`,
    with whether each is already a delegate — for the delegates page's search."""
    from dangbo.members.selectors import member_search

    found = [m for m in member_search(user=user, query=query, limit=200)
             if m.org_path.startswith(congress.organization.path)][:limit]
    taken = set(congress.delegates.filter(member__in=[m.pk for m in found]).values_list("member_id", flat=True))
    return [{"member": m, "taken": m.pk in taken} for m in found]


def subordinate_orgs(congress: Congress, on=None):
    """The organisations directly under the congress's organisation in force on `on` (default: the
    congress's opening day): founded on or before it (or undated) and not ended by then (`valid_to`,
    the day an organisation stops being in force, after it). CON-1 counts them; CON-2 allocates to them."""
    on = on or congress.start_date
    return (congress.organization.children
            .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gt=on))
            .order_by("path"))


def allocation_inputs(congress: Congress) -> list[dict]:
    """Per subordinate organisation: its members from the registry counters (official + probationary
    of its whole subtree, MEM-5 counting), the saved bonus and seats, and the delegates it has now."""
    from dangbo.orgs.selectors import org_member_counts

    saved = {r.organization_id: r for r in congress.allocation.all()}
    have: dict[int, dict[str, int]] = {}
    for from_org, kind, obtained in congress.delegates.values_list("from_org", "kind", "obtained"):
        row = have.setdefault(from_org, {"official": 0, "alternate": 0, "ex_officio": 0})
        row[kind] += 1
        if obtained == EX_OFFICIO:
            row["ex_officio"] += 1
    out = []
    for org in subordinate_orgs(congress):
        counts = org_member_counts(org=org)
        row = saved.get(org.pk)
        out.append({"org": org, "members": counts["official"] + counts["probationary"],
                    "official_members": counts["official"], "bonus": row.bonus if row else 0,
                    "seats": row.seats if row else None,
                    "delegates": have.get(org.pk, {}).get("official", 0),
                    "alternates": have.get(org.pk, {}).get("alternate", 0)})
    return out


def absent_officials(congress: Congress):
    """Official delegates not checked in and not yet replaced: those an alternate may replace."""
    return delegates_of(congress).filter(kind=OFFICIAL, replaced_by__isnull=True, checked_in_at__isnull=True)


def free_alternates(congress: Congress):
    """Alternates not replacing anyone and not refused."""
    return delegates_of(congress).filter(kind=ALTERNATE, replaces__isnull=True).exclude(credential=REFUSED)


def replacements(congress: Congress):
    return delegates_of(congress).filter(replaced_by__isnull=False)


# --------------------------------------------------------------------------------------------------
# Credentials report (CON-3)
# --------------------------------------------------------------------------------------------------

SEX_LABELS = {"M": "Nam", "F": "Nữ"}


def credentials_report(congress: Congress, *, on=None) -> dict:
    """The credentials committee's report (CON-3, med): counts by status, and the breakdowns of the
    delegates whose credentials are accepted — how obtained, sex, ethnic minority, age bands,
    professional level, political-theory level, party age — each read from the member registry.
    A value missing in the registry is counted under «Chưa có dữ liệu», never guessed.
    `on` (default: the congress's opening day) is the date ages and party ages are taken on."""
    from dangbo.members.rules import full_years

    on = on or congress.start_date
    delegates = list(delegates_of(congress))
    status = {"total": len(delegates),
              "accepted": sum(d.credential == ACCEPTED for d in delegates),
              "refused": sum(d.credential == REFUSED for d in delegates),
              "pending": sum(d.credential == PENDING for d in delegates)}
    status["official"] = sum(d.kind == OFFICIAL for d in delegates)
    status["alternate"] = sum(d.kind == ALTERNATE for d in delegates)
    status["replaced"] = sum(d.replaced_by_id is not None for d in delegates)
    refused = [d for d in delegates if d.credential == REFUSED]
    group = [d for d in delegates if d.credential == ACCEPTED]
    members = [d.member for d in group]
    ages = [full_years(m.birth_date, on) for m in members if m.birth_date and m.birth_date <= on]
    party_ages = [full_years(m.admission_date, on) for m in members if m.admission_date and m.admission_date <= on]
    obtained_labels = dict(Obtained.choices)
    kind_labels = dict(DelegateKind.choices)

    def minority(m):
        e = (m.ethnicity or "").strip()
        if not e:
            return None
        return "Dân tộc Kinh" if fold(e) == "kinh" else "Dân tộc thiểu số"

    sections = [
        ("Loại đại biểu", rules.breakdown([kind_labels[d.kind] for d in group], list(kind_labels.values()))),
        ("Hình thức có tư cách", rules.breakdown([obtained_labels[d.obtained] for d in group],
                                                list(obtained_labels.values()))),
        ("Giới tính", rules.breakdown([SEX_LABELS.get(m.sex) for m in members], ["Nam", "Nữ"])),
        ("Dân tộc", rules.breakdown([minority(m) for m in members], ["Dân tộc Kinh", "Dân tộc thiểu số"])),
        ("Độ tuổi", rules.breakdown(
            [rules.band_of(full_years(m.birth_date, on) if m.birth_date and m.birth_date <= on else None,
                           rules.AGE_BANDS) for m in members], [label for _, label in rules.AGE_BANDS])),
        ("Trình độ chuyên môn", rules.breakdown([m.professional_level for m in members])),
        ("Trình độ lý luận chính trị", rules.breakdown([m.political_theory_level for m in members],
                                                      ["Cử nhân", "Cao cấp", "Trung cấp", "Sơ cấp"])),
        ("Tuổi đảng", rules.breakdown(
            [rules.band_of(full_years(m.admission_date, on) if m.admission_date and m.admission_date <= on
                           else None, rules.PARTY_AGE_BANDS) for m in members],
            [label for _, label in rules.PARTY_AGE_BANDS])),
    ]

    def stats(values):
        if not values:
            return None
        return {"average": round(sum(values) / len(values), 1), "min": min(values), "max": max(values)}

    return {"c": congress, "on": on, "status": status, "sections": sections, "refused": refused,
            "age": stats(ages), "party_age": stats(party_ages),
            "grounds": dict(rules.REFUSAL_GROUNDS), "examined": len(group) + len(refused)}


def counting_committee_member_ids(congress: Congress) -> set[int]:
    """Members on the congress's counting committee: CON-9 keeps them off every election list (the
    elections app can check a new candidate against this)."""
    return set(congress.bodies.filter(kind="counting").values_list("members__delegate__member_id", flat=True)) - {None}


def teller_member_ids(congress: Congress) -> set[int]:
    """Members on the congress's counting committee **approved** by the congress (CON-4, CON-9): the
    only people who may enter ballots or decide on them (`elections.services.teller_problem`)."""
    return set(congress.bodies.filter(kind="counting", approved=True)
               .values_list("members__delegate__member_id", flat=True)) - {None}
