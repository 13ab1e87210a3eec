"""The open-vote demo: agenda by show of hands, resolution from the phones; idempotent."""

import random
from datetime import date

from dangbo.congress.demo import build_congress_demo
from dangbo.votes.demo import build_votes_demo
from dangbo.votes.models import OpenVote, VoteCast


def test_votes_demo(world):
    for i in range(4):
        world.add(world.b, f"Đỗ Văn Nam{'a' * i}")
    c = build_congress_demo(root=world.root, today=date(2025, 9, 1), rng=random.Random(1), seats=5, absent=1)
    present = c.delegates.filter(checked_in_at__isnull=False).count()
    agenda, resolution, practice = build_votes_demo(root=world.root, today=date(2025, 9, 1), rng=random.Random(2))
    assert (agenda.status, agenda.mode, agenda.base, agenda.passed) == ("closed", "hands", present, True)
    assert resolution.mode == "phones" and resolution.status == "closed"
    # CON-4: the resolution counts on the members (summoned − absent all congress without an alternate)
    summoned = c.delegates.filter(kind="official").count()
    assert resolution.base_method == "members" and resolution.summoned_at_open == summoned
    assert resolution.base == summoned - resolution.excluded_at_open
    assert resolution.exclusions == {"convening_members_absent_whole": 0,
                                     "absent_without_alternate": resolution.excluded_at_open}
    casts = VoteCast.objects.filter(vote=resolution)
    assert casts.count() == resolution.votes_for + resolution.votes_against + resolution.votes_abstain <= present
    assert casts.filter(choice="for").count() == resolution.votes_for
    # a phones vote left to be opened (practice): the office opens it, the delegates present may vote
    assert (practice.status, practice.mode) == ("draft", "phones")
    assert build_votes_demo(root=world.root, today=date(2025, 9, 1), rng=random.Random(2)) == [
        agenda, resolution, practice]
    assert OpenVote.objects.count() == 3
    assert build_votes_demo(root=world.other, today=date(2025, 9, 1), rng=random.Random(2)) == []
