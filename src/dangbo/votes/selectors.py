"""Reads of open votes. Staff reach a congress's votes through `congress.selectors.congress_get`
(scoped to their subtree); a delegate reaches only the votes of congresses where they are a
delegate, through `delegate_ballots` (their own member record, from their account)."""

from django.http import Http404

from dangbo.accounts.selectors import scope_of
from dangbo.congress.models import Congress, Delegate
from dangbo.votes import rules, services
from dangbo.votes.models import CLOSED, OPEN, PHONES, OpenVote, VoteCast


def votes_of(congress: Congress):
    return congress.open_votes.order_by("created_at", "id")


def vote_get(congress: Congress, vote_id) -> OpenVote:
    try:
        return OpenVote.objects.select_related("congress__organization").get(pk=int(vote_id), congress=congress)
    except (TypeError, ValueError, OpenVote.DoesNotExist):
        raise Http404("Không tìm thấy biểu quyết.") from None


def counts(vote: OpenVote) -> dict[str, int]:
    """Live counts: phones counted from the casts while open, otherwise the stored (entered/frozen) counts."""
    if vote.mode == PHONES and vote.status == OPEN:
        return services.phone_counts(vote)
    return {rules.FOR: vote.votes_for, rules.AGAINST: vote.votes_against, rules.ABSTAIN: vote.votes_abstain}


def result(vote: OpenVote) -> rules.VoteResult | None:
    """The result so far (open) or final (closed) against the frozen base; None before opening."""
    if vote.base is None:
        return None
    c = counts(vote)
    return services.result_of(vote, votes_for=c[rules.FOR], votes_against=c[rules.AGAINST],
                              votes_abstain=c[rules.ABSTAIN])


def delegate_ballots(*, user) -> list[dict]:
    """For a member's account: each congress where they are a delegate with a phones vote open or the
    latest one closed — {delegate, vote, cast (their stored vote or None), may_vote}. A handful of
    queries whatever the number of congresses (this page takes the whole hall at once)."""
    scope = scope_of(user)
    if scope.member_id is None:
        return []
    delegates = {d.congress_id: d for d in Delegate.objects.filter(member_id=scope.member_id)
                 .select_related("congress")}
    if not delegates:
        return []
    chosen: dict[int, OpenVote] = {}
    for v in (OpenVote.objects.filter(congress_id__in=list(delegates), mode=PHONES, status__in=(OPEN, CLOSED))
              .order_by("-opened_at", "-id")):
        current = chosen.get(v.congress_id)
        if current is None or (current.status != OPEN and v.status == OPEN):
            chosen[v.congress_id] = v
    casts = {c.vote_id: c for c in VoteCast.objects.filter(vote__in=list(chosen.values()),
                                                            delegate__in=list(delegates.values()))}
    out = []
    for congress_id, vote in chosen.items():
        d = delegates[congress_id]
        vote.congress = d.congress
        reason = None
        if vote.status == OPEN and vote.pk not in casts:
            reason = services.cast_problem(vote, d, vote.opened_at)
        out.append({"delegate": d, "vote": vote, "cast": casts.get(vote.pk),
                    "may_vote": vote.status == OPEN and vote.pk not in casts and reason is None, "reason": reason})
    return out


def is_delegate(*, user) -> bool:
    """Whether the user's member record is a delegate of any congress (the phone page says which case
    it is when it has nothing to show)."""
    scope = scope_of(user)
    return scope.member_id is not None and Delegate.objects.filter(member_id=scope.member_id).exists()


def ballot_row(vote: OpenVote, delegate: Delegate, cast: VoteCast) -> dict:
    """The phone page's row for the vote just cast (no further queries)."""
    return {"delegate": delegate, "vote": vote, "cast": cast, "may_vote": False, "reason": None}


def own_delegate(*, user, vote_id) -> tuple[OpenVote, Delegate]:
    """The vote and the user's own delegate record in its congress (404 otherwise)."""
    scope = scope_of(user)
    try:
        vote = OpenVote.objects.select_related("congress__organization").get(pk=int(vote_id))
        if scope.member_id is None:
            raise Delegate.DoesNotExist
        delegate = Delegate.objects.get(congress_id=vote.congress_id, member_id=scope.member_id)
    except (TypeError, ValueError, OpenVote.DoesNotExist, Delegate.DoesNotExist):
        raise Http404("Không tìm thấy biểu quyết.") from None
    return vote, delegate


def base_info(vote: OpenVote) -> dict:
    """How the vote's base is (or, for a draft, would now be) obtained, for the control page (CON-4):
    method (members / present / summoned) with its words, the figures, the resolution's exclusions by
    category, and — in a delegates' congress — the official delegates not checked in and not replaced
    now, as a suggestion for "absent for the whole congress with no alternate"."""
    from dangbo.congress import selectors as congress_selectors
    from dangbo.elections import rules as election_rules

    congress = vote.congress
    settings = services._settings()
    method = vote.base_method or rules.base_method(vote.kind, settings)
    kind = congress.kind if congress.kind in election_rules.BASE_EXCLUSIONS else "members"
    exclusions = vote.exclusions or {}
    rows = [(key, label, exclusions.get(key, 0)) for key, label in election_rules.BASE_EXCLUSIONS[kind]]
    info = {"method": method, "label": rules.BASE_LABELS[method], "rows": rows, "members": method == rules.BASE_MEMBERS,
            "problem": None, "suggest": {}}
    if vote.base is not None:
        info.update(summoned=vote.summoned_at_open, present=vote.present_at_open, excluded=vote.excluded_at_open or 0,
                    base=vote.base, frozen=True)
    else:
        q = congress_selectors.quorum(congress)
        excluded = sum(v for _, _, v in rows) if info["members"] else 0
        info.update(summoned=q.summoned, present=q.present, excluded=excluded, base=None, frozen=False)
        try:
            info["base"] = rules.vote_base(present=q.present, summoned=q.summoned, excluded=excluded, kind=vote.kind,
                                           settings=settings)
        except ValueError as exc:
            info["problem"] = str(exc)
        if info["members"] and kind == "delegates":
            info["suggest"] = {"absent_without_alternate": congress_selectors.absent_officials(congress).count()}
    if info["base"] is not None:
        info["need"] = rules.needed(info["base"], vote.kind, settings=settings,
                                    congress_settings=services._congress_settings())
    return info
