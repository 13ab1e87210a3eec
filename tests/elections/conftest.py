"""Fixtures for the elections tests: a members' congress of grassroots committee A (world) with
seven official members summoned and checked in, and a helper to run a round end to end."""

from datetime import date

import pytest

from dangbo.congress.services import congress_create, delegate_add, delegate_check_in
from dangbo.elections import services


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
    return h


def make_round(congress, names, seats, *, actor=None, excluded=None, body="executive_committee"):
    e = services.election_create(actor=actor, congress=congress, body=body, seats=seats, candidates=names)
    e = services.election_base_set(actor=actor, election=e, excluded=excluded or {})
    return services.election_open(actor=actor, election=e)


def enter_both(election, ballot_no, kept=(), flags=(), marks=None, actor=None, contested=False):
    for teller in (1, 2):
        b = services.ballot_enter(actor=actor, election=election, teller=teller, ballot_no=ballot_no, kept=kept,
                                  flags=flags, marks=marks, contested=contested)
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
