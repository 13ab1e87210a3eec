"""Tests of congress.rules (CON-1, CON-2 and the congress settings): worked cases from the regulations
and Hypothesis properties. The election rules (CON-5..CON-8) are tested in tests/elections/test_rules.py."""

import inspect
from dataclasses import fields
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangbo.congress import rules
from dangbo.congress.rules import (
    DEFAULTS,
    SETTING_INFO,
    CongressRuleSettings,
    allocate,
    delegate_cap,
    quorum,
    two_thirds,
)

# ------------------------------------------------------------------------------------------------
# Settings and documentation
# ------------------------------------------------------------------------------------------------


def test_every_setting_is_documented_as_med_or_low():
    names = {f.name for f in fields(CongressRuleSettings)}
    assert set(SETTING_INFO) == names
    for rule, regulation, confidence in SETTING_INFO.values():
        assert rule.startswith("CON-") and regulation and confidence in ("med", "low")


def test_defaults_and_from_mapping():
    assert DEFAULTS.surplus_max_pct == 30 and DEFAULTS.nominee_min_pct == 30
    assert dict(DEFAULTS.delegate_caps) == {"committee": 300, "grassroots_committee": 250}
    assert DEFAULTS.ex_officio_from_unit_share is False
    s = CongressRuleSettings.from_mapping({"surplus_max_pct": 20, "delegate_caps": {"committee": 280},
                                           "temp_transfer_min_months": 3})  # another module's key: ignored
    assert s.surplus_max_pct == 20 and s.delegate_caps["committee"] == 280
    with pytest.raises(TypeError):
        s.delegate_caps["committee"] = 1  # frozen mapping


def test_every_rule_function_cites_its_con_id():
    for name in ("two_thirds", "quorum", "delegate_cap", "allocate", "refusal_problem", "band_of", "breakdown"):
        doc = inspect.getdoc(getattr(rules, name))
        assert doc and "CON-" in doc, name


def test_module_does_not_import_django():
    src = inspect.getsource(rules)
    assert "import django" not in src and "from django" not in src


# ------------------------------------------------------------------------------------------------
# CON-1 quorum
# ------------------------------------------------------------------------------------------------


def test_con1_worked_case_184_delegates_12_organisations():
    r = quorum(summoned=184, present=123, orgs_total=12, orgs_present=8)
    assert (r.valid, r.need_delegates, r.need_orgs) == (True, 123, 8)
    assert not quorum(summoned=184, present=122, orgs_total=12, orgs_present=12).valid
    r = quorum(summoned=184, present=184, orgs_total=12, orgs_present=7)
    assert (r.valid, r.delegates_ok, r.orgs_ok) == (False, True, False)


def test_con1_members_congress_without_subordinate_organisations():
    r = quorum(summoned=9, present=6, orgs_total=0, orgs_present=0)
    assert r.valid and r.need_delegates == 6 and r.need_orgs == 0
    assert not quorum(summoned=10, present=6, orgs_total=0, orgs_present=0).valid  # 2/3 of 10 = 6.67 → 7


def test_con1_rejects_impossible_numbers():
    with pytest.raises(ValueError):
        quorum(summoned=10, present=11, orgs_total=1, orgs_present=1)
    with pytest.raises(ValueError):
        quorum(summoned=10, present=5, orgs_total=2, orgs_present=3)
    with pytest.raises(ValueError):
        quorum(summoned=-1, present=0, orgs_total=0, orgs_present=0)


@given(st.integers(0, 100_000))
def test_con1_two_thirds_is_exact(n):
    need = two_thirds(n)
    assert Fraction(need) >= Fraction(2 * n, 3) > need - 1


# ------------------------------------------------------------------------------------------------
# CON-2 allocation
# ------------------------------------------------------------------------------------------------


def test_con2_worked_case_base_bonus_and_largest_remainder():
    # 30 seats, 5 ex officio → 25; base 2 each + bonus 1 for A = 7 fixed; 18 by 245 members:
    # quotas 8.816 / 5.878 / 3.306 → floors 8/5/3, the 2 left go to B (.878) and A (.816)
    out = allocate([("A", 120, 1), ("B", 80, 0), ("C", 45, 0)], 30, ex_officio=5, base_per_org=2)
    assert out == {"A": 12, "B": 8, "C": 5}
    assert list(out) == ["A", "B", "C"]


def test_con2_ties_go_to_more_members_then_name():
    assert allocate([("X", 1), ("Y", 3)], 2) == {"X": 0, "Y": 2}  # equal remainders: Y has more members
    assert allocate([("C", 10), ("B", 10), ("A", 10)], 4) == {"C": 1, "B": 1, "A": 2}  # then by name


def test_con2_errors():
    with pytest.raises(ValueError, match="vượt"):
        allocate([("A", 10, 5), ("B", 10, 5)], 12, base_per_org=2)
    with pytest.raises(ValueError, match="âm"):
        allocate([("A", -1)], 5)
    with pytest.raises(ValueError, match="âm"):
        allocate([("A", 5, -1)], 5)
    with pytest.raises(ValueError, match="đương nhiên"):
        allocate([("A", 5)], 5, ex_officio=6)
    with pytest.raises(ValueError, match="hai lần"):
        allocate([("A", 5), ("A", 6)], 5)
    with pytest.raises(ValueError, match="bằng 0"):
        allocate([("A", 0), ("B", 0)], 5)
    assert allocate([("A", 0), ("B", 0)], 4, base_per_org=2) == {"A": 2, "B": 2}


def test_con2_caps_by_level():
    orgs = [("A", 100), ("B", 50)]
    assert sum(allocate(orgs, 300, level="committee").values()) == 300
    with pytest.raises(ValueError, match="không quá 300"):
        allocate(orgs, 301, level="committee")
    with pytest.raises(ValueError, match="không quá 250"):
        allocate(orgs, 251, level="grassroots_committee")
    assert delegate_cap("grassroots_cell") is None
    assert sum(allocate(orgs, 400, level="grassroots_cell").values()) == 400
    assert sum(allocate(orgs, 400).values()) == 400  # no level: no cap check
    with pytest.raises(ValueError):
        delegate_cap("district")
    s = CongressRuleSettings(delegate_caps={"committee": 350})
    assert sum(allocate(orgs, 320, level="committee", settings=s).values()) == 320


def test_con2_ex_officio_from_unit_share_setting():
    orgs = [("A", 60), ("B", 40)]
    assert allocate(orgs, 12, ex_officio=2) == {"A": 6, "B": 4}  # default: on top of the units' shares
    s = CongressRuleSettings(ex_officio_from_unit_share=True)
    out = allocate(orgs, 12, ex_officio=2, ex_officio_by_org={"A": 2}, settings=s)
    assert out == {"A": 5, "B": 5}  # A's share of 12 is 7 (7.2), minus its 2 ex officio
    with pytest.raises(ValueError, match="khác"):
        allocate(orgs, 12, ex_officio=2, ex_officio_by_org={"A": 1}, settings=s)
    with pytest.raises(ValueError, match="nhiều hơn"):
        allocate(orgs, 12, ex_officio=9, ex_officio_by_org={"B": 9}, settings=s)


org_lists = st.lists(st.tuples(st.integers(0, 500), st.integers(0, 3)), min_size=1, max_size=12)


@given(org_lists, st.integers(0, 400), st.integers(0, 30), st.integers(0, 3))
def test_con2_allocation_sums_exactly_and_is_monotone(raw, seats, ex_officio, base):
    orgs = [(f"T{i:02d}", m, b) for i, (m, b) in enumerate(raw)]
    fixed = sum(base + b for _, _, b in orgs)
    total = seats - ex_officio
    members = sum(m for _, m, _ in orgs)
    if total < 0 or fixed > total or (total > fixed and members == 0):
        with pytest.raises(ValueError):
            allocate(orgs, seats, ex_officio=ex_officio, base_per_org=base)
        return
    out = allocate(orgs, seats, ex_officio=ex_officio, base_per_org=base)
    assert sum(out.values()) == total
    rest = total - fixed
    for name, m, b in orgs:
        share = out[name] - base - b
        assert share >= 0
        if members:  # Hamilton: every share is its quota rounded down or up
            quota = Fraction(rest * m, members)
            assert quota - 1 < share < quota + 1
    for n1, m1, b1 in orgs:
        for n2, m2, b2 in orgs:
            if b1 == b2 and m1 > m2:
                assert out[n1] >= out[n2]
            elif b1 == b2 and m1 == m2:
                assert abs(out[n1] - out[n2]) <= 1
