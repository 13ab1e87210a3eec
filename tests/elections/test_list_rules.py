"""CON-5 by what is elected (Quyết định 190-QĐ/TW Điều 14.1): executive and standing committee lists
must have more candidates than seats and at most max(1, ⌊30% × seats⌋) more; only secretary,
deputy-secretary and single-seat lists may go without surplus (agree / disagree form); other lists
(inspection commission, delegates): surplus not stated, the congress decides (setting, low)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangbo.congress.rules import CongressRuleSettings
from dangbo.elections.rules import (
    ELECTION_BODIES,
    MUST_HAVE_SURPLUS,
    NO_SURPLUS_ALLOWED,
    ballot_form,
    list_problem,
    max_surplus,
)


def test_committee_list_without_surplus_is_refused():
    for body, label in (("executive_committee", "Ban Chấp hành"), ("standing_committee", "Ban Thường vụ")):
        problem = list_problem(body, candidates=9, seats=9)
        assert problem and "phải có số dư" in problem and label in problem and "190-QĐ/TW" in problem
        assert list_problem(body, candidates=10, seats=9) is None  # surplus 1 ≤ ⌊2,7⌋ = 2
        assert list_problem(body, candidates=11, seats=9) is None
        assert "vượt mức tối đa 2" in list_problem(body, candidates=12, seats=9)
        assert list_problem(body, candidates=4, seats=3) is None  # 3–5 seats: exactly 1 extra
        assert list_problem(body, candidates=5, seats=3) is not None
        assert "ít hơn" in list_problem(body, candidates=2, seats=3)


def test_single_seat_and_secretary_lists_may_go_without_surplus():
    assert list_problem("executive_committee", candidates=1, seats=1) is None
    assert ballot_form("executive_committee", candidates=1, seats=1) == "agree"
    for body in ("secretary", "deputy_secretary"):
        assert list_problem(body, candidates=1, seats=1) is None and ballot_form(body, 1, 1) == "agree"
        assert list_problem(body, candidates=2, seats=2) is None and ballot_form(body, 2, 2) == "agree"
        assert list_problem(body, candidates=3, seats=2) is None and ballot_form(body, 3, 2) == "strike"


def test_other_lists_surplus_left_to_the_congress_unless_set():
    for body in ("inspection_commission", "upper_delegates"):
        assert list_problem(body, candidates=5, seats=5) is None and ballot_form(body, 5, 5) == "agree"
        assert list_problem(body, candidates=12, seats=5) is None  # not capped by default (low)
        capped = CongressRuleSettings(surplus_cap_other_lists=True)
        assert "vượt mức tối đa 1" in list_problem(body, candidates=12, seats=5, settings=capped)
        assert list_problem(body, candidates=6, seats=5, settings=capped) is None


def test_runoff_is_among_the_tied():
    assert list_problem("executive_committee", candidates=2, seats=1, runoff=True) is None
    assert list_problem("executive_committee", candidates=5, seats=1, runoff=True) is None  # a 4-way tie
    assert list_problem("executive_committee", candidates=1, seats=1, runoff=True) is not None
    assert ballot_form("executive_committee", 2, 1, runoff=True) == "strike"


def test_refusals():
    with pytest.raises(ValueError, match="Bầu"):
        list_problem("lunch", candidates=2, seats=1)
    assert "chưa có ai" in list_problem("secretary", candidates=0, seats=1)
    assert list_problem("secretary", candidates=1, seats=0) is not None
    assert set(MUST_HAVE_SURPLUS) | set(NO_SURPLUS_ALLOWED) <= set(ELECTION_BODIES)


@given(st.sampled_from(ELECTION_BODIES), st.integers(0, 60), st.integers(1, 40))
def test_committee_lists_never_accepted_without_surplus_or_over_the_cap(body, n, seats):
    ok = list_problem(body, candidates=n, seats=seats) is None
    if body in MUST_HAVE_SURPLUS and seats > 1:
        assert ok == (seats < n <= seats + max_surplus(seats))
    if ok:
        assert n >= seats >= 1
        assert (ballot_form(body, n, seats) == "agree") == (n == seats)
        if n == seats:  # no surplus: only where CON-5 allows it
            assert body not in MUST_HAVE_SURPLUS or seats == 1
