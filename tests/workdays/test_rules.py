"""Working days (workdays.rules): worked cases and Hypothesis properties — a deadline is always a
working day; adding a holiday never makes a deadline earlier; the count is what it says."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangbo.members import rules as member_rules
from dangbo.workdays import rules

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
HOLIDAYS = st.frozensets(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 6, 30)), max_size=30)
SATURDAYS = st.frozensets(DAYS.map(lambda d: d + timedelta(days=(5 - d.weekday()) % 7)), max_size=5)
N = st.integers(min_value=1, max_value=90)


def test_start_not_counted_and_weekends_skipped():
    assert rules.add_working_days(date(2026, 1, 2), 1) == date(2026, 1, 5)  # Friday → Monday
    assert rules.add_working_days(date(2026, 1, 3), 1) == date(2026, 1, 5)  # Saturday → Monday
    assert rules.add_working_days(date(2026, 1, 5), 0) == date(2026, 1, 5)
    with pytest.raises(ValueError):
        rules.add_working_days(date(2026, 1, 5), -1)


def test_holiday_and_worked_saturday():
    off = {date(2025, 4, 30), date(2025, 5, 1), date(2025, 5, 2)}
    assert rules.add_working_days(date(2025, 4, 29), 1, off) == date(2025, 5, 5)
    assert rules.add_working_days(date(2025, 4, 25), 1, off, {date(2025, 4, 26)}) == date(2025, 4, 26)


def test_day_problem():
    assert rules.day_problem(date(2026, 9, 5), "off")  # a Saturday off changes nothing
    assert rules.day_problem(date(2026, 9, 4), "worked")  # a Friday "worked" is any Friday
    assert rules.day_problem(date(2026, 9, 4), "holiday")
    assert rules.day_problem(date(2026, 9, 4), "off") is None
    assert rules.day_problem(date(2026, 9, 5), "worked") is None


@settings(max_examples=150, deadline=None)
@given(DAYS, N, HOLIDAYS, SATURDAYS)
def test_deadline_is_a_working_day(start, n, off, worked):
    end = rules.add_working_days(start, n, off, worked)
    assert end > start and rules.is_working_day(end, off, worked)
    assert rules.working_days_between(start, end, off, worked) == n


@settings(max_examples=150, deadline=None)
@given(DAYS, N, HOLIDAYS, st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 6, 30)))
def test_adding_a_holiday_never_makes_a_deadline_earlier(start, n, off, extra):
    assert rules.add_working_days(start, n, off | {extra}) >= rules.add_working_days(start, n, off)


@settings(max_examples=100, deadline=None)
@given(DAYS, st.integers(min_value=0, max_value=60), HOLIDAYS)
def test_more_days_later_deadline_and_same_as_member_rules(start, n, off):
    assert rules.add_working_days(start, n + 1, off) > rules.add_working_days(start, n, off)
    assert rules.add_working_days(start, n, off) == member_rules.add_working_days(start, n, off)
