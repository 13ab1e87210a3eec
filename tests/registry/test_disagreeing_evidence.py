"""Issue 15, item 1: disagreeing evidence blocks a merge (zero wrong merges is absolute).

The independent benchmark (100 k rows, seed 11) merged two exact namesakes by name + birth + home
town: the same full name and birth day, communes both named Tân An in other districts, one row
without an ID, two different party cards, admission "2010" (year only) against 17/03/1999."""

from __future__ import annotations

import csv
import json

from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from dangbo.registry import matching as MT
from dangbo.registry.matching import MERGE, REVIEW, compare, compare_admissions, match
from dangbo.registry.readers import Row
from dangbo.registry.records import make_record

HEADER = ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Số thẻ đảng viên", "Quê quán", "Ngày vào Đảng"]
A = ["Nguyễn Minh Hải", "18/09/1975", "Nam", "", "36482824", "Xã Tân An, huyện Bình Lục, tỉnh Ninh Bình", "2010"]
B = ["Nguyễn Minh Hải", "18/09/1975", "Nam", "035075004521", "65364359", "Xã Tân An, huyện Yên Mô, tỉnh Ninh Bình",
     "17/03/1999"]


def rec(index, name="Nguyễn Minh Hải", birth="18/09/1975", nid=None, card=None, sex="Nam",
        home="Xã Tân An, huyện Bình Lục, tỉnh Ninh Bình", admission=None, file="a.csv"):
    values = {"full_name": name, "birth_date": birth, "national_id": nid, "party_card_no": card, "sex": sex,
              "home_town": home, "admission_date": admission}
    r = make_record(Row(f"{file}:{index + 2}", index + 2, values), index, file)
    assert not isinstance(r, str)
    return r


def test_the_benchmark_namesakes_are_not_merged_through_the_cli(tmp_path):
    path = tmp_path / "a.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADER, A, B])
    out = tmp_path / "out"
    call_command("registry", "merge", str(path), "--out", str(out))
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["totals"]["persons"] == 2
    assert report["totals"]["merged_rows"] == 0


def test_the_benchmark_rows_go_to_review_not_merge():
    a = rec(0, card="36482824", admission="2010")
    b = rec(1, nid="035075004521", card="65364359", home="Xã Tân An, huyện Yên Mô, tỉnh Ninh Bình",
            admission="17/03/1999")
    c = compare(a, b)
    assert c.decision != MERGE
    assert len(match([a, b]).clusters) == 2


def test_admission_years_that_differ_block_the_merge_alone():
    """Same everything, no cards: the year-only admission 2010 against 17/03/1999 disagrees."""
    a, b = rec(0, admission="2010"), rec(1, admission="17/03/1999")
    assert compare_admissions(a, b) == "different"
    assert compare(a, b).decision != MERGE
    assert compare_admissions(rec(0, admission="1999"), rec(1, admission="17/03/1999")) == "missing"
    assert compare_admissions(rec(0, admission="03/2010"), rec(1, admission="2011")) == "different"
    assert compare(rec(0, admission="1999"), rec(1, admission="17/03/1999")).decision == MERGE


def test_two_different_cards_block_the_merge_alone():
    """Same name, birth day, commune and no ID: two different cards → review, never merge."""
    a, b = rec(0, card="36482824"), rec(1, card="65364359")
    c = compare(a, b)
    assert c.decision == REVIEW
    assert "khác số thẻ đảng viên" in c.reason
    assert compare(rec(0, card="36482824"), rec(1)).decision == MERGE  # one card missing: no conflict
    # a re-issued card (2025) with the admission day agreeing to the day: still merged
    same_day = compare(rec(0, card="36482824", admission="17/03/1999"), rec(1, card="65364359", admission="17/03/1999"))
    assert same_day.decision == MERGE
    # a card typo blocks even then
    assert compare(rec(0, card="36482824", admission="17/03/1999"),
                   rec(1, card="36482825", admission="17/03/1999")).decision == REVIEW


def test_a_card_typo_goes_to_review_never_merge():
    assert MT.compare_cards("36482824", "36482825") == "near"
    assert MT.compare_cards("36482824", "36482842") == "near"
    c = compare(rec(0, card="36482824"), rec(1, card="36482825"))
    assert c.decision == REVIEW and "số thẻ đảng viên lệch" in c.reason


def test_a_card_read_without_its_leading_zero_or_with_letter_o_does_not_conflict():
    assert MT.compare_cards("01234567", "1234567") == "alike"
    assert MT.compare_cards("0123O567", "01230567") == "alike"
    assert compare(rec(0, card="01234567"), rec(1, card="1234567")).decision == MERGE


def test_the_same_id_still_merges_across_a_reissued_card():
    a, b = rec(0, nid="035075004521", card="36482824"), rec(1, nid="035075004521", card="65364359")
    assert compare(a, b).decision == MERGE


_digits8 = st.text("0123456789", min_size=8, max_size=8)


@settings(max_examples=200, deadline=None)
@given(card_a=_digits8, card_b=_digits8, year_a=st.integers(1960, 2024), year_b=st.integers(1960, 2024),
       day_b=st.booleans())
def test_disagreeing_cards_or_admission_years_never_merge_without_an_id(card_a, card_b, year_a, year_b, day_b):
    """Without an agreeing ID, two rows whose cards differ (not a lost zero) are never merged, nor
    two rows whose admission years differ without the same card, whatever else agrees."""
    adm_b = f"17/03/{year_b}" if day_b else str(year_b)
    c = compare(rec(0, card=card_a, admission=str(year_a)), rec(1, card=card_b, admission=adm_b))
    if card_a.lstrip("0") != card_b.lstrip("0") or (year_a != year_b and card_a != card_b):
        # (admissions here never agree to the day: a year on row a)
        assert c.decision != MERGE
