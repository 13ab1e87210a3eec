"""CON-4 as corrected: a congress resolution is counted on the congress's *members* (Điều lệ Đảng,
Điều 9.5; 24-QĐ/TW points 9.3.1 / 9.3.2), not on those present; procedural show-of-hands votes keep
the present base (setting `vote_base`, low)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangbo.votes import rules
from dangbo.votes.rules import VoteRuleSettings, base_method, needed, vote_base, vote_result


def test_worked_example_184_summoned_130_present_70_for_fails():
    """DOMAIN CON-4: 184 summoned, 0 excluded, 130 present, 70 in favour → fails (needs 93)."""
    base = vote_base(kind="resolution", present=130, summoned=184, excluded=0)
    assert base == 184 and needed(base, "resolution") == 93
    r = vote_result(votes_for=70, votes_against=40, votes_abstain=0, base=base, kind="resolution", present=130)
    assert not r.passed and r.need == 93
    assert vote_result(votes_for=93, votes_against=0, votes_abstain=0, base=base, kind="resolution",
                       present=130).passed


def test_exclusions_reduce_the_member_base():
    assert vote_base(kind="resolution", present=170, summoned=184, excluded=4) == 180
    assert needed(180, "resolution") == 91


def test_setting_does_not_move_a_resolution_base():
    """`vote_base` (low) is for procedural votes; the Statute's member base is not a setting."""
    summoned = VoteRuleSettings(vote_base="summoned")
    present = VoteRuleSettings(vote_base="present")
    for s in (summoned, present):
        assert vote_base(kind="resolution", present=130, summoned=184, settings=s) == 184
        assert base_method("resolution", s) == rules.BASE_MEMBERS
    assert vote_base(kind="agenda", present=130, summoned=184, settings=present) == 130
    assert vote_base(kind="agenda", present=130, summoned=184, settings=summoned) == 184
    assert vote_base(kind="procedural", present=130, summoned=184) == 130
    # a nominee is admitted by more than 30% of those *present* (CON-5), whatever the setting
    assert vote_base(kind="nominee", present=130, summoned=184, settings=summoned) == 130
    # the resolution's majority is the Statute's (more than half), not the procedural percentage
    assert needed(184, "resolution", settings=VoteRuleSettings(vote_majority_pct=66)) == 93


def test_refusals():
    with pytest.raises(ValueError, match="loại trừ"):
        vote_base(kind="resolution", present=0, summoned=10, excluded=11)
    with pytest.raises(ValueError, match="có mặt"):  # the excluded are absent: cannot also be present
        vote_base(kind="resolution", present=9, summoned=10, excluded=2)
    with pytest.raises(ValueError, match="có mặt"):  # more votes than delegates present
        vote_result(votes_for=100, votes_against=31, votes_abstain=0, base=184, kind="resolution", present=130)


@given(st.integers(0, 500), st.integers(0, 500), st.integers(0, 500), st.integers(0, 500))
def test_resolution_needs_more_than_half_of_members_whatever_the_attendance(a, b, c, f):
    summoned = max(a, b, c)
    excluded = min(a, b)
    members = summoned - excluded
    present = min(c, members)
    base = vote_base(kind="resolution", present=present, summoned=summoned, excluded=excluded)
    assert base == members
    votes = min(f, present)
    r = vote_result(votes_for=votes, votes_against=present - votes, votes_abstain=0, base=base,
                    kind="resolution", present=present)
    assert r.passed == (2 * votes > members)  # ⌊members/2⌋ + 1, never a share of those present
    if present * 2 <= members:  # when half the members or fewer came, nothing can pass
        assert not r.passed
