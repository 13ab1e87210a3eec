"""Fixtures for the elections tests: a members' congress of grassroots committee A (world) with
seven official members summoned and checked in, its counting committee (three of them, each with a
login of their own, approved by show of hands: only they enter ballots, CON-9), and helpers to run a
round end to end."""

from datetime import date

import pytest

from dangbo.accounts.services import account_create
from dangbo.congress.models import BodyMember
from dangbo.congress.services import (
    body_member_add,
    body_vote_record,
    congress_create,
    delegate_add,
    delegate_check_in,
)
from dangbo.elections import services
from tests.conftest import PASSWORD


class Hall:
    pass


@pytest.fixture
def hall(world):
    h = Hall()
    h.world = world
    h.congress = congress_create(actor=None, organization=world.a, kind="members", term="2025–2030",
                                 name="Đại hội Đảng bộ cơ sở A", start_date=date(2025, 6, 20))
    people = [world.hung, world.lan] + [world.add(world.a1 if i % 2 else world.a2, f"Đảng Viên Thử {chr(65 + i)}")
                                        for i in range(5)]
    h.delegates = [delegate_add(actor=None, congress=h.congress, member=m, obtained="elected") for m in people]
    for d in h.delegates:
        delegate_check_in(actor=None, congress=h.congress, delegate=d)
    h.tellers = []
    for i, d in enumerate(h.delegates[2:5]):  # Thử A, B, C: on no list (CON-9)
        body_member_add(actor=None, congress=h.congress, kind="counting", delegate=d, is_head=i == 0)
        h.tellers.append(account_create(actor=None, username=f"kiemphieu{i + 1}", password=PASSWORD, role="member",
                                        member=d.member))
    body_vote_record(actor=None, congress=h.congress, kind="counting", votes_for=7, votes_against=0, votes_abstain=0)
    return h


def tellers(congress):
    """The login accounts of the congress's counting committee, head first (teller 1, teller 2, …)."""
    return [bm.delegate.member.account.user for bm in BodyMember.objects.filter(
        body__congress=congress, body__kind="counting").select_related("delegate__member__account__user")]


def make_round(congress, names, seats, *, actor=None, excluded=None, body="executive_committee"):
    e = services.election_create(actor=actor, congress=congress, body=body, seats=seats, candidates=names)
    e = services.election_base_set(actor=actor, election=e, excluded=excluded or {})
    return services.election_open(actor=actor, election=e)


def enter_both(election, ballot_no, kept=(), flags=(), marks=None, contested=False):
    """Both tellers' readings of one ballot, by the committee's first two members."""
    users = tellers(election.congress)
    for teller in (1, 2):
        b = services.ballot_enter(actor=users[teller - 1], election=election, teller=teller, ballot_no=ballot_no,
                                  kept=kept, flags=flags, marks=marks, contested=contested)
    return b


NAMES = ["Ứng Viên Một", "Ứng Viên Hai", "Ứng Viên Ba", "Ứng Viên Bốn"]


@pytest.fixture
def closed(hall):
    """A closed round: 4 names for 3 seats, base 7, seven ballots double-entered and tallied."""
    e = make_round(hall.congress, NAMES, 3)
    e = services.election_count_start(actor=None, election=e, issued=7, returned=7)
    for i, kept in enumerate([[1, 2, 3]] * 5 + [[1, 2, 4], [1]], start=1):
        enter_both(e, i, kept=kept)
    return services.election_tally(actor=None, election=e)
