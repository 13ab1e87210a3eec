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
        may = vote.status == OPEN and vote.pk not in casts and services.delegate_may_vote(vote, d, vote.opened_at)
        out.append({"delegate": d, "vote": vote, "cast": casts.get(vote.pk), "may_vote": may})
    return out


def ballot_row(vote: OpenVote, delegate: Delegate, cast: VoteCast) -> dict:
    """The phone page's row for the vote just cast (no further queries)."""
    return {"delegate": delegate, "vote": vote, "cast": cast, "may_vote": False}


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
