"""Meeting rules (MTG-1..8): worked cases and Hypothesis properties."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangbo.meetings import rules
from dangbo.meetings.rules import MeetingRuleSettings, Voter

P, A, E, X, W = "present", "absent", "excused", "exempt", "away"


def test_bodies_mtg1():
    assert rules.bodies_for("grassroots_committee") == ("grassroots_committee", "plenary")
    assert rules.bodies_for("cell") == ("cell", "cell_committee")
    assert rules.bodies_for("grassroots_cell") == ("cell", "cell_committee")
    assert rules.bodies_for("committee") == ()


def test_year_plan_twelve_monthly_and_four_thematic():
    plan = rules.year_plan(2026)
    assert sum(p.kind == "ordinary" for p in plan) == 12
    thematic = [p for p in plan if p.kind == "thematic"]
    assert [p.day.month for p in thematic] == [3, 6, 9, 12]
    assert plan[0].day == date(2026, 1, 3)  # MTG-3: the 3rd (a setting)
    assert [p.day.month for p in rules.year_plan(2026, "plenary")] == [6, 12]
    assert len(rules.year_plan(2026, "cell_committee")) == 12


def test_bulletin_date_mtg3():
    assert rules.bulletin_date(2026, 3) == date(2026, 2, 15)
    assert rules.bulletin_date(2026, 1) == date(2025, 12, 15)


def test_plan_gaps_missing_month_and_short_quarter():
    held = [(m, "ordinary") for m in range(1, 13) if m != 5] + [(3, "thematic"), (9, "thematic"), (12, "thematic")]
    gaps = rules.plan_gaps(held)
    assert gaps.missing_months == [5] and gaps.quarters_short == [2] and not gaps.ok
    # up to April: quarter 2 not judged yet
    assert rules.plan_gaps(held, upto_month=4).quarters_short == []
    # a thematic meeting counts as the month's meeting; an extraordinary one does not
    assert rules.plan_gaps([(1, "thematic"), (2, "extraordinary")], upto_month=2).missing_months == [2]
    assert rules.plan_gaps([(3, "ordinary")], upto_month=12, body="plenary").missing_months == [12]


def test_preparation_mtg4():
    assert rules.preparation_missing({"draft_content"}) == [
        "draft_resolution", "committee_met", "invited_members", "invited_upper"]
    assert "committee_met" not in rules.preparation_missing(set(), has_committee=False)
    assert rules.preparation_missing(set(rules.PREPARATION_STEPS), kind="thematic") == ["theme_author", "theme_approved"]


def test_quality_worked_case():
    # 20 members: 18 present, 1 excused, 1 exempt → 18/19 = 94.7 % > 85 %
    q = rules.meeting_quality([P] * 18 + [E, X], minutes=95)
    assert q.passed and round(q.attendance_pct, 1) == 94.7 and (q.present, q.expected) == (18, 19)
    # exactly 85 % is not more than 85 %
    q = rules.meeting_quality([P] * 17 + [E] * 3, minutes=120)
    assert q.attendance_pct == 85 and [c.code for c in q.failed] == ["attendance"]
    q = rules.meeting_quality([P] * 19 + [A], minutes=80, kind="ordinary")
    assert {c.code for c in q.failed} == {"no_unexcused", "duration"}
    # thematic needs 120 minutes
    assert [c.code for c in rules.meeting_quality([P] * 5, minutes=100, kind="thematic").failed] == ["duration"]
    q = rules.meeting_quality([P] * 5, minutes=100, excused_runs=[4, 1])
    assert [c.code for c in q.failed] == ["excused_runs"]
    assert rules.meeting_quality([P], minutes=None).criteria[3].passed is None


def test_speakers_judged_only_when_set():
    assert "speakers" not in {c.code for c in rules.meeting_quality([P], minutes=90).criteria}
    s = MeetingRuleSettings(min_speakers=3)
    assert [c.code for c in rules.meeting_quality([P], minutes=90, speakers=2, settings=s).failed] == ["speakers"]


def test_excused_streaks():
    assert rules.excused_streaks([E, E, X, E, P, E]) == 3
    assert rules.excused_streaks([E, P, E, E]) == 2
    assert rules.excused_streaks([]) == 0


def test_resolution_base_and_vote_mtg6():
    voters = [Voter(True, P)] * 7 + [Voter(True, W), Voter(True, X), Voter(False, P), Voter(True, A)]
    assert rules.resolution_base(voters) == 8  # 7 present + 1 absent official; away, exempt, probationary out
    v = rules.resolution_vote(agree=5, base=8, present_voters=7)
    assert v.needed == 5 and v.passed
    assert not rules.resolution_vote(agree=4, disagree=3, base=8).passed
    with pytest.raises(ValueError, match="lớn hơn"):
        rules.resolution_vote(agree=8, disagree=1, base=8)
    with pytest.raises(ValueError, match="có mặt"):
        rules.resolution_vote(agree=6, base=8, present_voters=5)
    quorum = MeetingRuleSettings(resolution_quorum_pct=90)
    assert not rules.resolution_vote(agree=7, base=8, present_voters=7, settings=quorum).passed


def test_minutes_missing_mtg7():
    assert rules.minutes_missing({"held_on": date(2026, 1, 3), "place": "Hội trường"}) == [
        "chair", "secretary", "minutes", "attendance", "resolution"]


def test_warnings_worked_cases_mtg8():
    absent = {"a": {"2026-01", "2026-03", "2026-07"}, "b": {"2026-01", "2026-02"}, "c": {"2025-11", "2026-01", "2026-02"}}
    unpaid = {"b": {"2026-05", "2026-06"}, "d": ["2026-02", "2026-04", "2026-04", "2026-09"]}
    found = rules.removal_warnings({"absence": absent, "fees": unpaid}, 2026)
    assert [(w.member, w.absent_months, w.unpaid_months, w.grounds) for w in found] == [
        ("a", ["2026-01", "2026-03", "2026-07"], [], ("absence",)),
        ("d", [], ["2026-02", "2026-04", "2026-09"], ("fees",)),
    ]
    # 2 absent + 2 other unpaid: neither by default; both when the grounds add up (a setting)
    add = MeetingRuleSettings(warning_grounds_add_up=True)
    found = rules.removal_warnings({"absence": absent, "fees": unpaid}, 2026, settings=add)
    assert ("b", ("absence", "fees")) in [(w.member, w.grounds) for w in found]
    # the count is a setting
    two = MeetingRuleSettings(warning_months=2)
    assert {w.member for w in rules.removal_warnings({"absence": absent}, 2026, settings=two)} == {"a", "b", "c"}


def test_absence_months_counts_a_month_once():
    rows = [("a", "2026-01", A), ("a", "2026-01", A), ("a", "2026-02", E), ("b", "2026-01", P)]
    assert rules.absence_months(rows) == {"a": {"2026-01"}}
    with pytest.raises(ValueError):
        rules.absence_months([("a", "2026-01", "late")])
    assert rules.unpaid_months([("a", "2026-01", "no"), ("a", "2026-02", "excused")]) == {"a": {"2026-01"}}


month = st.builds(lambda y, m: f"{y}-{m:02d}", st.sampled_from([2025, 2026]), st.integers(1, 12))
table = st.dictionaries(st.sampled_from("abcdef"), st.sets(month, max_size=8), max_size=6)


@settings(max_examples=30, deadline=None)
@given(table, table, st.integers(1, 6))
def test_warning_properties(absent, unpaid, n):
    s = MeetingRuleSettings(warning_months=n)
    found = rules.removal_warnings({"absence": absent, "fees": unpaid}, 2026, settings=s)
    members = {w.member for w in found}
    for m in set(absent) | set(unpaid):
        a = {x for x in absent.get(m, ()) if x.startswith("2026")}
        u = {x for x in unpaid.get(m, ()) if x.startswith("2026")}
        assert (m in members) == (len(a) >= n or len(u) >= n)  # each ground on its own
    for w in found:
        assert w.absent_months == sorted(w.absent_months) and all(x.startswith("2026") for x in w.absent_months)
        for g in w.grounds:
            assert len(w.months[g]) >= n
    # adding a month never removes a warning
    more = {m: v | {"2026-12"} for m, v in absent.items()}
    assert members <= {w.member for w in rules.removal_warnings({"absence": more, "fees": unpaid}, 2026, settings=s)}
    # the grounds adding up warns of at least as many
    add = MeetingRuleSettings(warning_months=n, warning_grounds_add_up=True)
    assert members <= {w.member for w in rules.removal_warnings({"absence": absent, "fees": unpaid}, 2026, settings=add)}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(rules.STATUSES), max_size=40), st.integers(0, 300))
def test_quality_properties(statuses, minutes):
    q = rules.meeting_quality(statuses, minutes=minutes)
    present, expected, pct = rules.attendance_rate(statuses)
    assert present <= expected and (pct is None or 0 <= pct <= 100)
    # turning an unexcused absence into presence never makes the meeting worse
    if A in statuses:
        better = [P if s == A else s for s in statuses]
        assert len(rules.meeting_quality(better, minutes=minutes).failed) <= len(q.failed)
    assert q.passed == (not q.failed)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.sampled_from(rules.STATUSES)), max_size=30), st.data())
def test_resolution_properties(people, data):
    base = rules.resolution_base(Voter(o, s) for o, s in people)
    assert base <= sum(1 for o, _s in people if o)
    if base:
        agree = data.draw(st.integers(0, base))
        v = rules.resolution_vote(agree=agree, base=base)
        assert v.passed == (2 * agree > base)
