"""Tests of members.rules (MEM-1..MEM-6): worked cases from the rules' text and Hypothesis properties."""

from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dangbo.members import rules
from dangbo.members.rules import (
    AWARD_DAYS,
    BADGE_TIERS,
    DEFAULTS,
    EVENT_KINDS,
    EVENT_LABELS,
    STATE_LABELS,
    STATES,
    TRANSITIONS,
    EventDetailsError,
    MemberRuleSettings,
    TransitionError,
    apply_event,
    badge_reached_date,
    counts_as_official,
    counts_toward_membership,
    discipline_delay_months,
    is_active,
    max_early_months,
    next_badge,
    party_age_years,
    probation_end,
    recognition_deadline,
    replay,
    temp_transfer_problem,
    temp_transfer_valid,
)

D = date

# ------------------------------------------------------------------------------------------------
# Labels and table shape
# ------------------------------------------------------------------------------------------------


def test_state_and_event_labels_are_the_vietnamese_terms():
    assert [STATE_LABELS[s] for s in STATES] == [
        "Dự bị", "Chính thức", "Miễn sinh hoạt", "Xóa tên", "Ra khỏi Đảng", "Khai trừ", "Từ trần",
        "Chuyển sinh hoạt đi",
    ]
    assert [EVENT_LABELS[k] for k in EVENT_KINDS] == [
        "Kết nạp", "Công nhận chính thức", "Chuyển sinh hoạt đến", "Chuyển sinh hoạt đi",
        "Chuyển sinh hoạt nội bộ", "Chuyển sinh hoạt tạm thời", "Trở về sau sinh hoạt tạm thời",
        "Miễn sinh hoạt", "Thôi miễn sinh hoạt", "Đình chỉ sinh hoạt đảng", "Hết đình chỉ sinh hoạt đảng",
        "Kỷ luật", "Trao Huy hiệu Đảng", "Xóa tên", "Ra khỏi Đảng", "Từ trần",
    ]
    assert set(STATES) == {"probationary", "official", "exempt", "removed", "left", "expelled", "deceased",
                           "transferred_out"}
    assert rules.COUNTED_STATES == ("probationary", "official", "exempt")


def _targets(value):
    return set(value.values()) if isinstance(value, dict) else {value}


def test_table_mentions_only_known_states_and_kinds():
    for (state, kind), value in TRANSITIONS.items():
        assert state is None or state in STATES
        assert kind in EVENT_KINDS
        assert _targets(value) <= set(STATES)


def test_plain_strings_work_as_keys():
    assert TRANSITIONS[(None, "admission")] == "probationary"
    assert ("official", "badge") in TRANSITIONS
    assert ("probationary", "badge") not in TRANSITIONS


# ------------------------------------------------------------------------------------------------
# Transitions: worked cases
# ------------------------------------------------------------------------------------------------


def test_a_whole_life():
    events = [
        ("admission", None), ("recognition", {}), ("temp_transfer_out", {}), ("temp_transfer_return", {}),
        ("discipline", {"level": "reprimand"}), ("transfer_internal", {}), ("exemption", {}),
        ("badge", {"tier": 30}), ("exemption_end", {}), ("temp_transfer_out", {}), ("death", {}),
    ]
    assert replay(events) == ("deceased", False)


def test_replay_accepts_bare_kinds_and_mappings_and_empty():
    assert replay([]) == (None, False)
    assert replay(["admission", "recognition"]) == ("official", False)
    assert replay([{"kind": "admission"}, {"kind": "temp_transfer_out", "details": {}}]) == ("probationary", True)


def test_recognising_twice_is_refused_with_the_vietnamese_message():
    with pytest.raises(TransitionError) as exc:
        replay([("admission", {}), ("recognition", {}), ("recognition", {})])
    assert str(exc.value) == ("Không thể ghi sự kiện «Công nhận chính thức» khi đảng viên đang ở trạng thái "
                              "«Chính thức».")
    assert exc.value.state == "official" and exc.value.kind == "recognition"
    assert isinstance(exc.value, ValueError)


def test_nothing_but_admission_or_transfer_in_from_the_start():
    with pytest.raises(TransitionError, match="«Chưa vào Đảng»"):
        apply_event(None, False, "recognition")
    assert apply_event(None, False, "admission") == ("probationary", False)
    assert apply_event(None, False, "transfer_in", {"status": "official"}) == ("official", False)
    assert apply_event(None, False, "transfer_in", {"status": "probationary"}) == ("probationary", False)
    assert apply_event("", False, "admission") == ("probationary", False)  # "" from a blank column


def test_transfer_in_must_say_official_or_probationary():
    with pytest.raises(EventDetailsError):
        apply_event(None, False, "transfer_in")
    with pytest.raises(EventDetailsError):
        apply_event(None, False, "transfer_in", {"status": "exempt"})


def test_transfer_out_and_back_in():
    state, away = replay([("transfer_in", {"status": "official"}), ("transfer_out", {})])
    assert (state, away) == ("transferred_out", False)
    assert apply_event(state, away, "transfer_in", {"status": "official"}) == ("official", False)


def test_readmission_after_removal_or_leaving_but_not_after_expulsion():
    # Điều lệ Đảng, Điều 4: "Thủ tục kết nạp đảng viên (kể cả kết nạp lại)"
    assert apply_event("removed", False, "admission") == ("probationary", False)
    assert apply_event("left", False, "admission") == ("probationary", False)
    with pytest.raises(TransitionError):
        apply_event("expelled", False, "admission")


def test_temporary_transfer_is_a_flag_not_a_state():
    assert apply_event("official", False, "temp_transfer_out") == ("official", True)
    assert apply_event("exempt", False, "temp_transfer_out") == ("exempt", True)
    with pytest.raises(TransitionError, match="đang sinh hoạt tạm thời"):
        apply_event("official", True, "temp_transfer_out")
    with pytest.raises(TransitionError, match="không đang sinh hoạt tạm thời"):
        apply_event("official", False, "temp_transfer_return")
    assert apply_event("probationary", True, "temp_transfer_return") == ("probationary", False)
    # events while away keep the flag, an end of membership clears it
    assert apply_event("probationary", True, "recognition") == ("official", True)
    assert apply_event("official", True, "death") == ("deceased", False)
    assert apply_event("official", True, "transfer_out") == ("transferred_out", False)
    with pytest.raises(TransitionError):
        apply_event("deceased", False, "temp_transfer_out")


def test_discipline_levels_by_state():
    # Điều lệ Đảng, Điều 35.2: probationary members: reprimand and warning only
    assert apply_event("probationary", False, "discipline", {"level": "warning"}) == ("probationary", False)
    for level in ("dismissal", "expulsion"):
        with pytest.raises(TransitionError) as exc:
            apply_event("probationary", False, "discipline", {"level": level})
        assert "«Kỷ luật (" in str(exc.value) and "«Dự bị»" in str(exc.value)
    assert apply_event("official", False, "discipline", {"level": "expulsion"}) == ("expelled", False)
    assert apply_event("exempt", True, "discipline", {"level": "expulsion"}) == ("expelled", False)
    assert apply_event("official", False, "discipline", {"level": "dismissal"}) == ("official", False)
    with pytest.raises(EventDetailsError):
        apply_event("official", False, "discipline", {"level": "fine"})
    with pytest.raises(EventDetailsError):
        apply_event("official", False, "discipline")


def test_the_state_is_checked_before_the_details():
    with pytest.raises(TransitionError):
        apply_event("removed", False, "discipline", {})
    with pytest.raises(TransitionError):
        apply_event("official", False, "transfer_in")


def test_badges_only_for_official_members():
    assert apply_event("official", False, "badge", {"tier": 30}) == ("official", False)
    assert apply_event("exempt", False, "badge", {"tier": "40"}) == ("exempt", False)
    with pytest.raises(TransitionError):
        apply_event("probationary", False, "badge", {"tier": 30})
    with pytest.raises(EventDetailsError):
        apply_event("official", False, "badge", {"tier": 35})


def test_exemption_only_for_official_members():
    assert apply_event("official", False, "exemption") == ("exempt", False)
    assert apply_event("exempt", False, "exemption_end") == ("official", False)
    with pytest.raises(TransitionError):
        apply_event("probationary", False, "exemption")
    with pytest.raises(TransitionError):
        apply_event("official", False, "exemption_end")


def test_unknown_kind_or_state_is_a_plain_value_error():
    with pytest.raises(ValueError, match="Loại sự kiện"):
        apply_event("official", False, "promotion")
    with pytest.raises(ValueError, match="Trạng thái"):
        apply_event("retired", False, "death")


def test_allowed_events_menu():
    assert rules.allowed_events(None) == ["admission", "transfer_in"]
    assert "temp_transfer_return" in rules.allowed_events("official", True)
    assert "temp_transfer_out" not in rules.allowed_events("official", True)
    assert rules.allowed_events("deceased") == []


def test_helpers():
    assert is_active("exempt") and is_active("probationary") and not is_active("removed") and not is_active(None)
    assert counts_as_official("exempt") and counts_as_official("official") and not counts_as_official("probationary")
    # MEM-5: counted at home, never at the temporary host
    assert counts_toward_membership(state="official", home_org_id=1, org_id=1, temp_host_org_id=2)
    assert not counts_toward_membership(state="official", home_org_id=1, org_id=2, temp_host_org_id=2)
    assert not counts_toward_membership(state="deceased", home_org_id=1, org_id=1)
    assert counts_toward_membership(state="exempt", home_org_id=1, org_id=1)


# ------------------------------------------------------------------------------------------------
# Transitions: properties
# ------------------------------------------------------------------------------------------------

DETAILS = {
    "discipline": st.sampled_from(rules.DISCIPLINE_LEVELS).map(lambda lv: {"level": lv}),
    "badge": st.sampled_from(BADGE_TIERS).map(lambda t: {"tier": t}),
    "transfer_in": st.sampled_from(["official", "probationary"]).map(lambda s: {"status": s}),
}
events_st = st.sampled_from(EVENT_KINDS).flatmap(
    lambda k: st.tuples(st.just(k), DETAILS.get(k, st.just({}))))
REACHABLE = {None} | set().union(*(_targets(v) for v in TRANSITIONS.values()))


def _oracle(state, away, kind, details):
    """What the rules say, written independently of apply_event: the new (state, away) or None."""
    value = TRANSITIONS.get((state, kind))
    if isinstance(value, dict):
        value = value.get(details[{"discipline": "level", "transfer_in": "status"}[kind]])
    if value is None:
        return None
    if kind == "temp_transfer_out":
        return None if away else (value, True)
    if kind == "temp_transfer_return":
        return (value, False) if away else None
    return value, (False if value in rules.FINAL_STATES else away)


@given(st.lists(events_st, max_size=30))
def test_replay_never_leaves_the_table(events):
    state, away = None, False
    for kind, details in events:
        try:
            state, away = apply_event(state, away, kind, details)
        except TransitionError:
            continue
        assert state in REACHABLE
        assert not (away and state in rules.FINAL_STATES)
        assert away is False or state in rules.ACTIVE_STATES


@given(st.sampled_from([None, *STATES]), st.booleans(), events_st)
def test_every_refused_transition_raises_transition_error(state, away, event):
    kind, details = event
    expected = _oracle(state, away, kind, details)
    if expected is None:
        with pytest.raises(TransitionError) as exc:
            apply_event(state, away, kind, details)
        assert EVENT_LABELS[kind] in str(exc.value)
        assert (STATE_LABELS.get(state) or rules.NO_STATE_LABEL) in str(exc.value)
    else:
        assert apply_event(state, away, kind, details) == expected


@given(st.lists(events_st, max_size=20))
def test_replay_is_the_fold_of_apply_event(events):
    state, away, ok = None, False, []
    for kind, details in events:
        try:
            state, away = apply_event(state, away, kind, details)
            ok.append((kind, details))
        except TransitionError:
            pass
    assert replay(ok) == (state, away)


# ------------------------------------------------------------------------------------------------
# Probation and recognition (MEM-1)
# ------------------------------------------------------------------------------------------------


def test_probation_is_twelve_months():
    assert probation_end(D(2024, 3, 2)) == D(2025, 3, 2)
    assert probation_end(D(2024, 12, 31)) == D(2025, 12, 31)


def test_probation_from_29_february_ends_on_28_february():
    # Bộ luật Dân sự 2015, Điều 148: no corresponding day -> last day of the month
    assert probation_end(D(2024, 2, 29)) == D(2025, 2, 28)
    assert probation_end(D(2023, 2, 28)) == D(2024, 2, 28)


def test_recognition_deadline_is_30_working_days_after_probation():
    # admitted Mon 3/3/2025, probation ends Tue 3/3/2026; six Wed–Tue weeks of 5 working days
    assert probation_end(D(2025, 3, 3)) == D(2026, 3, 3)
    assert recognition_deadline(D(2025, 3, 3)) == D(2026, 4, 14)
    assert recognition_deadline(D(2025, 3, 3), holidays=[D(2026, 4, 6)]) == D(2026, 4, 15)
    assert recognition_deadline(D(2025, 3, 3), settings=MemberRuleSettings(recognition_working_days=5)) == \
        D(2026, 3, 10)


dates = st.dates(min_value=D(1930, 1, 1), max_value=D(2100, 12, 31))


@given(dates)
def test_probation_end_is_365_or_366_days(d):
    assert (probation_end(d) - d).days in (365, 366)


@given(dates, st.sets(st.dates(min_value=D(1930, 1, 1), max_value=D(2102, 12, 31)), max_size=20))
def test_recognition_deadline_is_the_30th_working_day(d, holidays):
    end, deadline = probation_end(d), recognition_deadline(d, holidays)
    assert deadline.weekday() < 5 and deadline not in holidays
    days = [end + timedelta(n) for n in range(1, (deadline - end).days + 1)]
    assert sum(1 for x in days if x.weekday() < 5 and x not in holidays) == 30


# ------------------------------------------------------------------------------------------------
# Party age (MEM-1, MEM-3)
# ------------------------------------------------------------------------------------------------


def test_party_age_counts_from_admission():
    assert party_age_years(D(1995, 3, 2), D(2025, 3, 1)) == 29
    assert party_age_years(D(1995, 3, 2), D(2025, 3, 2)) == 30
    assert party_age_years(D(1995, 3, 2), D(1990, 1, 1)) == 0
    assert party_age_years(D(2024, 2, 29), D(2025, 2, 28)) == 1


def test_time_outside_the_party_is_not_counted():
    gap = [(D(2000, 1, 1), D(2001, 1, 1))]  # 366 days out
    assert party_age_years(D(1995, 3, 2), D(2025, 3, 2), gap) == 28  # 2/3/2025 - 366 days = 1/3/2024
    assert party_age_years(D(1995, 3, 2), D(2026, 3, 2), gap) == 29
    assert party_age_years(D(1995, 3, 2), D(2026, 3, 3), gap) == 30
    assert badge_reached_date(D(1995, 3, 2), 30, gaps=gap) == D(2026, 3, 3)
    assert next_badge(D(1995, 3, 2), on_date=D(2025, 1, 1), gaps=gap) == (30, D(2026, 5, 19))
    off = MemberRuleSettings(exclude_gaps_from_party_age=False)
    assert party_age_years(D(1995, 3, 2), D(2025, 3, 2), gap, settings=off) == 30


gaps_st = st.lists(st.tuples(dates, st.integers(0, 4000)).map(lambda t: (t[0], t[0] + timedelta(t[1]))),
                   max_size=3)


@given(dates, dates, dates, gaps_st)
def test_party_age_is_monotone_in_on_date(adm, a, b, gaps):
    a, b = sorted((a, b))
    assert party_age_years(adm, a, gaps) <= party_age_years(adm, b, gaps)


@given(st.dates(min_value=D(1930, 1, 1), max_value=D(2000, 12, 31)), st.sampled_from(BADGE_TIERS),
       st.lists(st.tuples(st.dates(min_value=D(1930, 1, 1), max_value=D(2000, 12, 31)), st.integers(0, 3000))
                .map(lambda t: (t[0], t[0] + timedelta(t[1]))), max_size=3))
def test_badge_reached_date_is_when_party_age_reaches_the_tier(adm, tier, gaps):
    reached = badge_reached_date(adm, tier, gaps=gaps)
    assert party_age_years(adm, reached, gaps) >= tier
    assert party_age_years(adm, reached - timedelta(1), gaps) < tier


# ------------------------------------------------------------------------------------------------
# Badges (MEM-3)
# ------------------------------------------------------------------------------------------------


def test_award_days_are_month_day_pairs():
    assert AWARD_DAYS == ((2, 3), (5, 19), (9, 2), (11, 7))
    assert BADGE_TIERS == (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)


def test_thirty_year_badge_worked_case():
    # admitted 2/3/1995: 30 years reached 2/3/2025; the next award day is 19/5/2025
    assert badge_reached_date(D(1995, 3, 2), 30) == D(2025, 3, 2)
    due = next_badge(D(1995, 3, 2), on_date=D(2025, 1, 1))
    assert due == (30, D(2025, 5, 19))
    tier, award = due
    assert (due.tier, due.award_date) == (tier, award)


def test_award_day_itself_and_year_wrap():
    assert next_badge(D(1995, 11, 7), on_date=D(2025, 1, 1)) == (30, D(2025, 11, 7))
    assert next_badge(D(1995, 11, 8), on_date=D(2025, 1, 1)) == (30, D(2026, 2, 3))


def test_next_tier_after_an_award():
    assert next_badge(D(1995, 3, 2), awarded_tiers=[30], on_date=D(2025, 6, 1)) == (40, D(2035, 5, 19))
    assert next_badge(D(1950, 3, 2), awarded_tiers=BADGE_TIERS, on_date=D(2026, 1, 1)) is None
    assert next_badge(D(1930, 3, 2), awarded_tiers=[90], on_date=D(2026, 1, 1)) is None


def test_overdue_badge_goes_to_the_next_occasion_and_the_highest_tier_reached():
    assert next_badge(D(1995, 3, 2), on_date=D(2025, 6, 1)) == (30, D(2025, 9, 2))
    # 76 years of party age and nothing recorded: the 75-year badge is the one due
    assert next_badge(D(1950, 1, 1), on_date=D(2026, 1, 1)) == (75, D(2026, 2, 3))
    # tiers below the highest awarded one are not offered again
    assert next_badge(D(1950, 1, 1), awarded_tiers=[60], on_date=D(2026, 1, 1)) == (75, D(2026, 2, 3))


def test_early_award_for_illness_and_delay_after_discipline():
    assert max_early_months(30) == 12 and max_early_months(65) == 12
    assert max_early_months(70) == 24 and max_early_months(90) == 24
    with pytest.raises(ValueError):
        max_early_months(35)
    assert next_badge(D(1995, 3, 2), on_date=D(2024, 1, 1), early_months=12) == (30, D(2024, 5, 19))
    with pytest.raises(ValueError, match="tối đa 12 tháng"):
        next_badge(D(1995, 3, 2), on_date=D(2024, 1, 1), early_months=13)
    assert next_badge(D(1956, 3, 2), awarded_tiers=[65], on_date=D(2024, 1, 1), early_months=24) == \
        (70, D(2024, 5, 19))
    assert discipline_delay_months("reprimand") == 6
    assert discipline_delay_months("warning") == 9
    assert discipline_delay_months("dismissal") == 12
    with pytest.raises(ValueError):
        discipline_delay_months("expulsion")
    # reprimand decided 1/1/2025: 6 months → 1/7/2025, later than the tier (2/3/2025) → 2/9/2025
    assert next_badge(D(1995, 3, 2), on_date=D(2025, 1, 1), disciplines=[(D(2025, 1, 1), "reprimand")]) == \
        (30, D(2025, 9, 2))


def test_settings_override_badge_numbers():
    s = MemberRuleSettings.from_mapping({"discipline_delay_months": {"reprimand": 3}, "unrelated": 1})
    assert discipline_delay_months("reprimand", settings=s) == 3
    assert DEFAULTS.discipline_delay_months["reprimand"] == 6
    assert rules.SETTING_INFO["discipline_delay_months"][2] == "med"


@given(st.dates(min_value=D(1930, 1, 1), max_value=D(2060, 12, 31)),
       st.sets(st.sampled_from(BADGE_TIERS), max_size=4),
       st.dates(min_value=D(1960, 1, 1), max_value=D(2150, 12, 31)),
       st.integers(0, 12))
@settings(max_examples=200)
def test_next_badge_is_on_an_award_day_after_the_reached_date(adm, awarded, on, early):
    due = next_badge(adm, awarded_tiers=awarded, on_date=on, early_months=early)
    if due is None:
        assert max(awarded, default=0) == 90 or set(BADGE_TIERS) <= awarded
        return
    tier, award = due
    assert tier in BADGE_TIERS and tier not in awarded and tier > max(awarded, default=0)
    assert (award.month, award.day) in AWARD_DAYS
    reached = badge_reached_date(adm, tier, early_months=early)
    assert award >= reached and award >= on
    assert (award - max(reached, on)).days < 200  # the first award day, not a later one


# ------------------------------------------------------------------------------------------------
# Transfers (MEM-5)
# ------------------------------------------------------------------------------------------------


def test_temporary_transfer_three_to_under_twelve_months():
    start = D(2025, 1, 1)
    assert temp_transfer_valid(start, D(2025, 4, 1))
    assert not temp_transfer_valid(start, D(2025, 3, 31))
    assert temp_transfer_valid(start, D(2025, 12, 31))
    assert not temp_transfer_valid(start, D(2026, 1, 1))
    assert temp_transfer_problem(start, D(2026, 1, 1)) == (
        "Sinh hoạt đảng tạm thời phải dưới 12 tháng (đi học tập trong nước: không quá 24 tháng).")
    assert temp_transfer_problem(start, D(2025, 2, 1)) == "Sinh hoạt đảng tạm thời phải từ 3 tháng trở lên."
    assert temp_transfer_problem(start, start) == "Ngày kết thúc sinh hoạt tạm thời phải sau ngày bắt đầu."


def test_temporary_transfer_for_study_up_to_24_months():
    start = D(2025, 1, 1)
    assert temp_transfer_valid(start, D(2027, 1, 1), study_in_country=True)
    assert not temp_transfer_valid(start, D(2027, 1, 2), study_in_country=True)
    assert not temp_transfer_valid(start, D(2025, 2, 1), study_in_country=True)
    assert "không quá 24 tháng" in temp_transfer_problem(start, D(2027, 1, 2), study_in_country=True)


def test_temporary_transfer_limits_follow_the_django_setting_names():
    s = MemberRuleSettings.from_mapping({"temp_transfer_min_months": 1, "temp_transfer_max_months": 6,
                                         "temp_transfer_study_max_months": 24})
    assert temp_transfer_valid(D(2025, 1, 1), D(2025, 2, 1), settings=s)
    assert not temp_transfer_valid(D(2025, 1, 1), D(2025, 7, 1), settings=s)


def test_permanent_transfer_deadlines_and_blocks():
    assert rules.permanent_transfer_deadline(D(2026, 3, 2)) == D(2026, 5, 25)  # 12 weeks of 5 days
    assert rules.transfer_letter_deadline(D(2026, 3, 2)) == D(2026, 4, 13)
    assert rules.transfer_block_reason() is None
    assert "kiểm tra" in rules.transfer_block_reason(under_inspection=True)
    assert "khiếu nại" in rules.transfer_block_reason(complaint_pending=True)


@given(dates, st.integers(1, 900), st.booleans())
def test_temp_transfer_valid_matches_the_month_bounds(start, length, study):
    assume(start.year < 2098)
    end = start + timedelta(length)
    hi = rules.add_months(start, 24 if study else 12)
    expected = rules.add_months(start, 3) <= end and (end <= hi if study else end < hi)
    assert temp_transfer_valid(start, end, study_in_country=study) == expected
    assert (temp_transfer_problem(start, end, study_in_country=study) is None) == expected


# ------------------------------------------------------------------------------------------------
# MEM-3 corrected: the delay after a discipline counts from the discipline decision
# ------------------------------------------------------------------------------------------------


def test_badge_delay_counts_from_the_discipline_decision_worked_case():
    # tier reached 1/3/2026, reprimand decided 1/1/2026 → 1/7/2026 → awarded 2/9/2026 (DOMAIN MEM-3)
    adm = D(1996, 3, 1)
    assert badge_reached_date(adm, 30) == D(2026, 3, 1)
    assert rules.discipline_hold([(D(2026, 1, 1), "reprimand")]) == D(2026, 7, 1)
    assert next_badge(adm, on_date=D(2026, 1, 2), disciplines=[(D(2026, 1, 1), "reprimand")]) == (30, D(2026, 9, 2))
    # without the discipline it would be the first occasion after the tier: 19/5/2026
    assert next_badge(adm, on_date=D(2026, 1, 2)) == (30, D(2026, 5, 19))


def test_an_old_discipline_does_not_push_a_later_tier():
    # reprimand in 2020: its 6 months ended long before the tier; the tier date alone decides
    adm = D(1996, 3, 1)
    assert next_badge(adm, on_date=D(2026, 1, 2), disciplines=[(D(2020, 1, 1), "reprimand")]) == (30, D(2026, 5, 19))


def test_warning_and_dismissal_delays_and_the_latest_holds():
    adm = D(1996, 3, 1)
    assert next_badge(adm, on_date=D(2026, 1, 2), disciplines=[(D(2026, 1, 1), "warning")]) == (30, D(2026, 11, 7))
    assert next_badge(adm, on_date=D(2026, 1, 2), disciplines=[(D(2026, 1, 1), "dismissal")]) == (30, D(2027, 2, 3))
    both = [(D(2025, 12, 1), "dismissal"), (D(2026, 1, 1), "reprimand")]
    assert rules.discipline_hold(both) == D(2026, 12, 1)
    assert rules.discipline_hold([(D(2026, 1, 1), "expulsion")]) is None  # ends membership, holds nothing
    assert rules.discipline_hold([]) is None


def test_a_badge_awarded_before_the_discipline_is_not_affected():
    # 30 years awarded on 19/5/2026, reprimand on 1/6/2026: the 30-year badge stays; the next tier
    # (40 years, 1/3/2036) is far beyond the 6 months
    adm = D(1996, 3, 1)
    assert next_badge(adm, awarded_tiers=[30], on_date=D(2026, 6, 2),
                      disciplines=[(D(2026, 6, 1), "reprimand")]) == (40, D(2036, 5, 19))


def test_discipline_delay_follows_the_setting():
    s = MemberRuleSettings.from_mapping({"discipline_delay_months": {"reprimand": 3, "warning": 9, "dismissal": 12}})
    adm = D(1996, 3, 1)
    assert next_badge(adm, on_date=D(2026, 1, 2), disciplines=[(D(2026, 1, 1), "reprimand")], settings=s) == \
        (30, D(2026, 5, 19))


disciplines_st = st.lists(st.tuples(st.dates(min_value=D(1960, 1, 1), max_value=D(2140, 12, 31)),
                                    st.sampled_from(("reprimand", "warning", "dismissal", "expulsion"))),
                          max_size=3)


@given(st.dates(min_value=D(1930, 1, 1), max_value=D(2060, 12, 31)),
       st.sets(st.sampled_from(BADGE_TIERS), max_size=4),
       st.dates(min_value=D(1960, 1, 1), max_value=D(2150, 12, 31)),
       st.integers(0, 12), disciplines_st)
@settings(max_examples=200)
def test_award_is_never_before_tier_or_discipline_end(adm, awarded, on, early, disciplines):
    due = next_badge(adm, awarded_tiers=awarded, on_date=on, early_months=early, disciplines=disciplines)
    if due is None:
        return
    tier, award = due
    assert (award.month, award.day) in AWARD_DAYS and award >= on
    assert award >= badge_reached_date(adm, tier, early_months=early)
    for when, level in disciplines:
        if level != "expulsion":
            assert award >= rules.add_months(when, discipline_delay_months(level))
    floor = max(badge_reached_date(adm, tier, early_months=early), rules.discipline_hold(disciplines) or on, on)
    assert (award - floor).days < 200  # the first award day after the floor, not a later one


@given(st.dates(min_value=D(1930, 1, 1), max_value=D(2060, 12, 31)),
       st.dates(min_value=D(1960, 1, 1), max_value=D(2100, 12, 31)), disciplines_st, disciplines_st)
@settings(max_examples=200)
def test_more_disciplines_never_bring_the_award_earlier(adm, on, some, more):
    a = next_badge(adm, on_date=on, disciplines=some)
    b = next_badge(adm, on_date=on, disciplines=some + more)
    if a is not None and b is not None and a.tier == b.tier:
        assert b.award_date >= a.award_date
