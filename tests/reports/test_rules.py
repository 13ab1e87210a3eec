"""Pure statistics rules (issue 14): bands, replay on a day, breakdowns sum, changes reconcile."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from dangbo.members.rules import COUNTED_STATES, MemberStatus, allowed_events, apply_status
from dangbo.reports import rules

SCOPE = {1, 2}
ORGS = (1, 2, 3)


def test_age_bands_edges():
    day = date(2026, 1, 1)
    assert rules.age_band(date(1995, 1, 1), day) == "31–40"  # 31 today
    assert rules.age_band(date(1995, 1, 2), day) == "≤30"
    assert rules.age_band(date(1965, 1, 1), day) == ">60"
    assert rules.age_band(date(1965, 1, 2), day) == "51–60"
    assert rules.age_band(None, day) == rules.UNKNOWN
    assert rules.party_age_band(date(2016, 1, 1), day) == "10–19"
    assert rules.party_age_band(date(2016, 1, 2), day) == "<10"
    assert rules.party_age_band(date(1986, 1, 1), day) == "≥40"
    assert rules.party_age_band(date(2030, 1, 1), day) == "<10"


def test_transfer_and_death_worked_case():
    p = rules.Person(sex="F", birth_date=date(1990, 6, 1), admission_date=date(2015, 5, 1), ethnicity="Tày")
    steps = [rules.Step(date(2015, 5, 1), "admission", {}, 1, 1),
             rules.Step(date(2016, 5, 1), "recognition", {}, 1, 1),
             rules.Step(date(2020, 1, 1), "transfer_internal", {}, 1, 3),
             rules.Step(date(2022, 1, 1), "transfer_internal", {}, 3, 2),
             rules.Step(date(2024, 1, 1), "death", {}, 2, 2)]
    scope = SCOPE.__contains__
    assert rules.report_on([(p, steps)], date(2015, 12, 31), scope)["probationary"] == 1
    r = rules.report_on([(p, steps)], date(2019, 12, 31), scope)
    assert (r["total"], r["official"], r["by_sex"]["F"], r["by_ethnicity"], r["by_age_band"]["≤30"]) == (
        1, 1, 1, {"Tày": 1}, 1)
    assert rules.report_on([(p, steps)], date(2021, 1, 1), scope)["total"] == 0  # in cell 3, outside
    assert rules.report_on([(p, steps)], date(2025, 1, 1), scope)["total"] == 0
    ch = rules.changes_between([(p, steps)], date(2014, 1, 1), date(2025, 1, 1), scope)
    assert ch == {"admitted": 1, "recognised": 1, "transferred_in": 1, "transferred_out": 1, "died": 1,
                  "left": 0, "removed": 0, "expelled": 0}
    assert rules.reconciles(0, 0, ch)


@st.composite
def histories(draw):
    """Members with valid event histories (every step through the transition table), random cells."""
    members = []
    for _ in range(draw(st.integers(0, 6))):
        person = rules.Person(
            sex=draw(st.sampled_from(["M", "F"])),
            birth_date=draw(st.none() | st.dates(date(1940, 1, 1), date(2005, 12, 31))),
            admission_date=draw(st.none() | st.dates(date(1960, 1, 1), date(2025, 12, 31))),
            ethnicity=draw(st.sampled_from(["Kinh", "Tày", "", "Mường"])),
            education=draw(st.sampled_from(["12/12", "", "9/12"])),
            theory_level=draw(st.sampled_from(["Cao cấp", "Trung cấp", "Sơ cấp", ""])))
        status, org, day, steps = MemberStatus(None, False, False), draw(st.sampled_from(ORGS)), date(1990, 1, 1), []
        for _ in range(draw(st.integers(0, 6))):
            kinds = allowed_events(status.state, status.away, status.suspended)
            if not kinds:
                break
            kind = draw(st.sampled_from(kinds))
            details = {}
            if kind == "transfer_in":
                details = {"status": draw(st.sampled_from(["official", "probationary"]))}
            elif kind == "discipline":
                levels = ["reprimand", "warning"] + (["dismissal", "expulsion"] if status.state != "probationary" else [])
                details = {"level": draw(st.sampled_from(levels))}
            elif kind == "badge":
                details = {"tier": 30}
            day += timedelta(days=draw(st.integers(0, 2000)))
            after = draw(st.sampled_from([o for o in ORGS if o != org])) if kind == "transfer_internal" else org
            if kind in ("admission", "transfer_in"):
                after = org = draw(st.sampled_from(ORGS))
            status = apply_status(status, kind, details)
            steps.append(rules.Step(day, kind, details, org, after))
            org = after
        members.append((person, steps))
    return members


DAYS = st.dates(date(1989, 1, 1), date(2040, 12, 31))


@settings(max_examples=60, deadline=None)
@given(histories(), DAYS)
def test_breakdowns_sum_to_total(members, day):
    r = rules.report_on(members, day, SCOPE.__contains__)
    assert r["official"] + r["probationary"] == r["total"]
    for name, _title in rules.BREAKDOWNS:
        assert sum(r[name].values()) == r["total"], name


@settings(max_examples=60, deadline=None)
@given(histories(), DAYS, DAYS)
def test_changes_reconcile_the_two_totals(members, a, b):
    start, end = min(a, b), max(a, b)
    scope = SCOPE.__contains__
    ch = rules.changes_between(members, start, end, scope)
    assert rules.reconciles(rules.report_on(members, start, scope)["total"],
                            rules.report_on(members, end, scope)["total"], ch)


@settings(max_examples=60, deadline=None)
@given(histories(), DAYS)
def test_report_equals_replay_of_the_events_up_to_the_day(members, day):
    """Counting the members whose events up to the day leave them counted in the scope, by hand."""
    expected = 0
    for _p, steps in members:
        status, org = MemberStatus(None, False, False), None
        for s in (s for s in steps if s.date <= day):
            status, org = apply_status(status, s.kind, s.details), s.org_after
        expected += status.state in COUNTED_STATES and org in SCOPE
    assert rules.report_on(members, day, SCOPE.__contains__)["total"] == expected


@settings(max_examples=40, deadline=None)
@given(histories(), histories(), DAYS)
def test_merge_is_the_report_of_the_union(a, b, day):
    scope = SCOPE.__contains__
    assert rules.merge(rules.report_on(a, day, scope), rules.report_on(b, day, scope)) == \
        {k: (dict(v) if isinstance(v, dict) else v) for k, v in rules.report_on(a + b, day, scope).items()}
