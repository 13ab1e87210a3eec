"""Tests of appraisal.rules (APR-1..APR-7): worked cases from 366-QĐ/TW and Hypothesis properties."""

from dataclasses import FrozenInstanceError
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangbo.appraisal import rules
from dangbo.appraisal.rules import (
    COMPLETED,
    DEFAULTS,
    DISCIPLINES,
    EXCELLENT,
    GOOD,
    GRADE_RANK,
    NOT_COMPLETED,
    NOT_REVIEWED,
    RULE_IDS,
    SETTING_INFO,
    AppraisalRuleSettings,
    Grading,
    apply_quota,
    band,
    deciding_level,
    demote_over_quota,
    grade_member,
    leave_task_shares,
    max_excellent,
    not_reviewed_reason,
    org_grade,
    override,
    quota,
    regulation_for_year,
    temporary_member_note,
)

D = date

#: A member meeting every condition of "excellent" (APR-2).
PERFECT = dict(role="member", tasks_done_pct=100, tasks_late_pct=0, tasks_beyond_pct=40, shortcomings_fixed=True,
               discipline="none", degradation=False, admitted=D(2010, 5, 19), exempt=False, suspended=False)


def g(**kw):
    return grade_member(**{**PERFECT, "score": 92, "year": 2025, **kw})


# ------------------------------------------------------------------------------------------------
# Settings
# ------------------------------------------------------------------------------------------------


def test_settings_are_documented_and_frozen():
    names = {f for f in AppraisalRuleSettings.__dataclass_fields__}
    assert names == set(SETTING_INFO)
    for rule_id, regulation, confidence in SETTING_INFO.values():
        assert rule_id in RULE_IDS and regulation and confidence in ("high", "med", "low")
    assert (DEFAULTS.quota_pct, DEFAULTS.quota_exception_pct, DEFAULTS.quota_rounding) == (20, 25, "floor")
    assert (DEFAULTS.excellent_min_score, DEFAULTS.good_min_score, DEFAULTS.completed_min_score) == (90, 70, 50)
    assert DEFAULTS.admission_min_months == 6 and DEFAULTS.new_regime_from_year == 2025
    with pytest.raises(FrozenInstanceError):
        DEFAULTS.quota_pct = 30
    with pytest.raises(ValueError, match="làm tròn"):
        AppraisalRuleSettings(quota_rounding="banker")
    s = AppraisalRuleSettings.from_mapping({"quota_rounding": "ceil", "probation_months": 12})
    assert s.quota_rounding == "ceil" and s.quota_pct == 20


def test_regulation_by_year_apr7():
    assert regulation_for_year(2024) == "124-QĐ/TW" and regulation_for_year(2023) == "124-QĐ/TW"
    assert regulation_for_year(2025) == "366-QĐ/TW" and regulation_for_year(2026) == "366-QĐ/TW"


# ------------------------------------------------------------------------------------------------
# APR-1
# ------------------------------------------------------------------------------------------------


def test_not_reviewed_apr1():
    end = D(2025, 12, 31)
    assert not_reviewed_reason(exempt=True, review_date=end).startswith("Đảng viên được miễn")
    assert "đình chỉ" in not_reviewed_reason(suspended=True, review_date=end)
    assert "chưa đủ 6 tháng" in not_reviewed_reason(admitted=D(2025, 8, 31), review_date=end)  # 4 months
    assert not_reviewed_reason(admitted=D(2025, 7, 1), review_date=end) is not None  # 6 months on 1/1
    assert not_reviewed_reason(admitted=D(2025, 6, 30), review_date=end) is None  # complete on 30/12
    assert not_reviewed_reason(admitted=D(2025, 6, 30), review_date=D(2025, 12, 29)) is not None
    assert not_reviewed_reason(admitted=None, review_date=end) is None
    assert not_reviewed_reason(admitted=D(2026, 1, 5), review_date=end) is not None  # admitted afterwards


def test_admitted_four_months_before_is_not_reviewed():
    r = g(admitted=D(2025, 8, 31))
    assert (r.grade, r.reasons, r.regulation) == (NOT_REVIEWED, ("APR-1",), "366-QĐ/TW")
    grade, reasons = r  # unpacks as the pair
    assert (grade, reasons) == ("not_reviewed", ["APR-1"])
    assert g(exempt=True).grade == NOT_REVIEWED and g(suspended=True, discipline="warning").grade == NOT_REVIEWED
    # the review date moves the 6 months
    assert g(admitted=D(2025, 8, 31), review_date=D(2026, 3, 1)).grade == EXCELLENT
    # a not-reviewed member needs no score
    assert g(exempt=True, score=None).grade == NOT_REVIEWED


def test_apr1_does_not_apply_to_a_collective():
    assert g(role="collective", exempt=True, admitted=D(2025, 12, 1)).grade == EXCELLENT


# ------------------------------------------------------------------------------------------------
# APR-2 and APR-3: worked cases
# ------------------------------------------------------------------------------------------------


def test_band_apr2():
    assert [band(s) for s in (100, 90, 89.99, 70, 69.5, 50, 49.9, 0)] == [
        EXCELLENT, EXCELLENT, GOOD, GOOD, COMPLETED, COMPLETED, NOT_COMPLETED, NOT_COMPLETED]
    for bad in (-1, 100.5, float("nan")):
        with pytest.raises(ValueError):
            band(bad)


def test_worked_cases_apr2():
    assert tuple(g()) == (EXCELLENT, ["APR-2"])  # 92 with every condition
    # good needs 100% done *on time* (366 Điều 11.2, DOMAIN APR-2): 92 with 10% late → completed
    assert tuple(g(tasks_late_pct=10)) == (COMPLETED, ["APR-2"])
    assert tuple(g(score=85, tasks_late_pct=10, tasks_beyond_pct=0)) == (COMPLETED, ["APR-2"])  # the case
    assert g(score=85, tasks_late_pct=0, tasks_beyond_pct=0).grade == GOOD
    assert g(tasks_beyond_pct=29).grade == GOOD  # under 30% beyond
    assert g(shortcomings_fixed=False).grade == GOOD  # last year's shortcomings not fixed
    assert g(score=89.5).grade == GOOD
    assert g(score=75).grade == GOOD
    assert g(score=65).grade == COMPLETED
    assert g(score=65, tasks_late_pct=20).grade == COMPLETED
    assert g(score=65, tasks_late_pct=21).grade == NOT_COMPLETED  # completed allows ≤ 20% late
    assert tuple(g(score=40)) == (NOT_COMPLETED, ["APR-2"])
    # not all tasks done: neither good nor (by default) completed
    assert tuple(g(score=95, tasks_done_pct=90)) == (NOT_COMPLETED, ["APR-2"])
    lenient = AppraisalRuleSettings(completed_requires_all_done=False)
    assert g(score=95, tasks_done_pct=90, settings=lenient).grade == COMPLETED
    # the former reading (good allows ≤ 20% late) stays available as the setting
    assert g(tasks_late_pct=10, settings=AppraisalRuleSettings(good_max_late_pct=20)).grade == GOOD
    assert g(score=None, year=2024).grade == EXCELLENT
    with pytest.raises(ValueError, match="Thiếu điểm"):
        g(score=None)


def test_leader_unit_and_collective_conditions():
    assert g(role="leader", unit_plan_pct=100).grade == EXCELLENT
    assert g(role="leader", unit_plan_pct=95).grade == COMPLETED  # unit not 100% done: not good
    assert tuple(g(role="leader", unit_plan_pct=69)) == (NOT_COMPLETED, ["APR-3"])
    assert tuple(g(role="leader", low_confidence_pct=51)) == (NOT_COMPLETED, ["APR-3"])
    assert g(role="leader", low_confidence_pct=50).grade == EXCELLENT
    assert g(role="member", low_confidence_pct=80, unit_plan_pct=10).grade == EXCELLENT  # leaders only
    assert tuple(g(role="collective", unit_plan_pct=60)) == (NOT_COMPLETED, ["APR-3"])
    # a collective with a disciplined member of its leadership
    r = g(role="collective", discipline="reprimand")
    assert (r.grade, r.reasons) == (NOT_COMPLETED, ("APR-3",)) and "tập thể lãnh đạo" in r.note


def test_caps_apr3():
    r = g(score=75, discipline="reprimand")
    assert (r.grade, r.reasons) == (NOT_COMPLETED, ("APR-3",)) and "khiển trách" in r.note
    assert tuple(g(score=100, degradation=True)) == (NOT_COMPLETED, ["APR-3"])
    assert tuple(g(score=100, tasks_done_pct=49)) == (NOT_COMPLETED, ["APR-3"])  # 51% not done
    assert tuple(g(score=40, tasks_done_pct=50)) == (NOT_COMPLETED, ["APR-2"])  # exactly 50% not done
    for d in ("warning", "dismissal", "expulsion"):
        assert g(discipline=d).grade == NOT_COMPLETED


def test_old_regime_apr7():
    r = g(year=2024, score=10)  # no 100-point scale: the score is ignored
    assert (r.grade, r.reasons, r.regulation) == (EXCELLENT, ("APR-7",), "124-QĐ/TW")
    # years under 124-QĐ/TW keep the reading they were graded with (setting old_regime_good_max_late_pct)
    assert tuple(g(year=2024, tasks_late_pct=10)) == (GOOD, ["APR-7"])
    assert g(year=2024, tasks_late_pct=10, settings=AppraisalRuleSettings(old_regime_good_max_late_pct=0)).grade \
        == COMPLETED
    assert tuple(g(year=2024, discipline="reprimand")) == (NOT_COMPLETED, ["APR-3", "APR-7"])
    assert tuple(g(year=2024, admitted=D(2024, 9, 1))) == (NOT_REVIEWED, ["APR-1", "APR-7"])


def test_invalid_inputs():
    with pytest.raises(ValueError, match="Vai trò"):
        g(role="boss")
    with pytest.raises(ValueError, match="kỷ luật"):
        g(discipline="fine")
    with pytest.raises(ValueError, match="tasks_late_pct"):
        g(tasks_late_pct=101)


def test_override_needs_a_written_reason_apr3():
    r = g(score=75, discipline="reprimand")
    for blank in ("", "   ", None):
        with pytest.raises(ValueError, match="lý do"):
            override(r, COMPLETED, blank)
    o = override(r, COMPLETED, "Tự phát hiện và khắc phục hậu quả.")
    assert (o.grade, o.reasons, o.note, o.regulation) == (COMPLETED, ("APR-3",), "Tự phát hiện và khắc phục hậu quả.",
                                                          "366-QĐ/TW")
    assert override(g(), GOOD, "bất khả kháng").reasons == ("APR-2", "APR-3")
    assert override("good", "completed", "x", regulation="124-QĐ/TW").regulation == "124-QĐ/TW"
    with pytest.raises(ValueError):
        override(g(exempt=True), GOOD, "lý do")
    with pytest.raises(ValueError):
        override(r, "superb", "lý do")


# ------------------------------------------------------------------------------------------------
# APR-4: quota
# ------------------------------------------------------------------------------------------------


def test_quota_worked_cases_apr4():
    grades = [GOOD] * 10 + [EXCELLENT] * 3 + [COMPLETED, NOT_REVIEWED]
    assert quota(grades) == (10, 3, 2, True)
    q = quota(grades, exception=True)  # 25% of 10 = 2.5 → 2 (floor)
    assert (q.max_excellent, q.exceeded) == (2, True)
    assert quota([GOOD] * 10 + [EXCELLENT] * 2) == (10, 2, 2, False)
    assert quota([EXCELLENT]) == (0, 1, 0, True)  # no good grade: no excellent allowed
    assert quota([g(), g(tasks_beyond_pct=5)] + [GOOD] * 4) == (5, 1, 1, False)  # Gradings too


def test_quota_rounding_settings():
    assert [max_excellent(n) for n in (0, 4, 5, 9, 10, 14, 15)] == [0, 0, 1, 1, 2, 2, 3]
    for mode, expected in (("floor", 2), ("round", 3), ("ceil", 3)):
        s = AppraisalRuleSettings(quota_rounding=mode)
        assert max_excellent(10, exception=True, settings=s) == expected  # 2.5
    rnd = AppraisalRuleSettings(quota_rounding="round")
    assert [max_excellent(n, settings=rnd) for n in (7, 8)] == [1, 2]  # 1.4 → 1, 1.6 → 2
    ceil = AppraisalRuleSettings(quota_rounding="ceil")
    assert [max_excellent(n, settings=ceil) for n in (1, 5, 6)] == [1, 1, 2]


def test_apply_quota_reports_per_group_and_does_not_downgrade():
    results = {"a": EXCELLENT, "b": GOOD, "c": EXCELLENT, "x": GOOD}
    groups = {"a": "cv", "b": "cv", "c": "cv", "x": "lanh-dao"}
    report = apply_quota(results, groups)
    assert [tuple(q) for q in report] == [("cv", 1, 2, 0, True), ("lanh-dao", 1, 0, 0, False)]
    assert results["a"] == EXCELLENT  # untouched
    big = {str(i): GOOD for i in range(10)} | {"e1": EXCELLENT, "e2": EXCELLENT, "e3": EXCELLENT}
    assert apply_quota(big, dict.fromkeys(big, "g"), exceptions={"g"})[0].max_excellent == 2


def test_demote_over_quota_lowest_scores_first_apr4():
    results = {str(i): GOOD for i in range(10)} | {"e1": EXCELLENT, "e2": EXCELLENT, "e3": EXCELLENT, "e4": EXCELLENT}
    scores = {"e1": 95, "e2": 91, "e3": 99, "e4": 91}
    out = demote_over_quota(results, dict.fromkeys(results, "cv"), scores)
    # 10 good, 4 excellent, max 2: demote e4 (91, greater id) → 11 good, still max 2 → demote e2
    assert {k for k, v in out.items() if v.grade == EXCELLENT} == {"e1", "e3"}
    assert out["e4"].reasons == ("APR-4",) and out["e2"].grade == GOOD
    assert out["e1"].reasons == () and results["e4"] == EXCELLENT
    # demoting raises the number of good grades, so fewer demotions may suffice
    five = {str(i): GOOD for i in range(4)} | {f"e{i}": EXCELLENT for i in range(2)}
    out = demote_over_quota(five, dict.fromkeys(five, "g"), {"e0": 90, "e1": 99})
    assert [k for k, v in out.items() if v.grade == EXCELLENT] == ["e1"]  # 5 good → 1 allowed


# ------------------------------------------------------------------------------------------------
# APR-5, APR-6
# ------------------------------------------------------------------------------------------------


def test_deciding_level_apr5():
    assert deciding_level("cell", "grassroots_committee") == rules.DECIDER_GRASSROOTS_COMMITTEE
    assert deciding_level("cell", "sub_committee") == rules.DECIDER_GRASSROOTS_COMMITTEE
    assert deciding_level("grassroots_cell", "committee") == rules.DECIDER_UPPER_STANDING_COMMITTEE
    assert deciding_level("grassroots_committee", "committee") == rules.DECIDER_UPPER_STANDING_COMMITTEE
    with pytest.raises(ValueError):
        deciding_level("club", None)
    with pytest.raises(ValueError):
        deciding_level("cell", "committee")


def test_org_grade_apr5():
    r = org_grade([EXCELLENT, GOOD, NOT_REVIEWED], 95, year=2025, tasks_beyond_pct=35)
    assert (r.grade, r.reasons) == (EXCELLENT, ("APR-2",))
    r = org_grade([GOOD, NOT_COMPLETED], 95, year=2025, tasks_beyond_pct=35)
    assert (r.grade, r.reasons) == (GOOD, ("APR-2", "APR-5")) and "1 đảng viên" in r.note
    off = AppraisalRuleSettings(org_excellent_needs_no_failing_member=False)
    assert org_grade([NOT_COMPLETED], 95, year=2025, tasks_beyond_pct=35, settings=off).grade == EXCELLENT
    assert org_grade([GOOD], 95, year=2025, tasks_beyond_pct=35, discipline="warning").grade == NOT_COMPLETED
    assert org_grade([GOOD], None, year=2024, tasks_beyond_pct=35).reasons == ("APR-7",)


def test_temporary_and_leave_apr6():
    note = temporary_member_note(host_org_name="Chi bộ A1", host_comments=" Hoàn thành tốt. ")
    assert "Chi bộ A1" in note and note.endswith("Hoàn thành tốt.")
    with pytest.raises(ValueError, match="nhận xét"):
        temporary_member_note(host_org_name="Chi bộ A1", host_comments="")
    assert rules.grading_org(permanent_org="B", temporary_host="A1") == "B"
    # 6 months of sick leave: 12 tasks assigned → 6 expected; 6 done is 100%
    s = leave_task_shares(assigned=12, done=6, beyond=2, months_on_leave=6)
    assert (s.base, s.done_pct, s.late_pct, s.beyond_pct) == (6, 100, 0, 33.33)
    assert leave_task_shares(assigned=12, done=6, months_on_leave=2).done_pct == 50  # short leave: full base
    assert leave_task_shares(assigned=12, done=11, months_on_leave=1, maternity=True).done_pct == 100
    with pytest.raises(ValueError):
        leave_task_shares(assigned=12, done=0, months_on_leave=12)


# ------------------------------------------------------------------------------------------------
# Hypothesis properties
# ------------------------------------------------------------------------------------------------

pct = st.floats(min_value=0, max_value=100, allow_nan=False)
inputs = st.fixed_dictionaries({
    "role": st.sampled_from(rules.ROLES),
    "score": pct,
    "tasks_done_pct": st.one_of(pct, st.just(100.0)),
    "tasks_late_pct": st.one_of(pct, st.just(0.0)),
    "tasks_beyond_pct": pct,
    "shortcomings_fixed": st.booleans(),
    "discipline": st.sampled_from(DISCIPLINES),
    "degradation": st.booleans(),
    "admitted": st.one_of(st.none(), st.dates(D(1960, 1, 1), D(2026, 12, 31))),
    "exempt": st.booleans(),
    "suspended": st.booleans(),
    "year": st.integers(2020, 2027),
    "unit_plan_pct": st.one_of(st.none(), pct),
    "low_confidence_pct": st.one_of(st.none(), pct),
})


@given(inputs)
@settings(max_examples=300)
def test_property_reasons_are_domain_ids(kw):
    r = grade_member(**kw)
    assert r.grade in rules.GRADES and r.reasons and set(r.reasons) <= RULE_IDS
    assert r.regulation == regulation_for_year(kw["year"])
    assert ("APR-7" in r.reasons) == (kw["year"] <= 2024)


@given(inputs.filter(lambda kw: kw["discipline"] != "none"))
@settings(max_examples=200)
def test_property_no_grade_above_not_completed_with_discipline(kw):
    assert grade_member(**kw).grade in (NOT_COMPLETED, NOT_REVIEWED)


@given(inputs, pct, pct)
@settings(max_examples=300)
def test_property_grade_monotone_in_score(kw, s1, s2):
    lo, hi = sorted((s1, s2))
    a, b = grade_member(**{**kw, "score": lo}).grade, grade_member(**{**kw, "score": hi}).grade
    if NOT_REVIEWED in (a, b):
        assert a == b == NOT_REVIEWED
    else:
        assert GRADE_RANK[a] <= GRADE_RANK[b]


grade_lists = st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(rules.GRADES),
                                 st.one_of(st.none(), pct)), max_size=40)


@given(grade_lists, st.sampled_from(rules.ROUNDINGS), st.booleans())
@settings(max_examples=300)
def test_property_demote_keeps_excellent_within_quota(rows, rounding, exception):
    s = AppraisalRuleSettings(quota_rounding=rounding)
    results = {i: Grading(grade, ("APR-2",), "366-QĐ/TW") for i, (_, grade, _) in enumerate(rows)}
    groups = {i: grp for i, (grp, _, _) in enumerate(rows)}
    scores = {i: score for i, (_, _, score) in enumerate(rows)}
    exceptions = {"a"} if exception else set()
    out = demote_over_quota(results, groups, scores, exceptions=exceptions, settings=s)
    for q in apply_quota(out, groups, exceptions=exceptions, settings=s):
        assert q.excellent <= q.max_excellent and not q.exceeded
    before = apply_quota(results, groups, exceptions=exceptions, settings=s)
    for k, v in out.items():
        if v.grade != results[k].grade:  # only excellents of exceeded groups, only to good, with APR-4
            assert (results[k].grade, v.grade, v.reasons[-1]) == (EXCELLENT, GOOD, "APR-4")
            assert next(q for q in before if q.peer_group == groups[k]).exceeded
    # the demoted never outscore the kept (ties aside)
    for grp in {"a", "b", "c"}:
        kept = [scores[k] for k in out if groups[k] == grp and out[k].grade == EXCELLENT]
        dropped = [scores[k] for k in out if groups[k] == grp and out[k].reasons[-1:] == ("APR-4",)]
        if kept and dropped:
            key = [(-1 if x is None else x) for x in kept], [(-1 if x is None else x) for x in dropped]
            assert min(key[0]) >= max(key[1])


@given(st.integers(0, 500), st.sampled_from(rules.ROUNDINGS), st.booleans())
def test_property_max_excellent_is_the_rounded_share(good, rounding, exception):
    s = AppraisalRuleSettings(quota_rounding=rounding)
    m = max_excellent(good, exception=exception, settings=s)
    share = good * (25 if exception else 20) / 100
    assert abs(m - share) < 1 and (m <= share if rounding == "floor" else True)
    assert (m >= share) if rounding == "ceil" else True
