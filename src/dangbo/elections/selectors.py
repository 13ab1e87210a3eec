"""Reads of elections, scoped through the congress selectors: office staff and secretaries covering
the congress's organisation see its elections; members see none."""

from django.db.models import Count, Q
from django.http import Http404

from dangbo.congress.selectors import congress_get, congress_list
from dangbo.elections.models import ACCEPTED, CONTESTED, MISMATCH, PENDING, Ballot, Election


def election_list(*, user):
    congresses = congress_list(user=user)
    return (Election.objects.filter(congress__in=congresses)
            .select_related("congress__organization").order_by("-congress__start_date", "congress_id", "id"))


def elections_of(*, user, congress_id: int):
    congress = congress_get(user=user, congress_id=congress_id)
    return congress, list(congress.elections.order_by("id"))


def election_get(*, user, election_id: int) -> Election:
    election = election_list(user=user).filter(pk=election_id).first()
    if election is None:
        raise Http404("Không tìm thấy cuộc bầu cử.")
    return election


def election_for_counting(*, user, election_id: int) -> Election:
    """A round for the counting pages (the tellers' desks, the committee's desk): visible to the staff
    whose scope covers the congress (to supervise, read-only) and to the members of the congress's
    approved counting committee, by their own login (who may enter and decide: CON-9); 404 otherwise."""
    from dangbo.elections.services import account_member_id

    election = election_list(user=user).filter(pk=election_id).first()
    member_id = account_member_id(user)
    if election is None and member_id is not None:
        election = (Election.objects.select_related("congress__organization")
                    .filter(pk=election_id, congress__bodies__kind="counting", congress__bodies__approved=True,
                            congress__bodies__members__delegate__member_id=member_id).first())
    if election is None:
        raise Http404("Không tìm thấy cuộc bầu cử.")
    return election


def teller_rounds(*, user) -> list[Election]:
    """The rounds of the congresses whose approved counting committee the user sits on (their desks)."""
    from dangbo.elections.services import account_member_id

    member_id = account_member_id(user)
    if member_id is None:
        return []
    return list(Election.objects.filter(congress__bodies__kind="counting", congress__bodies__approved=True,
                                        congress__bodies__members__delegate__member_id=member_id)
                .select_related("congress").order_by("-congress__start_date", "congress_id", "id").distinct())


def ballot_get(election: Election, ballot_id) -> Ballot:
    try:
        return election.ballots.get(pk=int(ballot_id))
    except (TypeError, ValueError, Ballot.DoesNotExist):
        raise Http404("Không tìm thấy phiếu.") from None


def progress(election: Election) -> dict:
    """Counts for the counting pages and the projector: ballots by state, entries per teller."""
    row = election.ballots.aggregate(
        total=Count("id"), accepted=Count("id", filter=Q(status=ACCEPTED)),
        mismatch=Count("id", filter=Q(status=MISMATCH)), contested=Count("id", filter=Q(status=CONTESTED)),
        pending=Count("id", filter=Q(status=PENDING)))
    tellers = dict(election.ballots.values("entries__teller").annotate(n=Count("entries__id"))
                   .values_list("entries__teller", "n"))
    row["teller1"], row["teller2"] = tellers.get(1, 0), tellers.get(2, 0)
    row["returned"] = election.returned or 0
    row["percent"] = round(100 * row["accepted"] / row["returned"]) if row["returned"] else 0
    return row


def problem_ballots(election: Election):
    """Ballots waiting for the committee: mismatches with both entries, contested ballots."""
    return (election.ballots.filter(status__in=(MISMATCH, CONTESTED)).prefetch_related("entries__entered_by")
            .order_by("ballot_no"))


def decided_ballots(election: Election):
    """Ballots the committee re-read or ruled on (for the page and the minutes)."""
    return election.ballots.exclude(decision="").select_related("decided_by").order_by("ballot_no")


def rounds_of(election: Election) -> list[Election]:
    """Every round of the same vote, first to last (previous / next links)."""
    first = election
    while first.previous_id:
        first = first.previous
    out = [first]
    while True:
        nxt = out[-1].next_rounds.order_by("id").first()
        if nxt is None:
            return out
        out.append(nxt)
