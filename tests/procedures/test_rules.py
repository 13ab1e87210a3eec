"""procedures.rules: the member-dates row and the badge of the `member dates` contract (MEM-1, MEM-3)."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from dangbo.members import rules as mr
from dangbo.procedures import rules

DAYS = st.dates(min_value=date(1945, 1, 1), max_value=date(2040, 12, 31))


def test_domain_worked_case():
    b = rules.next_badge(date(1996, 3, 1), date(2026, 1, 1), discipline="reprimand", discipline_date=date(2026, 1, 1))
    assert b == rules.Badge(30, date(2026, 3, 1), date(2026, 9, 2))


def test_member_dates_with_holidays():
    d = rules.member_dates(decision_date=date(2024, 12, 20), ceremony_date=date(2025, 1, 2), today=date(2026, 1, 15),
                           off={date(2026, 1, 5)})
    assert d.probation_end == date(2026, 1, 2)
    assert d.recognition_deadline == date(2026, 2, 16)  # one more day than without 5/1


@settings(max_examples=100, deadline=None)
@given(DAYS, DAYS, st.sampled_from(rules.DISCIPLINES), DAYS)
def test_badge_properties(decision, today, discipline, when):
    b = rules.next_badge(decision, today, discipline=discipline, discipline_date=when)
    if b is None:
        assert mr.next_award_day(mr.add_years(decision, 90)) < today
        return
    assert b.award_date >= today and b.award_date >= b.reached
    assert (b.award_date.month, b.award_date.day) in mr.AWARD_DAYS
    assert b.reached == mr.add_years(decision, b.years)
    if discipline != "none":
        assert b.award_date >= mr.add_months(when, mr.DEFAULTS.discipline_delay_months[discipline])
    smaller = [t for t in mr.BADGE_TIERS if t < b.years]
    if smaller:  # the tier below was already awarded before today
        below = rules.next_badge(decision, today, discipline=discipline, discipline_date=when)
        assert below.years == b.years
