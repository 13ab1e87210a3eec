"""Fee rules (FEE-1..FEE-9): worked cases and Hypothesis properties."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangbo.fees import rules
from dangbo.fees.rules import REGIME_01, REGIME_342, Declaration, FeeRuleSettings, monthly_due


def due(category, base=None, year=2026, month=3, **kw):
    return monthly_due(Declaration(category=category, base=base, **kw), year, month)


def test_regime_changes_in_february_2026():
    assert rules.regime_for_month(2026, 1) == REGIME_342
    assert rules.regime_for_month(2026, 2) == REGIME_01
    assert rules.regime_for_month(2025, 12) == REGIME_342
    later = FeeRuleSettings(new_regime_from="2026-04")
    assert rules.regime_for_month(2026, 3, settings=later) == REGIME_342


@pytest.mark.parametrize("category,base,year,month,expected,reasons", [
    ("insured", 8_000_000, 2026, 2, 80_000, ("FEE-1", "FEE-2")),
    ("insured", 8_000_000, 2026, 1, 80_000, ("FEE-1", "FEE-8")),
    ("benefit", 6_000_000, 2026, 2, 60_000, ("FEE-1", "FEE-2")),  # 01: 1 % of the benefit
    ("benefit", 6_000_000, 2026, 1, 30_000, ("FEE-1", "FEE-8")),  # 342: 0.5 % of insurance benefits
    ("pension", 7_000_000, 2026, 2, 35_000, ("FEE-1", "FEE-2")),
    ("pension", 7_000_000, 2025, 6, 35_000, ("FEE-1", "FEE-8")),
    ("student", None, 2026, 2, 5_000, ("FEE-1", "FEE-2")),
    ("other", None, 2026, 2, 15_930, ("FEE-1", "FEE-3")),
    ("other", None, 2026, 1, 5_000, ("FEE-1", "FEE-8")),
    ("pension", 4_567_891, 2026, 3, 22_839, ("FEE-1", "FEE-2", "FEE-9")),  # 22,839.455 → half up
    ("insured", 4_567_850, 2026, 3, 45_679, ("FEE-1", "FEE-2", "FEE-9")),  # 45,678.5 → 45,679
])
def test_worked_amounts(category, base, year, month, expected, reasons):
    d = due(category, base, year, month)
    assert (d.due, d.reasons) == (expected, reasons)


def test_exemptions_and_reductions():
    assert due("insured", 8_000_000, exempt="social_pension").due == 0
    assert due("insured", 8_000_000, exempt="hardship").reasons[-1] == "FEE-4"
    assert due("insured", 8_000_000, reduction_pct=30).due == 56_000
    assert due("insured", 8_000_000, reduction_pct=50).due == 40_000
    assert due("insured", 8_000_000, reduction_pct=70).due == 24_000
    # 50 years of party age: complete in the month of the anniversary (by its last day)
    d = due("pension", 5_000_000, 2026, 3, decision_date=date(1976, 3, 31))
    assert (d.due, d.exempt_reason, d.full) == (0, "party_age", 25_000)
    assert due("pension", 5_000_000, 2026, 3, decision_date=date(1976, 4, 1)).due == 25_000


def test_reduction_period_at_most_12_months():
    assert rules.reduction_problem((2026, 2), (2027, 1)) is None
    assert "12 tháng" in rules.reduction_problem((2026, 2), (2027, 2))
    assert rules.reduction_problem((2026, 5), (2026, 4))


def test_bad_declarations_refused():
    with pytest.raises(ValueError, match="căn cứ"):
        Declaration(category="insured")
    with pytest.raises(ValueError, match="40 %"):
        Declaration(category="student", reduction_pct=40)
    with pytest.raises(ValueError):
        Declaration(category="abroad")


def test_settings_from_mapping():
    s = FeeRuleSettings.from_mapping({"retained_pct": {"cell": 20, "committee": 0}, "unknown": 1})
    assert s.retained("cell") == 20 and s.retained("grassroots_committee") == 0
    with pytest.raises(ValueError):
        FeeRuleSettings(new_regime_from="2026/02")
    with pytest.raises(ValueError):
        FeeRuleSettings.from_mapping({"retained_pct": {"cell": 120}})


def test_remittance_worked():
    shares = rules.remittance(100_000, [("A1", "cell"), ("A", "grassroots_committee"), ("root", "committee")])
    assert [(s.received, s.retained, s.remitted) for s in shares] == [
        (100_000, 30_000, 70_000), (70_000, 49_000, 21_000), (21_000, 10_500, 10_500)]


def test_ledger_helpers():
    due_ = {1: 10, 2: 10, 3: 0, 4: 10}
    paid = {1: 10, 2: 5}
    assert rules.unpaid_months(due_, paid) == {2, 4}
    assert rules.unpaid_months(due_, paid, excused=[4]) == {2}
    assert rules.arrears(due_, paid, upto=4) == 15
    assert rules.advance({1: 10, 7: 10, 8: 10}, after=4) == 20


# -- properties ------------------------------------------------------------------------------------

categories = st.sampled_from(rules.CATEGORIES)
bases = st.integers(0, 200_000_000)
months = st.tuples(st.integers(2020, 2030), st.integers(1, 12))
decisions = st.one_of(st.none(), st.dates(date(1940, 1, 1), date(2030, 12, 31)))


@st.composite
def declarations(draw, reduction=None, exempt=None):
    category = draw(categories)
    return Declaration(category=category, base=draw(bases) if category in rules.BASED else None,
                       decision_date=draw(decisions),
                       reduction_pct=draw(st.sampled_from(rules.REDUCTIONS)) if reduction is None else reduction,
                       exempt=draw(st.sampled_from(rules.EXEMPTIONS)) if exempt is None else exempt)


@settings(max_examples=200, deadline=None)
@given(declarations(reduction=0), st.sampled_from(rules.REDUCTIONS), months)
def test_a_reduction_never_raises_a_fee(decl, pct, month):
    from dataclasses import replace

    plain = monthly_due(decl, *month)
    reduced = monthly_due(replace(decl, reduction_pct=pct), *month)
    assert 0 <= reduced.due <= plain.due <= plain.full


@settings(max_examples=200, deadline=None)
@given(declarations(), st.sampled_from(["social_pension", "hardship"]), months)
def test_exempt_pays_nothing(decl, exempt, month):
    from dataclasses import replace

    d = monthly_due(replace(decl, exempt=exempt), *month)
    assert d.due == 0 and "FEE-4" in d.reasons


@settings(max_examples=200, deadline=None)
@given(declarations(), months, months)
def test_regime_depends_on_the_month_alone(decl, m1, m2):
    a, b = monthly_due(decl, *m1), monthly_due(decl, *m2)
    assert a.regime == rules.regime_for_month(*m1)
    same_age_status = a.exempt_reason == b.exempt_reason
    if a.regime == b.regime and same_age_status:
        assert a == b  # nothing else about the month changes the amount


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**12), st.lists(st.sampled_from(rules.LEVEL_KINDS), max_size=5),
       st.dictionaries(st.sampled_from(rules.LEVEL_KINDS), st.integers(0, 100)))
def test_remittance_accounts_for_every_dong(amount, kinds, pct):
    s = FeeRuleSettings(retained_pct=pct)
    shares = rules.remittance(amount, [(i, k) for i, k in enumerate(kinds)], settings=s)
    reaching = amount
    for sh in shares:
        assert sh.received == reaching and sh.retained + sh.remitted == sh.received and sh.retained >= 0
        reaching = sh.remitted
    assert sum(sh.retained for sh in shares) + reaching == amount


@settings(max_examples=200, deadline=None)
@given(decisions, months)
def test_party_age_month_agrees(decision, month):
    first = rules.party_age_exempt_from(decision)
    exempt = rules.party_age_exempt(decision, *month)
    assert exempt == (first is not None and rules.month_index(*month) >= first)


@settings(max_examples=300, deadline=None)
@given(declarations(), months, st.sampled_from([1, 100, 1000]))
def test_the_integer_formula_is_monthly_due(decl, month, unit):
    """`due_formula` (the settlement's fast path) gives exactly `monthly_due`'s amount."""
    s = FeeRuleSettings(rounding_unit=unit)
    d = monthly_due(decl, *month, settings=s)
    f = rules.due_formula(decl.category, d.regime, decl.reduction_pct, d.exempt_reason is not None, settings=s)
    assert rules.apply_formula(decl.base, f, settings=s) == d.due


def test_owed_upward_and_reconcile_worked():
    chain_cell = [("A2", "cell"), ("A", "grassroots_committee")]
    # A2 collected 60.000: keeps 18.000, passes 42.000; A keeps 70 % of it and owes ROOT 12.600;
    # A's own collection of 10.000 (its staff's cell-less members) owes 3.000
    assert rules.owed_upward([(chain_cell, 60_000), ([("A", "grassroots_committee")], 10_000)], "A") == 15_600
    assert rules.owed_upward([(chain_cell[:1], 60_000)], "A2") == 42_000
    with pytest.raises(ValueError):
        rules.owed_upward([(chain_cell, 60_000)], "A2")
    assert rules.reconcile(15_600, [10_000, 5_000]) == rules.Reconciled(15_600, 15_000, 600, 0)
    assert rules.reconcile(15_600, [16_000]) == rules.Reconciled(15_600, 16_000, 0, 400)


@st.composite
def trees(draw):
    """A tree of levels (parent index < own index), a kind per level, a collection per level and
    transfers recorded per level."""
    n = draw(st.integers(1, 7))
    parent = [None] + [draw(st.integers(0, i - 1)) for i in range(1, n)]
    kinds = [draw(st.sampled_from(rules.LEVEL_KINDS)) for _ in range(n)]
    collected = [draw(st.integers(0, 10**9)) for _ in range(n)]
    transfers = [draw(st.lists(st.integers(0, 10**9), max_size=3)) for _ in range(n)]
    pct = draw(st.dictionaries(st.sampled_from(rules.LEVEL_KINDS), st.integers(0, 100)))
    return parent, kinds, collected, transfers, FeeRuleSettings(retained_pct=pct)


@settings(max_examples=300, deadline=None)
@given(trees())
def test_remittances_and_retained_shares_account_for_every_dong(tree):
    """FEE-6/FEE-7: whatever the shares and the transfers, the đồng collected anywhere in the tree are
    the shares kept by every level plus what the top owes above it; what reaches a level is its own
    collection plus what its children owe it; and per level owed = sent + outstanding − over."""
    parent, kinds, collected, transfers, s = tree
    n = len(parent)

    def chain(i, top):
        out = [(i, kinds[i])]
        while out[-1][0] != top:
            out.append((parent[out[-1][0]], kinds[parent[out[-1][0]]]))
        return out

    def under(i, top):
        while i is not None and i != top:
            i = parent[i]
        return i == top

    def collections(level):
        return [(chain(i, level), collected[i]) for i in range(n) if under(i, level)]

    owed = [rules.owed_upward(collections(lv), lv, settings=s) for lv in range(n)]
    retained = [0] * n
    for i in range(n):
        for sh in rules.remittance(collected[i], chain(i, 0), settings=s):
            retained[sh.level] += sh.retained
    assert sum(retained) + owed[0] == sum(collected)
    for lv in range(n):
        reaching = collected[lv] + sum(owed[c] for c in range(n) if parent[c] == lv)
        assert reaching == retained[lv] + owed[lv]
        r = rules.reconcile(owed[lv], transfers[lv])
        assert r.sent + r.outstanding - r.over == r.owed and min(r.outstanding, r.over) == 0
        # when every level sends exactly what it owes, transfers + shares kept = every đồng collected
    assert sum(retained) + rules.reconcile(owed[0], [owed[0]]).sent == sum(collected)
