"""Demo data: the Vietnamese person generator (people.py) and the committee plan (plan.py).

Pure Python — no Django, no database. National IDs follow DOMAIN MEM-8; probation MEM-1; badge
tiers and award days MEM-3; organisation kinds ORG-1; founding decisions ORG-3.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from dangbo.demo import people, plan
from dangbo.demo.people import (
    BLOCKED_NAMES,
    FEMALE_ONLY_GIVEN,
    MALE_ONLY_GIVEN,
    PROVINCE_CODES,
    PROVINCES,
    Person,
    PersonGenerator,
    add_months,
    add_years,
    is_blocked,
    make_person,
    national_id_for,
)

TODAY = date(2025, 11, 26)
ID_RE = re.compile(r"^\d{12}$")


@pytest.fixture(scope="module")
def crowd() -> list[Person]:
    return PersonGenerator(20250701, today=TODAY).people(10_000)


def assert_valid(p: Person, today: date) -> None:
    assert p.sex in ("M", "F")
    # Name: NFC, made of its parts, sex-consistent.
    assert p.full_name == unicodedata.normalize("NFC", p.full_name)
    assert p.full_name == " ".join(w for w in (p.surname, p.middle, p.given) if w)
    middle = p.middle.split()
    assert len(middle) <= 2
    if p.sex == "M":
        assert "Thị" not in middle
        assert p.given not in FEMALE_ONLY_GIVEN
    else:
        assert "Văn" not in middle
        assert p.given not in MALE_ONLY_GIVEN
    assert not is_blocked(p.full_name)
    # National ID (MEM-8): province of birth registration, sex+century, 2-digit year, serial.
    assert ID_RE.match(p.national_id)
    assert p.national_id[:3] == PROVINCE_CODES[p.birth_province]
    century = 0 if p.birth_date.year < 2000 else 2
    assert int(p.national_id[3]) == century + (p.sex == "F")
    assert p.national_id[4:6] == f"{p.birth_date.year % 100:02d}"
    # Places: commune-level, with the old province name.
    assert p.home_province in PROVINCES and p.birth_province in PROVINCES
    assert p.home_town.endswith(f"tỉnh {p.home_province}")
    assert p.place_of_birth.endswith(f"tỉnh {p.birth_province}")
    assert re.match(r"^(Xã|Phường|Thị trấn) .+, (huyện|thị xã|thành phố) .+, tỉnh .+$", p.home_town)
    # Admission (age 18+, usually 22–40), never in the future; probation 12 months (MEM-1).
    assert p.admission_date <= today
    assert p.age_on(p.admission_date) >= 18
    # MEM-1: the ceremony a few weeks after the decision; 12 months of probation from the ceremony
    assert p.admission_date < p.ceremony_date <= p.admission_date + timedelta(days=42) or p.ceremony_date == today
    official = add_months(p.ceremony_date, 12)
    if official <= today:
        assert p.official_date == official
    else:
        assert p.official_date is None and p.is_probationary
    assert p.education in ("12/12", "10/10")
    assert p.professional_level in ("Trung cấp", "Cao đẳng", "Đại học", "Thạc sĩ", "Tiến sĩ")
    assert p.political_theory_level in ("Sơ cấp", "Trung cấp", "Cao cấp", "Cử nhân")
    assert p.position


# --------------------------------------------------------------------------------------------------
# people.py
# --------------------------------------------------------------------------------------------------


def test_same_seed_same_people_different_seed_different():
    a = PersonGenerator(7, today=TODAY).people(300)
    b = PersonGenerator(7, today=TODAY).people(300)
    c = PersonGenerator(8, today=TODAY).people(300)
    assert a == b
    assert a != c
    assert [p.full_name for p in a] != [p.full_name for p in c]


def test_make_person_uses_only_the_given_rng():
    random.seed(1)
    x = make_person(random.Random(42), today=TODAY)
    random.seed(2)
    y = make_person(random.Random(42), today=TODAY)
    assert x == y


def test_every_person_in_a_crowd_is_valid(crowd):
    for p in crowd:
        assert_valid(p, TODAY)


def test_sex_consistency_of_names(crowd):
    men = [p for p in crowd if p.sex == "M"]
    women = [p for p in crowd if p.sex == "F"]
    assert 0.45 < len(men) / len(crowd) < 0.65
    assert not any("Thị" in p.middle.split() for p in men)
    assert not any(p.given in FEMALE_ONLY_GIVEN for p in men)
    assert not any("Văn" in p.middle.split() for p in women)
    assert not any(p.given in MALE_ONLY_GIVEN for p in women)
    # Thị / Văn are the commonest middle names, and commoner for older generations.
    thi = Counter(p.middle.split()[0] for p in women if p.middle)
    assert thi.most_common(1)[0][0] == "Thị"
    old = [p for p in women if p.birth_date.year < 1975]
    young = [p for p in women if p.birth_date.year >= 1995]
    share = lambda ps: sum(p.middle.startswith("Thị") for p in ps) / len(ps)  # noqa: E731
    assert share(old) > share(young) + 0.2
    # Some have two middle names ("Nguyễn Thị Thu Hà").
    assert any(len(p.middle.split()) == 2 for p in women)
    # The unisex names occur for both sexes.
    for name in ("Minh", "Thanh", "Anh"):
        assert any(p.given == name for p in men) and any(p.given == name for p in women)


def test_forced_sex():
    g = PersonGenerator(3, today=TODAY)
    assert {g.person(sex="F").sex for _ in range(50)} == {"F"}
    assert {g.person(sex="M").sex for _ in range(50)} == {"M"}
    with pytest.raises(ValueError):
        g.person(sex="X")


def test_given_name_tables_are_large_and_skewed():
    for table in (people.MALE_GIVEN, people.FEMALE_GIVEN):
        assert len(table.names) >= 60
        assert table.weights[0] > 5 * table.weights[-1]
    assert {"Minh", "Thanh", "Anh"} <= set(people.MALE_GIVEN.names) & set(people.FEMALE_GIVEN.names)
    assert "Thị" not in people.MALE_MIDDLE.names and "Văn" not in people.FEMALE_MIDDLE.names


def test_national_ids_are_unique_and_well_formed_over_5000():
    g = PersonGenerator("ids", today=TODAY)
    ps = g.people(5000, birth_year_range=(1940, 2005))
    ids = [p.national_id for p in ps]
    assert len(set(ids)) == len(ids) == 5000
    assert g.issued_ids == set(ids)
    for p in ps:
        assert_valid(p, TODAY)
    # Both centuries and both sexes show up.
    assert {p.national_id[3] for p in ps} == {"0", "1", "2", "3"}


def test_national_id_for_examples():
    assert national_id_for("Phú Thọ", "M", 1985, 123) == "025085000123"
    assert national_id_for("Vĩnh Phúc", "F", 1979, 45) == "026179000045"
    assert national_id_for("Hòa Bình", "M", 2001, 999999) == "017201999999"
    assert national_id_for("Hòa Bình", "F", 2003, 1) == "017303000001"
    with pytest.raises(ValueError):
        national_id_for("Phú Thọ", "M", 1899, 1)


def test_blocklist_is_never_produced(crowd):
    assert not any(is_blocked(p.full_name) for p in crowd)
    assert is_blocked("Tô Lâm") and is_blocked("tô lâm")
    assert is_blocked(unicodedata.normalize("NFD", "Phạm Minh Chính"))
    for name in ("Hồ Chí Minh", "Võ Nguyên Giáp", "Đặng Xuân Phong", "Nguyễn Phú Trọng", "Lương Cường",
                 "Trần Thanh Mẫn"):
        assert unicodedata.normalize("NFC", name).casefold() in BLOCKED_NAMES


def test_blocklisted_name_is_redrawn(monkeypatch):
    real = people._draw_name
    calls = []

    def rigged(rng, sex, birth_year, ethnicity):
        calls.append(1)
        if len(calls) <= 3:
            return ("Phạm", "Minh", "Chính") if len(calls) % 2 else ("Lương", "", "Cường")
        return real(rng, sex, birth_year, ethnicity)

    monkeypatch.setattr(people, "_draw_name", rigged)
    p = make_person(random.Random(1), sex="M", today=TODAY)
    assert len(calls) == 4
    assert not is_blocked(p.full_name)


def test_blocklisted_names_are_reachable_by_the_tables():
    # The blocklist is not decoration: these parts are all in the tables.
    assert "Chính" in people.MALE_GIVEN.names and "Minh" in people.MALE_MIDDLE.names
    assert "Phạm" in people._SURNAMES_KINH.names
    assert "Phong" in people.MALE_GIVEN.names and "Xuân" in people.MALE_MIDDLE.names


def test_surname_distribution(crowd):
    n = len(crowd)
    share = Counter(p.surname for p in crowd)
    assert 0.30 <= share["Nguyễn"] / n <= 0.45
    top = [s for s, _ in share.most_common(6)]
    assert top[0] == "Nguyễn" and "Trần" in top and "Lê" in top
    # Northern provinces: Vũ over Võ, Hoàng over Huỳnh.
    assert share["Vũ"] > 5 * share["Võ"]
    assert share["Hoàng"] > 5 * share["Huỳnh"]
    assert len(share) > 40  # a real tail


def test_ethnicity_mix_and_muong_surnames(crowd):
    n = len(crowd)
    eth = Counter(p.ethnicity for p in crowd)
    assert 0.78 <= eth["Kinh"] / n <= 0.90
    assert eth["Mường"] > eth["Tày"]
    hb = [p for p in crowd if p.home_province == "Hòa Bình"]
    assert sum(p.ethnicity == "Mường" for p in hb) / len(hb) > 0.2
    muong = [p for p in crowd if p.ethnicity == "Mường"]
    muong_names = {"Bùi", "Đinh", "Quách", "Xa", "Hà", "Sa", "Bạch"}
    assert sum(p.surname in muong_names for p in muong) / len(muong) > 0.75
    rel = Counter(p.religion for p in crowd)
    assert rel["Không"] / n > 0.8 and rel["Phật giáo"] > 0 and rel["Công giáo"] > 0


def test_levels_mix(crowd):
    n = len(crowd)
    prof = Counter(p.professional_level for p in crowd)
    assert prof.most_common(1)[0][0] == "Đại học"
    assert 0.15 <= prof["Thạc sĩ"] / n <= 0.35
    assert 0 < prof["Tiến sĩ"] / n < 0.06
    assert {"Sơ cấp", "Trung cấp", "Cao cấp", "Cử nhân"} == {p.political_theory_level for p in crowd}


def test_province_forces_home_town_and_mostly_birth_code():
    g = PersonGenerator(11, today=TODAY)
    ps = g.people(400, province="Vĩnh Phúc")
    assert all(p.home_town.endswith("tỉnh Vĩnh Phúc") for p in ps)
    assert sum(p.national_id.startswith("026") for p in ps) / len(ps) > 0.8
    with pytest.raises(ValueError):
        g.person(province="Hà Nội")


def test_admitted_between_is_honoured():
    g = PersonGenerator(5, today=TODAY)
    lo, hi = date(2025, 1, 1), date(2025, 6, 30)
    for p in g.people(200, admitted_between=(lo, hi)):
        assert lo <= p.admission_date <= hi
        assert p.official_date is None  # 12 months not yet over on TODAY
    # A window 45 years back overrides the default birth range (1965–2002).
    for p in g.people(50, admitted_between=(date(1980, 1, 1), date(1980, 12, 31))):
        assert p.admission_date.year == 1980 and p.birth_date.year <= 1958
        assert p.position.startswith("Nguyên ")


def test_nobody_old_enough_is_an_error():
    with pytest.raises(ValueError):
        make_person(random.Random(0), birth_year_range=(1997, 2000), today=date(2015, 1, 1))
    with pytest.raises(ValueError):
        make_person(random.Random(0), birth_year_range=(1990, 1980), today=TODAY)


def test_date_helpers():
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 11, 30), 3) == date(2025, 2, 28)
    assert add_months(date(2025, 3, 15), 12) == date(2026, 3, 15)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(min_value=0, max_value=2**64),
    sex=st.sampled_from([None, "M", "F"]),
    province=st.sampled_from([None, *PROVINCES]),
    workplace=st.sampled_from(sorted(people.POSITION_POOLS)),
    today=st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31)),
    lo=st.integers(min_value=1940, max_value=2000),
    span=st.integers(min_value=0, max_value=40),
)
def test_any_seed_gives_a_valid_person(seed, sex, province, workplace, today, lo, span):
    assume(lo <= today.year - 19)  # someone in the range is old enough to be a member by `today`
    p = make_person(random.Random(seed), sex=sex, province=province, workplace=workplace, today=today,
                    birth_year_range=(lo, lo + span))
    assert_valid(p, today)
    if sex:
        assert p.sex == sex
    if province:
        assert p.home_province == province
    assert p.birth_date.year <= lo + span
    assert p == make_person(random.Random(seed), sex=sex, province=province, workplace=workplace,
                            today=today, birth_year_range=(lo, lo + span))


# --------------------------------------------------------------------------------------------------
# plan.py
# --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def the_plan() -> plan.CommitteePlan:
    return plan.committee_plan()


def test_plan_totals(the_plan):
    assert the_plan.committee.code == "DBCQD-PT"
    assert the_plan.committee.name == "Đảng bộ các cơ quan Đảng tỉnh Phú Thọ"
    assert the_plan.committee.valid_from == date(2025, 7, 1)
    grassroots = the_plan.grassroots
    assert len(grassroots) == 12
    assert 2700 < the_plan.total_members < 2900
    assert sum(g.target_members for g in grassroots) == the_plan.total_members
    kinds = Counter(g.kind for g in grassroots)
    assert kinds[plan.GRASSROOTS_COMMITTEE] >= 3 and kinds[plan.GRASSROOTS_CELL] >= 2
    for g in grassroots:
        cells = the_plan.children(g.code)
        if g.kind == plan.GRASSROOTS_COMMITTEE:
            assert 3 <= len(cells) <= 6
            assert all(c.kind == plan.CELL for c in cells)
            assert g.target_members == sum(c.target_members for c in cells)
        else:
            assert cells == []
        assert g.predecessor_codes
    sizes = {g.code: g.target_members for g in grassroots}
    assert max(sizes, key=sizes.get) == "DBCQD-PT.VPTU"
    assert any(15 <= n <= 30 for n in sizes.values())


def test_plan_parents_are_valid(the_plan):
    codes = [o.code for o in the_plan.orgs]
    assert len(codes) == len(set(codes))
    assert all(len(c) <= 40 for c in codes)
    seen: set[str] = set()
    allowed = {  # ORG-1
        plan.COMMITTEE: {None},
        plan.GRASSROOTS_COMMITTEE: {plan.COMMITTEE},
        plan.GRASSROOTS_CELL: {plan.COMMITTEE},
        plan.CELL: {plan.GRASSROOTS_COMMITTEE},
    }
    for o in the_plan.orgs:
        parent = the_plan.org(o.parent_code) if o.parent_code else None
        assert o.parent_code is None or o.parent_code in seen  # parents first
        assert (parent.kind if parent else None) in allowed[o.kind]
        if parent:
            # Alive inside the parent's life.
            assert parent.valid_from <= o.valid_from
            assert o.valid_to == parent.valid_to
        assert o.valid_to is None or o.valid_from < o.valid_to
        seen.add(o.code)


def test_plan_predecessors_and_events(the_plan):
    old = the_plan.predecessors
    old_committees = [o for o in old if o.kind == plan.COMMITTEE]
    assert {o.name for o in old_committees} == {
        "Đảng bộ các cơ quan Đảng tỉnh Phú Thọ (cũ)",
        "Đảng bộ các cơ quan Đảng tỉnh Vĩnh Phúc",
        "Đảng bộ các cơ quan Đảng tỉnh Hòa Bình",
    }
    assert all(o.valid_to == date(2025, 7, 1) and o.valid_from < date(2025, 7, 1) for o in old)
    assert set(the_plan.committee.predecessor_codes) == {o.code for o in old_committees}
    # Every old grassroots org flows into exactly one new one.
    flows = [c for g in the_plan.grassroots for c in g.predecessor_codes]
    assert sorted(flows) == sorted(o.code for o in old if o.kind != plan.COMMITTEE)
    for c in flows:
        assert not the_plan.org(c).is_active

    ev = the_plan.events
    merger = [e for e in ev if e.org_codes == ("DBCQD-PT",)]
    assert len(merger) == 1
    assert merger[0].kind == plan.MERGE
    assert merger[0].decision_number == "10-QĐ/TU" and merger[0].decision_date == date(2025, 6, 26)
    assert merger[0].date == date(2025, 7, 1)
    assert set(merger[0].source_codes) == {o.code for o in old_committees}
    codes = {o.code for o in the_plan.orgs}
    for e in ev:
        assert set(e.org_codes) <= codes and set(e.source_codes) <= codes
        assert re.match(r"^\d{2,}-QĐ/(TU|ĐU)$", e.decision_number)
        assert e.decision_date <= e.date
        assert e.kind in ("found", "merge", "split", "rename", "dissolve", "move")
    # Every organisation's start is recorded by some event.
    recorded = {c for e in ev for c in e.org_codes}
    assert recorded == codes
    # Grassroots decisions differ from each other.
    numbers = [e.decision_number for e in ev if e.issuer == "Đảng ủy các cơ quan Đảng tỉnh Phú Thọ"]
    assert len(numbers) == 12 == len(set(numbers))
    assert the_plan.congress.delegates == 184


def test_plan_is_a_pure_value(the_plan):
    assert plan.committee_plan() == the_plan
    d = the_plan.as_dict()
    assert d["committee"]["code"] == "DBCQD-PT" and len(d["orgs"]) == len(the_plan.orgs)


def test_badge_helpers():
    adm = date(1995, 12, 10)
    assert plan.badges_awarded(adm, date(2025, 12, 9)) == ()
    assert plan.badges_awarded(adm, date(2026, 2, 3)) == ((30, date(2026, 2, 3)),)
    assert plan.next_badge(adm, date(2025, 11, 26)) == (30, date(2025, 12, 10))
    assert plan.next_badge(adm, date(2026, 2, 3)) == (40, date(2035, 12, 10))


@pytest.fixture(scope="module")
def members(the_plan) -> list[plan.MemberPlan]:
    return plan.plan_members(the_plan, seed=1, today=TODAY)


def test_plan_members_fill_the_cells(the_plan, members):
    assert len(members) == the_plan.total_members
    per_cell = Counter(m.org_code for m in members)
    assert per_cell == {c.code: c.target_members for c in the_plan.member_cells}
    ids = [m.person.national_id for m in members]
    assert len(set(ids)) == len(ids)
    for m in members:
        assert_valid(m.person, TODAY)
        if m.previous_org_code:
            prev = the_plan.org(m.previous_org_code)
            assert prev.province == m.person.home_province and m.person.admission_date < date(2025, 7, 1)


def test_plan_members_mix(members):
    n = len(members)
    prob = sum(m.is_probationary for m in members) / n
    assert 0.05 <= prob <= 0.07
    assert 0.025 <= sum(m.exempt for m in members) / n <= 0.035
    transfers = [m.temporary_transfer for m in members if m.temporary_transfer]
    assert 0.015 <= len(transfers) / n <= 0.025
    for start, until in transfers:  # MEM-5: 3 to under 12 months
        assert start <= TODAY < until and 90 <= (until - start).days < 366
    due = [m for m in members if m.badge_due]
    assert 0.035 <= len(due) / n <= 0.05
    assert {t for t, _ in (m.badge_due for m in due)} >= {30, 40}
    for m in due:
        tier, reached = m.badge_due
        assert reached <= add_years(TODAY, 1)
        assert tier not in {t for t, _ in m.badges}
    awarded = [m for m in members if m.badges]
    assert len(awarded) / n >= 0.03
    for m in awarded:
        for tier, when in m.badges:
            assert when <= TODAY and (when.month, when.day) in plan.AWARD_DAYS
            assert when >= add_years(m.person.admission_date, tier)
    exempt = [m.person.age_on(TODAY) for m in members if m.exempt]
    assert min(exempt) >= 54


def test_plan_members_deterministic(the_plan):
    a = plan.plan_members(the_plan, seed="x", today=TODAY)
    b = plan.plan_members(the_plan, seed="x", today=TODAY)
    c = plan.plan_members(the_plan, seed="y", today=TODAY)
    assert a == b and a != c
