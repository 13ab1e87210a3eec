"""The programme's pure rules: roll-up over organisations (TGT-3), reported figures, colours, models."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangbo.programme import rules
from dangbo.programme.rules import Tally, Unit

GR, CELL, COMMITTEE = "grassroots_committee", "cell", "committee"


def tree():
    """root ─ A (grassroots committee) ─ A1, A2 (cells); B (grassroots cell); C dissolved; D merged into B."""
    return [
        Unit(1, "001/", COMMITTEE),
        Unit(2, "001/002/", GR),
        Unit(3, "001/002/003/", CELL),
        Unit(4, "001/002/004/", CELL),
        Unit(5, "001/005/", "grassroots_cell"),
        Unit(6, "001/006/", "grassroots_cell", active=False),
        Unit(7, "001/007/", "grassroots_cell", active=False, merged_into=5),
    ]


def test_share_counts_grassroots_orgs_and_a_cells_model_counts_for_its_organisation():
    # a model registered by cell A1 counts for A; B has none
    t = rules.org_share(tree(), {3}, "001/")
    assert t == Tally(counted=2, meeting=1)
    assert t.pct == Decimal("50.0")


def test_dissolved_ignored_and_merged_counted_once_for_the_successor():
    # C (dissolved) held a model: not counted anywhere; D (merged into B) held one: B meets
    assert rules.org_share(tree(), {6}, "001/") == Tally(2, 0)
    assert rules.org_share(tree(), {7}, "001/") == Tally(2, 1)
    # both B and D: still B once
    assert rules.org_share(tree(), {5, 7}, "001/") == Tally(2, 1)


def test_merge_chain_followed_and_dissolution_without_successor_dropped():
    units = {u.id: u for u in tree()}
    units[8] = Unit(8, "001/008/", "grassroots_cell", active=False, merged_into=7)
    assert rules.successor_of(units, 8) == 5
    assert rules.successor_of(units, 6) is None
    units[9] = Unit(9, "001/009/", "grassroots_cell", active=False, merged_into=10)
    units[10] = Unit(10, "001/010/", "grassroots_cell", active=False, merged_into=9)
    assert rules.successor_of(units, 9) is None  # a cycle ends


def test_own_record_only_when_not_within():
    # a grade is the organisation's own: a cell's record does not count for A
    assert rules.org_share(tree(), {3}, "001/", within=False) == Tally(2, 0)
    assert rules.org_share(tree(), {2}, "001/", within=False) == Tally(2, 1)


def test_nothing_counted_gives_no_share():
    assert rules.org_share(tree(), {3}, "001/002/003/").pct is None
    assert rules.share(0, 0) is None
    assert rules.share(1, 3) == Decimal("33.3")
    assert rules.share(2, 3) == Decimal("66.7")


def test_org_tallies_worked_case():
    t = rules.org_tallies(tree(), {3, 7})
    assert t["001/"] == Tally(2, 2)
    assert t["001/002/"] == Tally(1, 1)
    assert t["001/005/"] == Tally(1, 1)
    assert "001/006/" not in t


@st.composite
def forests(draw):
    """Random trees: each unit under an earlier one, some dissolved, some merged into an active one."""
    n = draw(st.integers(1, 25))
    units = [Unit(1, "000001/", COMMITTEE)]
    for i in range(2, n + 1):
        parent = draw(st.sampled_from(units))
        kind = draw(st.sampled_from([GR, "grassroots_cell", CELL, "sub_committee"]))
        active = draw(st.booleans()) or i % 3 != 0
        units.append(Unit(i, f"{parent.path}{i:06d}/", kind, active))
    actives = [u.id for u in units if u.active]
    out = []
    for u in units:
        if not u.active and draw(st.booleans()):
            u = Unit(u.id, u.path, u.kind, False, draw(st.sampled_from(actives)))
        out.append(u)
    holders = draw(st.sets(st.sampled_from([u.id for u in out])))
    return out, holders


@settings(max_examples=80, deadline=None)
@given(forests(), st.booleans())
def test_one_pass_roll_up_equals_the_share_over_each_subtree(data, within):
    units, holders = data
    all_at_once = rules.org_tallies(units, holders, within=within)
    for u in units:
        assert all_at_once.get(u.path, Tally()) == rules.org_share(units, holders, u.path, within=within)


@settings(max_examples=60, deadline=None)
@given(forests())
def test_a_parents_share_is_the_sum_over_its_children_subtrees_and_itself(data):
    """Counting an organisation's own record (a grade): the parent's tally is its children's tallies
    added up, plus itself when it is counted."""
    units, holders = data
    by_id = {u.id: u for u in units}
    held = rules.held_paths(by_id, holders)
    for parent in units:
        depth = parent.path.count("/") + 1
        kids = [u for u in units if u.path.startswith(parent.path) and u.path.count("/") == depth]
        total = sum((rules.org_share(units, holders, k.path, within=False) for k in kids), Tally())
        if parent.active and parent.kind in rules.DEFAULTS.counted_kinds:
            total = total + Tally(1, 1 if parent.path in held else 0)
        assert rules.org_share(units, holders, parent.path, within=False) == total


@settings(max_examples=60, deadline=None)
@given(forests())
def test_dissolved_never_counted_and_merged_counted_once(data):
    units, holders = data
    t = rules.org_share(units, holders, "000001/")
    counted = [u for u in units if u.active and u.kind in rules.DEFAULTS.counted_kinds]
    assert t.counted == len(counted)
    assert 0 <= t.meeting <= t.counted
    # adding the merged-away organisations to the holders changes nothing beyond their successors
    merged = {u.id for u in units if u.merged_into}
    succ = {u.merged_into for u in units if u.merged_into}
    assert rules.org_share(units, holders | merged, "000001/") == rules.org_share(units, holders | succ, "000001/")


def test_reported_orgs_meeting_mean_and_sum():
    figs = {2: Decimal(100), 5: Decimal(90)}
    r = rules.reported_rollup(rules.ORGS_MEETING, figs, [2, 5, 9], Decimal(100))
    assert r.tally == Tally(3, 1) and r.actual == Decimal("33.3") and r.reporting == 2
    assert rules.reported_rollup(rules.MEAN, figs, [2, 5, 9]).actual == Decimal("95.0")
    assert rules.reported_rollup(rules.SUM, figs, [2, 5]).actual == Decimal(190)
    assert rules.reported_rollup(rules.MEAN, {}, [2]).actual is None
    # a figure of an organisation outside the counted ones is ignored
    assert rules.reported_rollup(rules.SUM, {7: Decimal(3)}, [2]).actual is None
    with pytest.raises(ValueError):
        rules.reported_rollup("median", figs, [2])


def test_colour_goal_and_met():
    g = Decimal(100)
    assert rules.colour(Decimal(100), g) == rules.GREEN
    assert rules.colour(Decimal(90), g) == rules.AMBER
    assert rules.colour(Decimal("89.9"), g) == rules.RED
    assert rules.colour(None, g) == rules.NONE
    assert rules.met(Decimal(50), None) is None
    assert rules.colour_label(Decimal(100), g) == "Đạt" and rules.colour_label(None, g) == "Chưa có số liệu"
    # a part of a total has a figure but no goal of its own: not «no data»
    assert rules.colour_label(Decimal(7), None) == rules.NO_GOAL_LABEL == "Không có chỉ tiêu riêng"
    assert rules.colour_label(None, None) == "Chưa có số liệu"
    assert rules.goal_for(2026, {2026: Decimal(80)}, Decimal(100)) == Decimal(80)
    assert rules.goal_for(2027, {2026: Decimal(80)}, Decimal(100)) == Decimal(100)


def test_models_status_active_and_problems():
    assert rules.model_status(start_year=2024, end_year=None, recognised_year=2025, year=2024) == rules.REGISTERED
    assert rules.model_status(start_year=2024, end_year=None, recognised_year=2025, year=2026) == rules.RECOGNISED
    assert rules.model_status(start_year=2024, end_year=2025, recognised_year=None, year=2025) == rules.REGISTERED
    assert rules.model_status(start_year=2024, end_year=2025, recognised_year=None, year=2026) == rules.ENDED
    assert rules.model_active(start_year=2024, end_year=2025, year=2025)
    assert not rules.model_active(start_year=2024, end_year=2025, year=2026)
    assert not rules.model_active(start_year=2027, end_year=None, year=2026)
    assert rules.model_problem(kind="dan_van_kheo", field_="", form="collective", start_year=2025,
                               end_year=None)[0] == "field"
    assert rules.model_problem(kind="hcm_study", field_="economy", form="collective", start_year=2025,
                               end_year=None)[0] == "field"
    assert rules.model_problem(kind="hcm_study", field_="", form="individual", start_year=2025,
                               end_year=2024)[0] == "end_year"
    assert rules.model_problem(kind="dan_van_kheo", field_="economy", form="collective", start_year=2025,
                               end_year=None) is None


def test_term_years_and_id_numbers():
    assert rules.term_years("2025–2030") == (2025, 2030)
    assert rules.term_years("2025-2030") == (2025, 2030)
    with pytest.raises(ValueError):
        rules.term_years("2030–2025")
    assert rules.id_number_ok("025075000123")
    assert not rules.id_number_ok("02507500012")
    assert not rules.id_number_ok("０２５０７５０００１２３")


def test_settings_from_mapping():
    s = rules.ProgrammeRuleSettings.from_mapping({"counted_kinds": ["cell"], "amber_from_pct": 80, "other": 1})
    assert s.counted_kinds == ("cell",) and s.amber_from_pct == 80
    with pytest.raises(ValueError):
        rules.ProgrammeRuleSettings(amber_from_pct=120)


@settings(max_examples=60, deadline=None)
@given(forests(), st.sampled_from([rules.ORGS_MEETING, rules.MEAN, rules.SUM]),
       st.dictionaries(st.integers(1, 25), st.decimals(0, 200, places=1), max_size=10))
def test_reported_one_pass_equals_the_plain_roll_up_over_each_subtree(data, rollup, figures):
    units, _ = data
    at_once = rules.reported_by_path(units, figures, rollup, Decimal(100))
    for u in units:
        ids = [v.id for v in units if v.active and v.kind in rules.DEFAULTS.counted_kinds and v.path.startswith(u.path)]
        if not ids:
            assert u.path not in at_once
            continue
        assert at_once[u.path] == rules.reported_rollup(rollup, figures, ids, Decimal(100))


def _naive_roll_up(own):
    out = {}
    for path, t in own.items():
        for i, ch in enumerate(path):
            if ch == "/":
                out[path[:i + 1]] = out.get(path[:i + 1], rules.Tally()) + t
    return out


@given(st.dictionaries(
    st.lists(st.sampled_from(["1", "2", "3", "10"]), min_size=1, max_size=5).map(lambda p: "/".join(p) + "/"),
    st.builds(rules.Tally, st.integers(0, 50), st.integers(0, 50)), max_size=30))
def test_roll_up_equals_adding_each_path_to_every_prefix(own):
    assert rules.roll_up(own) == _naive_roll_up(own)


# -- the dashboard's view: a roll-up restricted to one organisation and those directly under it ------


def _in_view(full, root):
    return {path: v for path, v in full.items() if rules.in_view(path, root)}


@settings(max_examples=80, deadline=None)
@given(forests(), st.booleans(), st.data())
def test_org_tallies_restricted_to_a_view_equal_the_full_roll_up_there(data, within, draw):
    units, holders = data
    root = draw.draw(st.sampled_from([u.path for u in units]))
    view = rules.org_tallies(units, holders, within=within, root=root)
    assert view == _in_view(rules.org_tallies(units, holders, within=within), root)
    for u in units:  # and each figure is still the per-subtree definition
        if rules.in_view(u.path, root):
            assert view.get(u.path, Tally()) == rules.org_share(units, holders, u.path, within=within)


@settings(max_examples=60, deadline=None)
@given(forests(), st.sampled_from([rules.ORGS_MEETING, rules.MEAN, rules.SUM]),
       st.dictionaries(st.integers(1, 25), st.decimals(0, 200, places=1), max_size=10), st.data())
def test_reported_restricted_to_a_view_equals_the_full_roll_up_there(data, rollup, figures, draw):
    units, _ = data
    root = draw.draw(st.sampled_from([u.path for u in units]))
    assert rules.reported_by_path(units, figures, rollup, Decimal(100), root=root) == \
        _in_view(rules.reported_by_path(units, figures, rollup, Decimal(100)), root)


@given(st.dictionaries(
    st.lists(st.sampled_from(["1", "2", "3", "10"]), min_size=1, max_size=5).map(lambda p: "/".join(p) + "/"),
    st.builds(rules.Tally, st.integers(0, 50), st.integers(0, 50)), max_size=30),
    st.lists(st.sampled_from(["1", "2", "3", "10"]), min_size=1, max_size=3).map(lambda p: "/".join(p) + "/"))
def test_roll_up_restricted_to_a_view_equals_adding_each_path_to_every_prefix_there(own, root):
    assert rules.roll_up(own, root) == _in_view(_naive_roll_up(own), root)


def test_in_view_is_the_root_and_the_level_under_it():
    assert rules.in_view("1/", "1/") and rules.in_view("1/2/", "1/") and rules.in_view("1/20/", "1/")
    assert not rules.in_view("1/2/3/", "1/") and not rules.in_view("2/", "1/") and not rules.in_view("10/", "1/")
