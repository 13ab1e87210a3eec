"""Open-vote rules (CON-4, CON-5): worked cases and Hypothesis properties."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangbo.congress import rules as congress_rules
from dangbo.votes import rules
from dangbo.votes.rules import VoteRuleSettings, needed, open_vote_allowed, vote_base, vote_result


def test_con4_subjects():
    for kind in ("presidium", "secretariat", "credentials_committee", "counting_committee", "agenda", "rules",
                 "number_to_elect", "election_list", "resolution"):
        assert open_vote_allowed(kind)
    for kind in ("executive_committee", "standing_committee", "secretary", "deputy_secretary",
                 "inspection_commission", "upper_delegates"):
        assert not open_vote_allowed(kind)
    with pytest.raises(ValueError):
        open_vote_allowed("lunch")
    with pytest.raises(ValueError, match="phiếu kín"):
        vote_result(votes_for=1, votes_against=0, votes_abstain=0, base=1, kind="secretary")


def test_worked_179_present_of_184():
    """The demo congress: 179 of 184 present; a resolution needs 90 (more than half of 179)."""
    assert vote_base(present=179, summoned=184) == 179
    assert vote_base(present=179, summoned=184, settings=VoteRuleSettings(vote_base="summoned")) == 184
    assert needed(179) == 90 and needed(184) == 93 and needed(178) == 90
    r = vote_result(votes_for=90, votes_against=60, votes_abstain=20, base=179, kind="resolution")
    assert r.passed and r.need == 90 and r.not_voting == 9 and r.pct_for == Decimal("50.28")
    r = vote_result(votes_for=89, votes_against=0, votes_abstain=0, base=179, kind="resolution")
    assert not r.passed and r.not_voting == 90  # not voting counts as not for
    # exactly half is not more than half
    assert not vote_result(votes_for=5, votes_against=5, votes_abstain=0, base=10).passed
    assert vote_result(votes_for=6, votes_against=0, votes_abstain=4, base=10).passed


def test_worked_nominee_con5():
    """A nominee not proposed by the committee: more than 30% of those present (CON-5)."""
    assert needed(100, "nominee") == 31 and needed(10, "nominee") == 4 and needed(179, "nominee") == 54
    assert vote_result(votes_for=31, votes_against=69, votes_abstain=0, base=100, kind="nominee").passed
    assert not vote_result(votes_for=30, votes_against=70, votes_abstain=0, base=100, kind="nominee").passed


def test_refusals_and_settings():
    with pytest.raises(ValueError, match="lớn hơn số đại biểu"):
        vote_result(votes_for=5, votes_against=5, votes_abstain=1, base=10)
    with pytest.raises(ValueError):
        vote_result(votes_for=-1, votes_against=0, votes_abstain=0, base=10)
    with pytest.raises(ValueError):
        vote_base(present=11, summoned=10)
    s = VoteRuleSettings.from_mapping({"vote_base": "summoned", "vote_majority_pct": 66, "other": 1})
    assert (s.vote_base, s.vote_majority_pct) == ("summoned", 66) and needed(9, settings=s) == 6
    assert VoteRuleSettings.from_mapping(None) == rules.DEFAULTS
    with pytest.raises(ValueError):
        VoteRuleSettings.from_mapping({"vote_base": "valid_ballots"})
    assert set(rules.SETTING_INFO) == {"vote_base", "vote_majority_pct"}


counts = st.tuples(st.integers(0, 400), st.integers(0, 400), st.integers(0, 400), st.integers(0, 400))


@given(counts, st.sampled_from(sorted(rules.OPEN_KINDS)))
def test_result_properties(c, kind):
    f, a, ab, extra = c
    base = f + a + ab + extra
    r = vote_result(votes_for=f, votes_against=a, votes_abstain=ab, base=base, kind=kind)
    assert r.votes_for + r.votes_against + r.votes_abstain + r.not_voting == base
    pct = congress_rules.DEFAULTS.nominee_min_pct if kind == "nominee" else 50
    assert r.passed == (100 * f > pct * base)  # exactly "more than pct% of the base", in integers
    if kind != "nominee":
        assert not (r.passed and 2 * f <= base)
        # two opposite motions cannot both pass on the same base
        assert not (r.passed and vote_result(votes_for=a, votes_against=f, votes_abstain=ab, base=base).passed)
    # more votes for never turns a pass into a fail (monotone); a bigger base never helps
    if extra:
        assert r.passed <= vote_result(votes_for=f + 1, votes_against=a, votes_abstain=ab, base=base,
                                       kind=kind).passed
    assert vote_result(votes_for=f, votes_against=a, votes_abstain=ab, base=base + 1, kind=kind).passed <= r.passed


@given(st.integers(0, 10_000), st.integers(0, 99))
def test_more_than_is_the_least_whole_number_above(n, pct):
    v = rules.more_than(pct, n)
    assert 100 * v > pct * n and not 100 * (v - 1) > pct * n


@given(st.integers(0, 5000), st.integers(0, 5000))
def test_base_never_exceeds_summoned(a, b):
    present, summoned = min(a, b), max(a, b)
    for s in (rules.DEFAULTS, VoteRuleSettings(vote_base="summoned")):
        assert present <= vote_base(present=present, summoned=summoned, settings=s) <= summoned
