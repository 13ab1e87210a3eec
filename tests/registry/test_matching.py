"""The matcher's rules on worked cases, and its guards as properties."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dangbo.registry.matching import (
    APART,
    MERGE,
    REVIEW,
    RULE_CARD,
    RULE_ID,
    RULE_NAME,
    RULE_SCORE,
    WEAK,
    compare,
    match,
    sexless_files,
)
from dangbo.registry.readers import Row
from dangbo.registry.records import home_town_keys, make_record

HOME = "Xã Bảo Đức, huyện Lương Sơn, tỉnh Hòa Bình"


def rec(index: int, name: str = "Nguyễn Văn Hùng", birth="05/05/1975", nid=None, card=None, sex="Nam",
        home=HOME, file="a.xlsx"):
    values = {"full_name": name, "birth_date": birth, "national_id": nid, "party_card_no": card, "sex": sex,
              "home_town": home}
    r = make_record(Row(f"{file}:{index + 2}", index + 2, values), index, file)
    assert not isinstance(r, str)
    return r


def test_record_normalises():
    r = rec(0, name="LÊ THỊ HOÀ", birth=1975, nid=25075000123, card="36-012.345 6")
    assert (r.full_name, r.surname, r.middle, r.given) == ("Lê Thị Hòa", "Lê", "Thị", "Hòa")
    assert (r.birth_date, r.birth_precision, r.national_id, r.party_card_no) == ("1975", "year", "025075000123",
                                                                                 "360123456")
    assert r.problems  # the padded ID is noted


def test_no_usable_name_is_rejected():
    assert isinstance(make_record(Row("a.csv:3", 3, {"full_name": "..."}), 0, "a.csv"), str)


def test_home_town_keys_old_and_new_province():
    assert home_town_keys(HOME) == ("bao duc", "phu tho")
    assert home_town_keys("Xã Bảo Đức, tỉnh Phú Thọ") == ("bao duc", "phu tho")
    assert home_town_keys("Vĩnh Phúc") == (None, "phu tho")
    assert compare(rec(0), rec(1, home="Bảo Đức, Phú Thọ")).fields["home_town"] == "same_commune"


def test_same_id_merges():
    c = compare(rec(0, nid="025075000123"), rec(1, name="NGUYEN VAN HUNG", birth="1975", nid="025075000123"))
    assert (c.decision, c.rule) == (MERGE, RULE_ID)


def test_typo_with_same_id_merges():
    c = compare(rec(0, nid="025075000123"), rec(1, name="Nguyễn Văn Hùnh", nid="025075000123"))
    assert c.fields["name"] == "typo" and c.decision == MERGE


def test_different_ids_never_merge_even_with_same_name_and_birth_date():
    c = compare(rec(0, nid="025075000123", card="1"), rec(1, nid="025075000124", card="1"))
    assert c.decision != MERGE  # issue 15: one digit apart with the same card → review, never merged
    assert compare(rec(0, nid="025075000123", card="1"), rec(1, nid="046081234567", card="1")).decision == APART
    result = match([rec(0, nid="025075000123"), rec(1, nid="025075000124")])
    assert len(result.clusters) == 2


def test_same_name_and_birth_year_missing_ids_is_review():
    c = compare(rec(0, birth="1975"), rec(1, birth="05/05/1975"))
    assert c.decision == REVIEW


def test_homonyms_with_same_birth_date_but_other_commune_are_counted_not_queued():
    """Issue 15: a shared name and birth date with another commune and nothing else agreeing is two
    people — counted (weak), not queued."""
    a = rec(0)
    b = rec(1, home="Xã Quang Xuân, huyện Tam Dương, tỉnh Vĩnh Phúc")
    assert compare(a, b).decision == WEAK
    m = match([a, b])
    assert len(m.clusters) == 2 and not m.review
    assert m.weak == [(0, 1, "cùng họ tên và ngày sinh; khác quê quán, thiếu số CCCD")]


def test_name_birth_hometown_merges_only_when_unique():
    a, b = rec(0), rec(1, name="NGUYỄN VĂN HÙNG", file="b.csv")
    assert (compare(a, b).decision, compare(a, b).rule) == (MERGE, RULE_NAME)
    assert len(match([a, b]).clusters) == 1
    # a third Nguyễn Văn Hùng born 1975 with only the year known: could be either — review, no merge
    c = rec(2, birth="1975", home=None, file="c.csv")
    result = match([a, b, c])
    assert len(result.clusters) == 3
    assert result.review


def test_day_month_swap_recognised():
    c = compare(rec(0, birth="05/03/1975"), rec(1, birth="1975-05-03"))
    assert c.fields["birth_date"] == "swapped"
    assert c.decision == REVIEW
    c = compare(rec(0, birth="05/03/1975", nid="025075000123"), rec(1, birth="1975-05-03", nid="025075000123"))
    assert c.decision == MERGE


def test_same_card_and_name_merges_different_card_is_no_evidence():
    c = compare(rec(0, card="12.345.678", birth="1975"), rec(1, card="12345678", home=None))
    assert (c.decision, c.rule) == (MERGE, RULE_CARD)
    c = compare(rec(0, card="12345678", nid="025075000123"), rec(1, card="99999999", nid="025075000123"))
    assert c.decision == MERGE


def test_different_sex_never_merges():
    assert compare(rec(0, card="1"), rec(1, card="1", sex="Nữ")).decision == APART


def test_transitivity_guard_refuses_two_ids_in_one_person():
    a = rec(0, nid="025075000123", card="11111111")
    b = rec(1, card="11111111")  # same card as a, no ID
    c = rec(2, nid="025075000999", card="11111111")  # same card, another ID
    result = match([a, b, c])
    by = {i: p for p, m in enumerate(result.clusters) for i in m}
    assert by[0] != by[2]



# ---------------------------------------------------------------- the score rule (swaps, replaced parts)


def test_swapped_name_parts_are_recognised():
    c = compare(rec(0, name="Hùng Nguyễn Văn"), rec(1))
    assert c.fields["name"] == "parts_swapped"


def test_swap_merges_with_a_card():
    c = compare(rec(0, name="Hùng Nguyễn Văn", card="12345678"), rec(1, card="12.345.678", home=None))
    assert (c.decision, c.rule) == (MERGE, RULE_SCORE)


def test_swap_without_identifying_field_does_not_merge():
    # same birth date but another commune, no ID, no card: review at most
    c = compare(rec(0, name="Hùng Nguyễn Văn"), rec(1, home="Xã Quang Xuân, tỉnh Vĩnh Phúc"))
    assert c.decision != MERGE
    # birth year only, same commune
    assert compare(rec(0, name="Hùng Nguyễn Văn", birth="1975"), rec(1)).decision != MERGE


def test_swap_with_birth_and_town_merges_only_when_unique():
    a, b = rec(0, name="Hùng Nguyễn Văn"), rec(1, file="b.csv")
    assert (compare(a, b).decision, compare(a, b).rule) == (MERGE, RULE_SCORE)
    assert len(match([a, b]).clusters) == 1
    third = rec(2, birth="1975", home=None, file="c.csv")  # could be either
    assert len(match([a, b, third]).clusters) == 3


def test_replaced_name_part_is_weak_evidence():
    one, other = "Nguyễn Văn Hùng", "Nguyễn Văn Tuấn"
    assert compare(rec(0, name=one), rec(1, name=other)).fields["name"] == "partial"
    # with the same card and birth date: merge
    c = compare(rec(0, name=one, card="12345678"), rec(1, name=other, card="12345678"))
    assert (c.decision, c.rule) == (MERGE, RULE_SCORE)
    # same birth date and commune but no ID or card: never a merge
    assert compare(rec(0, name=one), rec(1, name=other)).decision != MERGE
    # same card but another birth year: not enough
    c = compare(rec(0, name=one, card="12345678"), rec(1, name=other, card="12345678", birth="1980"))
    assert c.decision == REVIEW


def test_one_letter_given_name_change_needs_an_id_or_card():
    # Hùng / Dũng: another given name, not a typo to trust — same birth date and commune are not enough
    c = compare(rec(0), rec(1, name="Nguyễn Văn Dũng"))
    assert c.fields["name"] == "typo" and c.decision != MERGE
    # a typo outside the given name, same birth date and commune: review, not merge (at 1 M records
    # such pairs are namesakes often enough: Phạm / Phan Thị Duyên born the same day in one commune)
    c = compare(rec(0), rec(1, name="Nguyễm Văn Hùng", file="b.csv"))
    assert c.fields["name"] == "typo_same_given" and c.decision == REVIEW
    # … with the same card it merges
    c = compare(rec(0, card="12345678"), rec(1, name="Nguyễm Văn Hùng", file="b.csv", card="12345678"))
    assert c.decision == MERGE


def test_fuzzy_swap_needs_one_exact_part():
    """Surname and given name exchanged with a letter changed in both is two strangers."""
    c = compare(rec(0, name="Lương Chí Tuấn"), rec(1, name="Trần Ngọc Dương", file="b.csv"))
    assert c.fields["name"] != "parts_swapped" and c.decision != MERGE
    assert compare(rec(0, name="Hùng Nguyễn"), rec(1, name="Nguyễn Hưng")).fields["name"] == "parts_swapped"


def test_vetoes_hold_for_the_score_rule():
    a = rec(0, name="Hùng Nguyễn Văn", card="12345678", nid="025075000123")
    assert compare(a, rec(1, card="12345678", nid="025075000999")).decision == APART
    assert compare(rec(0, name="Hùng Nguyễn Văn", card="1"), rec(1, card="1", sex="Nữ")).decision == APART


def test_source_without_sex_is_unknown_not_missing():
    a, b = rec(0, sex=None, file="a.csv"), rec(1, sex=None, file="b.csv")
    assert sexless_files([a, b]) == {"a.csv", "b.csv"}
    assert compare(a, b).fields["sex"] == "missing"  # alone, a blank is missing: no merge
    assert compare(a, b).decision == REVIEW
    result = match([a, b])  # in a run where those files record no sex at all: unknown, merged when unique
    assert len(result.clusters) == 1 and result.merged[0].fields["sex"] == "no_column"
    # a file with a sex column and a blank row stays "missing"
    c = rec(2, sex="Nam", file="c.csv")
    d = rec(3, sex=None, file="c.csv", name="NGUYEN VAN HUNG")
    assert len(match([c, d]).clusters) == 2


def test_namesakes_without_ids_from_sexless_sources_go_to_review():
    a = rec(0, sex=None, file="a.csv")
    b = rec(1, sex=None, file="b.csv", home="Xã Quang Xuân, huyện Tam Dương, tỉnh Vĩnh Phúc")
    result = match([a, b])
    assert len(result.clusters) == 2 and not result.review and result.weak  # another commune: counted
    # same commune too, but a third namesake could be either: review, no merge
    c = rec(2, sex=None, file="c.csv", birth="1975", home=None)
    result = match([a, rec(1, sex=None, file="b.csv"), c])
    assert len(result.clusters) == 3 and result.review


names = st.sampled_from(["Nguyễn Văn Hùng", "NGUYỄN VĂN HÙNG", "Nguyen Van Hung", "Nguyễn Văn Hưng", "Trần Thị Lan"])
ids = st.sampled_from([None, "025075000123", "025075000124", "001080000456"])
cards = st.sampled_from([None, "11111111", "22222222"])
births = st.sampled_from(["05/05/1975", "1975", "05/03/1975", "03/05/1975", None])
homes = st.sampled_from([HOME, "Xã Bảo Đức, tỉnh Phú Thọ", "Xã Quang Xuân, tỉnh Vĩnh Phúc", None])
rows = st.lists(st.tuples(names, ids, cards, births, homes, st.sampled_from(["Nam", "Nữ", None])),
                min_size=1, max_size=12)


@settings(max_examples=150, deadline=None)
@given(rows)
def test_property_no_person_holds_two_ids_and_every_record_once(data):
    records = [rec(i, name=n, nid=nid, card=card, birth=b, home=h, sex=s) for i, (n, nid, card, b, h, s)
               in enumerate(data)]
    result = match(records)
    seen = sorted(i for m in result.clusters for i in m)
    assert seen == list(range(len(records)))
    for m in result.clusters:
        assert len({records[i].national_id for i in m if records[i].national_id}) <= 1
        assert len({records[i].sex for i in m if records[i].sex}) <= 1


# ---------------------------------------------------------------- profiles


def test_default_profile_keeps_a_shared_surname_apart():
    """Vietnamese profile: same surname, birth date and commune but another given name and card — two
    people (twins, or Nguyễn neighbours), never merged; the FEBRL profile, for English-style rolls,
    counts the shared surname as evidence and merges."""
    from dangbo.registry.matching import FEBRL

    a, b = rec(0, name="Nguyễn Văn Hùng", card="111"), rec(1, name="Nguyễn Văn Minh", card="222")
    assert compare(a, b).decision != MERGE
    assert compare(a, b, profile=FEBRL).decision == MERGE


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["vietnamese", "febrl"]), st.sampled_from(["05/05/1975", "1975"]))
def test_no_profile_merges_different_ids(profile, birth):
    """Namesakes with different national IDs never merge, whatever the profile."""
    rs = [rec(0, nid="025075000123", birth=birth), rec(1, nid="025075000999", birth=birth)]
    m = match(rs, profile=profile)
    assert m.clusters == [[0], [1]]


def test_namesakes_without_ids_stay_apart_by_default():
    """Same full name and birth date, no IDs, other communes: apart and counted (weak) in the default
    profile (the FEBRL profile would merge them — it is for rolls without planted namesakes, never for
    party rolls)."""
    rs = [rec(0), rec(1, home="Xã Kim Bôi, tỉnh Hòa Bình")]
    m = match(rs)
    assert m.clusters == [[0], [1]]
    assert not m.review and [(a, b) for a, b, _ in m.weak] == [(0, 1)]


def test_namesakes_admitted_on_other_days_are_not_merged():
    """Same full name, birth date, sex and commune, no IDs: merged (when unique) only if the party
    admission days do not differ — namesakes born the same day in one commune exist at scale."""
    def with_admission(r, day):
        r.admission_date = day
        return r

    a, b = with_admission(rec(0), "1995-02-03"), with_admission(rec(1, file="b.csv"), "2001-07-19")
    c = compare(a, b)
    assert c.fields["admission_date"] == "different" and c.decision == REVIEW
    b.admission_date = "1995-02-03"
    assert (compare(a, b).decision, compare(a, b).rule) == (MERGE, RULE_NAME)
    b.admission_date = "1995-03-02"  # day and month exchanged: the same day
    assert compare(a, b).decision == MERGE


def _admitted(r, day):
    import dataclasses

    return dataclasses.replace(r, admission_date=day)


def test_year_admission_day_and_commune_merge_when_no_one_else_could_be_either():
    """Issue 15: the same name, a birth year on one side, the same admission day and commune merge
    without an ID; a third namesake of that year whose admission day is unknown (or the same) keeps
    the pair in review; one admitted on another day does not."""
    a = _admitted(rec(0), "1999-02-03")
    b = _admitted(rec(1, birth="1975"), "1999-02-03")
    m = match([a, b])
    assert m.clusters == [[0, 1]] and not m.review
    unknown = rec(2, birth="1975")  # no admission day: could be either
    m = match([a, b, unknown])
    assert [0, 1] not in m.clusters and any((c.a, c.b) == (0, 1) for c in m.review)
    other = _admitted(rec(2, birth="1975"), "2004-06-07")
    m = match([a, b, other])
    assert [0, 1] in m.clusters
    # another commune, or another admission day: never merged
    assert match([a, _admitted(rec(1, birth="1975", home="Xã Kim Bôi, tỉnh Hòa Bình"), "1999-02-03")]).clusters == [[0], [1]]
    assert match([a, _admitted(rec(1, birth="1975"), "2001-02-03")]).clusters == [[0], [1]]


def test_same_name_birth_and_admission_day_merge_when_one_row_lacks_the_sex():
    """Issue 15: a sex left empty on one row is not a disagreement — the same name, birth day and
    admission day merge (when unique); another sex never does."""
    a = _admitted(rec(0), "1999-02-03")
    b = _admitted(rec(1, sex=None, home=None, file="b.csv"), "1999-02-03")
    c = _admitted(rec(2, name="Trần Văn Nam", sex="Nam", file="b.csv"), "2004-01-01")  # b.csv records sex
    m = match([a, b, c])
    assert [0, 1] in m.clusters
    woman = _admitted(rec(1, sex="Nữ", home=None, file="b.csv"), "1999-02-03")
    assert [0, 1] not in match([a, woman, c]).clusters
