"""Tests of elections.rules (CON-5..CON-8): worked cases from the regulations and Hypothesis properties."""

import inspect
import itertools
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangbo.congress.rules import CongressRuleSettings, percent_of
from dangbo.elections import rules
from dangbo.elections.rules import (
    agree_ballot_validity,
    ballot_validity,
    election_base_delegates,
    election_base_members,
    max_surplus,
    nominee_admitted,
    surplus_problem,
    tally,
    tally_agree,
    tally_runoff,
    threshold,
)

CANDS = [(1, "Nguyễn Văn An"), (2, "Trần Thị Bình"), (3, "Lê Văn Cường"), (4, "Phạm Thị Dung")]


def ballots(*kept_lists, flags=None):
    """Ballots numbered from 1: each a set of kept numbers; flags {ballot_no: {…}}."""
    flags = flags or {}
    return [(i, set(k), set(flags.get(i, ()))) for i, k in enumerate(kept_lists, start=1)]


def test_every_rule_function_cites_its_con_id():
    for name in ("max_surplus", "surplus_problem", "list_problem", "nominee_admitted", "ballot_validity",
                 "election_base_delegates", "election_base_members", "members_base_of", "threshold", "tally",
                 "tally_runoff", "agree_ballot_validity", "tally_agree"):
        doc = inspect.getdoc(getattr(rules, name))
        assert doc and "CON-" in doc, name


def test_module_does_not_import_django():
    src = inspect.getsource(rules)
    assert "import django" not in src and "from django" not in src


# ------------------------------------------------------------------------------------------------
# CON-5 candidate list
# ------------------------------------------------------------------------------------------------


def test_con5_surplus_cap_floor_but_at_least_one():
    assert max_surplus(10) == 3 and max_surplus(15) == 4 and max_surplus(7) == 2
    assert max_surplus(3) == max_surplus(5) == 1  # 0.9 and 1.5 → at least 1
    assert max_surplus(20, max_pct=15) == 3
    with pytest.raises(ValueError, match="không quá 30%"):
        max_surplus(10, max_pct=35)


def test_con5_surplus_problem():
    assert surplus_problem(13, 10) is None
    assert "vượt" in surplus_problem(14, 10)
    assert "phải có số dư" in surplus_problem(10, 10)
    assert "phải có số dư" in surplus_problem(9, 10)
    assert surplus_problem(4, 3) is None and surplus_problem(5, 3) is not None
    assert surplus_problem(1, 0) is not None
    assert surplus_problem(12, 10, max_pct=20) is None and surplus_problem(13, 10, max_pct=20) is not None


def test_con5_nominee_needs_more_than_30_percent_of_present():
    assert not nominee_admitted(30, 100) and nominee_admitted(31, 100)
    assert nominee_admitted(3, 7) and not nominee_admitted(2, 7)  # 30% of 7 = 2.1
    assert not nominee_admitted(0, 0)
    with pytest.raises(ValueError):
        nominee_admitted(8, 7)


# ------------------------------------------------------------------------------------------------
# CON-6 ballot validity
# ------------------------------------------------------------------------------------------------


def test_con6_striking_ballot_reasons():
    v = lambda kept, flags=(), **kw: ballot_validity(set(kept), set(flags), list_size=4, seats=3, **kw)  # noqa: E731
    assert v({1, 2, 3}) == (True, None)
    assert v({1}) == (True, None)  # fewer names than seats is valid
    assert v({1, 2}, {"unstamped"}) == (False, "unstamped")
    assert v({1, 2, 3, 4}) == (False, "too_many")
    assert v(set()) == (False, "all_struck")
    assert v({1}, {"added_name"}) == (False, "added_name")
    assert v({1}, {"mark"}) == (False, "mark")
    # first reason wins: unstamped before too_many before all_struck before added_name before mark
    assert v({1, 2, 3, 4}, {"unstamped", "mark"}) == (False, "unstamped")
    assert v(set(), {"added_name", "mark"}) == (False, "all_struck")
    assert v({1}, {"added_name", "mark"}) == (False, "added_name")
    # a list without surplus (striking form): striking everyone is a valid vote against all
    assert v(set(), has_surplus=False) == (True, None)
    assert ballot_validity(set(), set(), list_size=3, seats=3, has_surplus=None) == (True, None)
    with pytest.raises(ValueError):
        v({1}, {"torn"})
    with pytest.raises(ValueError):
        ballot_validity({1, 2, 3}, set(), list_size=2, seats=1)


def test_con6_low_rules_are_settings():
    lax = CongressRuleSettings(invalid_added_name=False, invalid_mark=False, invalid_all_struck=False)
    for flags in ({"added_name"}, {"mark"}):
        assert ballot_validity({1}, flags, list_size=4, seats=3, settings=lax) == (True, None)
    assert ballot_validity(set(), set(), list_size=4, seats=3, settings=lax) == (True, None)
    assert ballot_validity({1}, {"unstamped"}, list_size=4, seats=3, settings=lax) == (False, "unstamped")


def test_con6_agree_disagree_ballot():
    marks = {1: "agree", 2: "both", 3: "none"}
    assert agree_ballot_validity(marks, list_size=3, seats=3) == (True, None)
    assert agree_ballot_validity({1: "agree"}, {"unstamped"}, list_size=3, seats=3) == (False, "unstamped")
    assert agree_ballot_validity({1: "both"}, list_size=1, seats=1) == (False, "no_choice")
    assert agree_ballot_validity({}, list_size=1, seats=1) == (False, "no_choice")
    assert agree_ballot_validity({1: "disagree"}, list_size=1, seats=1) == (True, None)
    lax = CongressRuleSettings(invalid_single_name_no_choice=False)
    assert agree_ballot_validity({1: "none"}, list_size=1, seats=1, settings=lax) == (True, None)
    assert agree_ballot_validity({1: "agree", 2: "agree"}, list_size=3, seats=1) == (False, "too_many")
    with pytest.raises(ValueError):
        agree_ballot_validity({1: "maybe"}, list_size=1, seats=1)


# ------------------------------------------------------------------------------------------------
# CON-7 base and threshold
# ------------------------------------------------------------------------------------------------


def test_con7_bases():
    assert election_base_delegates(summoned_official=184) == 184
    assert election_base_delegates(summoned_official=184, convening_members_absent_whole=2,
                                   absent_without_alternate=3) == 179
    assert election_base_members(official_summoned=60, temp_transferred_out=3, exempt_absent=2,
                                 suspended_or_prosecuted=1, absent_with_reason=4) == 50
    with pytest.raises(ValueError):
        election_base_delegates(summoned_official=3, absent_without_alternate=4)
    with pytest.raises(ValueError):
        election_base_members(official_summoned=10, exempt_absent=-1)


def test_con7_threshold_is_more_than_half_of_the_base():
    assert threshold(184) == 93 and threshold(179) == 90 and threshold(7) == 4 and threshold(1) == 1
    with pytest.raises(ValueError):
        threshold(0)


@given(st.integers(1, 10**6))
def test_con7_threshold_property(base):
    t = threshold(base)
    assert 2 * t > base >= 2 * (t - 1)


def test_percent_of_base_rounds_half_up():
    assert percent_of(2, 3) == 66.67 and percent_of(1, 8) == 12.5 and percent_of(1, 800) == 0.13
    assert percent_of(93, 184) == 50.54


# ------------------------------------------------------------------------------------------------
# CON-7 / CON-8 tally
# ------------------------------------------------------------------------------------------------


def test_con7_most_votes_but_not_more_than_half_of_the_base_is_not_elected():
    # base 10 → threshold 6; 7 ballots all valid: An 5 votes (most, and a majority of valid ballots)
    b = ballots({1, 2}, {1, 2}, {1, 3}, {1, 3}, {1, 4}, {2, 3}, {2, 4})
    r = tally(CANDS, b, seats=2, base=10)
    assert r.threshold == 6 and r.valid == 7
    assert [c.votes for c in r.candidates] == [5, 4, 3, 2]
    assert r.elected == [] and r.runoff == [] and r.unfilled == 2
    assert r.candidates[0].percent_of_base == 50.0


def test_con7_highest_counts_win_when_more_pass_than_seats():
    b = ballots(*([{1, 2}] * 5 + [{1, 3}] * 3 + [{2, 3}] * 2))  # An 8, Bình 7, Cường 5
    r = tally(CANDS, b, seats=2, base=10)
    assert r.elected == [1, 2] and r.runoff == [] and r.unfilled == 0
    r = tally(CANDS, ballots(*([{1}] * 7 + [{2}] * 6)), seats=1, base=13)  # threshold 7: only An reaches it
    assert r.threshold == 7 and r.elected == [1] and r.unfilled == 0
    r = tally(CANDS, ballots(*([{1, 2}] * 7 + [{1, 3}] * 2 + [{2, 4}])), seats=1, base=10)
    assert r.invalid == 10 and r.elected == []  # keeping two names for one seat: too_many


def test_con8_tie_at_the_cut_off_goes_to_a_runoff():
    b = ballots(*([{1, 2}] * 4 + [{1, 3}] * 4 + [{2, 3}] * 3))  # An 8, Bình 7, Cường 7
    r = tally(CANDS, b, seats=2, base=11)
    assert r.threshold == 6
    assert r.elected == [1] and r.runoff == [2, 3] and r.unfilled == 1
    # the same tie does not cross the last seat when there are 3 seats: all three are elected
    r = tally(CANDS, b, seats=3, base=11)
    assert r.elected == [1, 2, 3] and r.runoff == [] and r.unfilled == 0


def test_con8_tie_below_the_threshold_is_no_runoff():
    b = ballots(*([{1, 2}] * 3 + [{3, 4}] * 3))  # all 3 votes; threshold 6
    r = tally(CANDS, b, seats=2, base=10)
    assert r.elected == [] and r.runoff == [] and r.unfilled == 2


def test_con6_invalid_ballots_are_counted_by_reason_and_give_no_votes():
    b = ballots({1, 2}, {1, 2, 3}, set(), {1}, {2}, {1, 3},
                flags={4: {"unstamped"}, 5: {"mark"}, 6: {"added_name"}})
    r = tally(CANDS, b, seats=2, base=10)
    assert (r.valid, r.invalid) == (1, 5)
    assert r.invalid_reasons == {"unstamped": 1, "too_many": 1, "all_struck": 1, "added_name": 1, "mark": 1}
    assert [c.votes for c in r.candidates] == [1, 1, 0, 0]
    assert list(r.invalid_reasons) == ["unstamped", "too_many", "all_struck", "added_name", "mark"]


def test_tally_refuses_double_counting_and_bad_entries():
    with pytest.raises(ValueError, match="tính hai lần"):
        tally(CANDS, [(1, {1}, set()), (2, {2}, set()), (1, {3}, set())], seats=2, base=10)
    with pytest.raises(ValueError, match="không có ứng cử viên số 9"):
        tally(CANDS, [(1, {9}, set())], seats=2, base=10)
    with pytest.raises(ValueError, match="hai lần"):
        tally(CANDS, [(1, [1, 1], set())], seats=2, base=10)
    with pytest.raises(ValueError, match="nhiều hơn cơ sở"):
        tally(CANDS, ballots({1}, {1}, {1}), seats=2, base=2)
    with pytest.raises(ValueError, match="trùng"):
        tally([(1, "A"), (1, "B")], [], seats=1, base=1)
    with pytest.raises(ValueError):
        tally(CANDS, [], seats=0, base=1)


def test_tally_as_dict_shape():
    d = tally(CANDS, ballots({1, 2}), seats=2, base=1).as_dict()
    assert list(d) == ["base", "threshold", "valid", "invalid", "invalid_reasons", "candidates", "elected",
                       "runoff", "unfilled"]
    assert d["candidates"][0] == {"no": 1, "full_name": "Nguyễn Văn An", "votes": 1, "percent_of_base": 100.0}


def test_con8_runoff_highest_wins_without_majority():
    tied = [(2, "Trần Thị Bình"), (3, "Lê Văn Cường")]
    b = ballots({2}, {3}, {2}, set(), {2, 3})  # ballot 4 strikes both: invalid; ballot 5 keeps 2 > 1 seat
    r = tally_runoff(tied, b, seats=1, base=184)
    assert r.threshold is None and r.elected == [2] and r.runoff == [] and r.unfilled == 0
    assert r.invalid_reasons == {"all_struck": 1, "too_many": 1}
    assert r.candidates[0].votes == 2  # 2 votes of 184 is enough in a runoff
    again = tally_runoff(tied, ballots({2}, {3}), seats=1)
    assert again.elected == [] and again.runoff == [2, 3] and again.unfilled == 1  # back to the congress


def test_con6_agree_list_ticked_both_or_neither_gets_no_vote_and_stays_valid():
    deputies = [(1, "Nguyễn Văn An"), (2, "Trần Thị Bình")]
    b = [(1, {1: "agree", 2: "agree"}, set()),
         (2, {1: "agree", 2: "both"}, set()),
         (3, {1: "none", 2: "agree"}, set()),
         (4, {1: "agree", 2: "disagree"}, set()),
         (5, {1: "agree", 2: "agree"}, {"unstamped"})]
    r = tally_agree(deputies, b, seats=2, base=6)
    assert (r.valid, r.invalid, r.invalid_reasons) == (4, 1, {"unstamped": 1})
    assert [(c.votes, c.disagree) for c in r.candidates] == [(3, 0), (2, 1)]
    assert r.threshold == 4 and r.elected == [] and r.unfilled == 2
    r = tally_agree(deputies, b, seats=2, base=5)
    assert r.threshold == 3 and r.elected == [1] and r.unfilled == 1


def test_con6_single_name_agree_list():
    secretary = [(7, "Lê Văn Cường")]
    b = [(1, {7: "agree"}, set()), (2, {7: "both"}, set()), (3, {}, set()), (4, {7: "agree"}, set()),
         (5, {7: "disagree"}, set())]
    r = tally_agree(secretary, b, seats=1, base=5)
    assert r.invalid_reasons == {"no_choice": 2} and r.candidates[0].votes == 2 and r.elected == []
    with pytest.raises(ValueError):
        tally_agree(secretary, [(1, {8: "agree"}, set())], seats=1, base=5)


# ------------------------------------------------------------------------------------------------
# Hypothesis properties of the tally
# ------------------------------------------------------------------------------------------------


@st.composite
def rounds(draw):
    """A random round: candidates with arbitrary numbers, seats, ballots (kept names as a bit mask,
    flags mostly none) and a base at least the number of ballots."""
    n = draw(st.integers(1, 6))
    numbers = draw(st.lists(st.integers(1, 99), min_size=n, max_size=n, unique=True))
    cands = [(no, f"Ứng cử viên {no}") for no in numbers]
    seats = draw(st.integers(1, n))
    # a few ballot patterns repeated, so that thresholds are reached and ties happen
    patterns = draw(st.lists(st.integers(0, 2**n - 1), min_size=1, max_size=4))
    raw = draw(st.lists(st.tuples(st.sampled_from(patterns), st.sampled_from([0, 0, 0, 0, 0, 0, 0, 1, 2, 4, 6]),
                                  st.integers(1, 10_000)), max_size=30, unique_by=lambda t: t[2]))
    bs = [(bn, {no for i, no in enumerate(numbers) if mask >> i & 1},
           {f for i, f in enumerate(rules.FLAGS) if fmask >> i & 1}) for mask, fmask, bn in raw]
    if seats + 1 <= min(n, 2 * seats - 1) and draw(st.booleans()):
        # every way of keeping `seats` of m candidates, r times: the m tie with seats/m > 1/2 of the
        # ballots — a tie crossing the last seat, above the threshold when the base is tight
        m = draw(st.integers(seats + 1, min(n, 2 * seats - 1)))
        combos = list(itertools.combinations(numbers[:m], seats)) * draw(st.integers(1, 3))
        bs = bs[:draw(st.integers(0, 4))]
        used = {b[0] for b in bs}
        free = (x for x in range(20_000, 40_000) if x not in used)
        bs += [(next(free), set(c), set()) for c in combos]
    base = draw(st.integers(max(1, len(bs)), len(bs) + 3))
    return cands, bs, seats, base


@settings(max_examples=300, deadline=None)
@given(rounds())
def test_tally_properties(data):
    cands, bs, seats, base = data
    r = tally(cands, bs, seats=seats, base=base)
    has_surplus = len(cands) > seats
    valid = [b for b in bs if ballot_validity(b[1], b[2], list_size=len(cands), seats=seats,
                                              has_surplus=has_surplus)[0]]
    # every ballot is counted once, as valid or under exactly one reason
    assert r.valid == len(valid) and r.valid + r.invalid == len(bs) == r.ballots
    assert sum(r.invalid_reasons.values()) == r.invalid
    # each candidate's votes = the valid ballots keeping them
    votes = {c.no: c.votes for c in r.candidates}
    for no, _ in cands:
        assert votes[no] == sum(1 for b in valid if no in b[1])
    assert [c.no for c in r.candidates] == [no for no, _ in cands]  # ballot order
    # the elected never exceed the seats and all reach the threshold; descending votes
    assert len(r.elected) <= seats and r.unfilled == seats - len(r.elected)
    assert all(votes[no] >= r.threshold for no in r.elected)
    assert [votes[no] for no in r.elected] == sorted((votes[no] for no in r.elected), reverse=True)
    assert not set(r.elected) & set(r.runoff)
    others = [no for no, _ in cands if no not in r.elected and no not in r.runoff]
    if r.runoff:
        cut = votes[r.runoff[0]]
        assert all(votes[no] == cut for no in r.runoff) and cut >= r.threshold
        assert len(r.runoff) > r.unfilled > 0
        assert all(votes[no] > cut for no in r.elected)
        assert all(votes[no] < cut for no in others)
    else:
        # nobody left out reaches the threshold with as many votes as an elected candidate
        low = min((votes[no] for no in r.elected), default=None)
        for no in others:
            assert votes[no] < r.threshold or (len(r.elected) == seats and votes[no] < low)
    # order of entry does not matter
    assert tally(cands, list(reversed(bs)), seats=seats, base=base) == r


@settings(max_examples=100, deadline=None)
@given(rounds(), st.data())
def test_a_ballot_entered_twice_is_refused(data, draw):
    cands, bs, seats, base = data
    if not bs:
        return
    dup = draw.draw(st.sampled_from(bs))
    with pytest.raises(ValueError, match="tính hai lần"):
        tally(cands, [*bs, (dup[0], set(), set())], seats=seats, base=base + 1)


@settings(max_examples=200, deadline=None)
@given(rounds())
def test_runoff_properties(data):
    cands, bs, seats, base = data
    r = tally_runoff(cands, bs, seats=seats)
    votes = {c.no: c.votes for c in r.candidates}
    assert len(r.elected) <= seats and r.threshold is None
    if r.runoff:
        assert len(r.elected) + len(r.runoff) > seats
    else:
        assert len(r.elected) == seats  # the highest win, no majority needed
    for no in r.elected:
        assert all(votes[no] > votes[x] for x in r.runoff)
    assert Counter(r.elected + r.runoff).most_common(1)[0][1] <= 1 if r.elected or r.runoff else True
