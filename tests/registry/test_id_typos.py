"""Nothing silently missed (issue 9, item 4): rows with the same name, birth date and party admission
date whose ID numbers differ by one digit or two adjacent digits exchanged go to review with that
reason — never merged, never silently apart; an agreeing admission date is evidence toward a match."""

from __future__ import annotations

import csv
import io

from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from dangbo.registry import matching as MT
from dangbo.registry.matching import APART, MERGE, REVIEW, RULE_SCORE, compare, match
from dangbo.registry.readers import Row
from dangbo.registry.records import make_record

HOME = "Xã Bảo Đức, huyện Lương Sơn, tỉnh Hòa Bình"
ID = "025075000123"


def rec(index: int, name: str = "Nguyễn Văn Hùng", birth="05/05/1975", nid=None, card=None, sex="Nam",
        home=HOME, admission="02/03/2000", file="a.xlsx"):
    values = {"full_name": name, "birth_date": birth, "national_id": nid, "party_card_no": card, "sex": sex,
              "home_town": home, "admission_date": admission}
    r = make_record(Row(f"{file}:{index + 2}", index + 2, values), index, file)
    assert not isinstance(r, str)
    return r


def test_id_typo_kinds():
    assert MT.id_typo(ID, "025075000124") == "one_digit"
    assert MT.id_typo(ID, "025075001023") == "transposed"
    assert MT.id_typo(ID, "025075000213") == "transposed"
    assert MT.id_typo(ID, "125075000124") == ""  # two digits
    assert MT.id_typo(ID, "025075000321") == ""  # not adjacent
    assert MT.id_typo(ID, ID) == MT.id_typo(ID, None) == ""
    assert MT.id_typo(ID, "02507500012") == "one_edit"  # issue 15: the last digit dropped


def test_one_digit_apart_goes_to_review_with_the_reason():
    c = compare(rec(0, nid=ID), rec(1, nid="025075000124", file="b.xlsx"))
    assert c.decision == REVIEW
    assert c.reason == "cùng họ tên, ngày sinh và ngày vào Đảng; số CCCD lệch một chữ số"
    assert c.fields["national_id"] == "different"


def test_adjacent_digits_exchanged_go_to_review():
    c = compare(rec(0, nid=ID), rec(1, name="NGUYEN VAN HUNG", nid="025075001023", card="12345678"))
    assert (c.decision, c.reason) == (REVIEW, "cùng họ tên, ngày sinh và ngày vào Đảng; số CCCD đảo hai chữ số liền nhau")


def test_a_year_of_birth_on_one_roll_still_agrees():
    c = compare(rec(0, nid=ID), rec(1, birth="1975", nid="025075000124"))
    assert (c.decision, c.reason) == (REVIEW, "cùng họ tên, năm sinh và ngày vào Đảng; số CCCD lệch một chữ số")


def test_without_the_agreeing_admission_day_different_ids_stay_apart():
    assert compare(rec(0, nid=ID), rec(1, nid="025075000124", admission="03/04/2001")).decision == APART
    # issue 15: the same name and full birth date, nothing disagreeing — the slip alone is shown
    c = compare(rec(0, nid=ID), rec(1, nid="025075000124", admission=None))
    assert (c.decision, c.reason) == (REVIEW, "cùng họ tên và ngày sinh; số CCCD lệch một chữ số")
    assert compare(rec(0, nid=ID), rec(1, nid="025075000124", admission=None, birth="1975")).decision == APART
    assert compare(rec(0, nid=ID), rec(1, nid="025075000124", birth="06/05/1975")).decision == APART
    assert compare(rec(0, nid=ID), rec(1, nid="025075000124", sex="Nữ")).decision == APART
    assert compare(rec(0, nid=ID), rec(1, nid="125075000124")).decision == APART  # two digits: other people


def test_match_shows_the_pair_and_never_merges_it():
    records = [rec(0, nid=ID, card="12345678"), rec(1, nid="025075000124", card="12345678", file="b.xlsx")]
    m = match(records)
    assert m.clusters == [[0], [1]]
    assert [(c.a, c.b, c.reason) for c in m.review] == [
        (0, 1, "cùng họ tên, ngày sinh và ngày vào Đảng; số CCCD lệch một chữ số")]


digits = st.text(alphabet="0123456789", min_size=12, max_size=12)


@settings(max_examples=200, deadline=None)
@given(digits, st.integers(0, 11), st.integers(1, 9), st.booleans(), st.sampled_from(["05/05/1975", "1975"]),
       st.booleans())
def test_property_a_typing_slip_is_reviewed_never_merged(nid, pos, shift, transpose, birth, same_card):
    if transpose:
        pos = min(pos, 10)
        if nid[pos] == nid[pos + 1]:
            nid = nid[:pos] + str((int(nid[pos]) + shift) % 10) + nid[pos + 1:]
        other = nid[:pos] + nid[pos + 1] + nid[pos] + nid[pos + 2:]
    else:
        other = nid[:pos] + str((int(nid[pos]) + shift) % 10) + nid[pos + 1:]
    card = "12345678" if same_card else None
    records = [rec(0, nid=nid, card=card), rec(1, nid=other, birth=birth, card=card, file="b.xlsx")]
    m = match(records)
    assert m.clusters == [[0], [1]]
    assert len(m.review) == 1 and "số CCCD" in m.review[0].reason


@settings(max_examples=200, deadline=None)
@given(digits, digits)
def test_property_other_ids_are_never_merged_and_only_slips_reviewed(x, y):
    m = match([rec(0, nid=x), rec(1, nid=y, file="b.xlsx")])
    if x != y:
        assert m.clusters == [[0], [1]]
        assert bool(m.review) == bool(MT.id_typo(x, y))


def test_agreeing_admission_day_merges_the_same_name_and_birth_day_without_ids():
    # one roll lacks the ID, the home town and the card: before, review
    a = rec(0, nid=ID, card="12345678", home=None)
    b = rec(1, name="NGUYỄN VĂN HÙNG", nid=None, card=None, home=HOME, file="b.xlsx")
    c = compare(a, b)
    assert (c.decision, c.rule) == (MERGE, RULE_SCORE)
    assert c.reason == "cùng họ tên, ngày sinh và ngày vào Đảng, điểm tương đồng cao"
    assert match([a, b]).clusters == [[0, 1]]
    # two different cards both present (re-issued in 2025): the agreeing admission day still merges
    b2 = rec(1, name="NGUYỄN VĂN HÙNG", nid=None, card="87654321", home=HOME, file="b.xlsx")
    assert compare(a, b2).decision == MERGE
    # … but not without it (issue 15): review
    c3 = compare(rec(0, card="12345678", admission=None), rec(1, nid=None, card="87654321", file="b.xlsx"))
    assert c3.decision == REVIEW and c3.reason.endswith("khác số thẻ đảng viên, thiếu số CCCD")


def test_admission_day_evidence_keeps_its_guards():
    base = dict(nid=None, card=None)
    # another commune, another admission day, another name, a third namesake: no merge
    assert compare(rec(0, **base), rec(1, home="Xã Yên Lạc, tỉnh Vĩnh Phúc", **base)).decision == REVIEW
    assert compare(rec(0, **base), rec(1, admission="03/03/2000", home=None, **base)).decision == REVIEW
    assert compare(rec(0, **base), rec(1, name="Nguyễn Văn Hưng", home=None, **base)).decision != MERGE
    three = [rec(0, **base), rec(1, home=None, file="b.xlsx", **base), rec(2, birth="1975", file="c.xlsx", **base)]
    m = match(three)
    assert m.merged == [] and {(c.a, c.b) for c in m.review} >= {(0, 1)}


def test_review_csv_carries_the_reason(tmp_path):
    roll = tmp_path / "a.csv"
    roll.write_text("Họ và tên;Ngày sinh;Số CCCD;Ngày vào Đảng;Giới tính\n"
                    f"Nguyễn Văn Hùng;05/05/1975;{ID};02/03/2000;Nam\n", encoding="utf-8")
    other = tmp_path / "b.csv"
    other.write_text("Họ và tên;Ngày sinh;Số CCCD;Ngày vào Đảng;Giới tính\n"
                     "Nguyễn Văn Hùng;05/05/1975;025075000213;02/03/2000;Nam\n", encoding="utf-8")
    out = tmp_path / "out"
    call_command("registry", "merge", str(roll), str(other), "--out", str(out), stdout=io.StringIO())
    with (out / "review.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [(r["ref_a"], r["ref_b"], r["reason"]) for r in rows] == [
        ("a.csv:2", "b.csv:2", "cùng họ tên, ngày sinh và ngày vào Đảng; số CCCD đảo hai chữ số liền nhau")]
    assert (rows[0]["national_id_a"], rows[0]["national_id_b"], rows[0]["national_id_cmp"]) == (
        ID, "025075000213", "different")
    with (out / "persons.csv").open(encoding="utf-8") as f:
        assert len(list(csv.DictReader(f))) == 2
