"""The national plan's cross-province name block (issue 15, session 8, item 2).

A member transferred to another province whose ID is missing on one roll and whose card was re-issued
(or who has none yet) shares no number with their other rows: the plan compared provinces on ID, CMND
and card only, and found 0.939 of the transfers. The ``xp`` block (folded full name + birth year +
admission day) finds them; what it may merge is :func:`cross_decision`'s call.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import registry_national as N  # noqa: E402

from dangbo.registry.matching import compare  # noqa: E402
from dangbo.registry.readers import Row  # noqa: E402
from dangbo.registry.records import make_record  # noqa: E402

HOME = "xã Lợi Thịnh, huyện Bình Lục, tỉnh Ninh Bình"


def rec(index, name="Vũ Văn Hưng", birth="13/03/1978", nid=None, card=None, sex="Nam", home=HOME,
        admission="19/01/2018", file="p00-a-1.csv"):
    values = {"full_name": name, "birth_date": birth, "national_id": nid, "party_card_no": card, "sex": sex,
              "home_town": home, "admission_date": admission}
    r = make_record(Row(f"{file}:{index + 2}", index + 2, values), index, file)
    assert not isinstance(r, str)
    return r


def test_the_cross_key_is_name_birth_year_and_admission_day():
    a = rec(0, name="VU VAN HUNG", nid="035078874889", card="68521742")
    b = rec(1, birth="1978", card="80955789", file="p01-a-1.csv")
    xa = [k for k in N.cross_keys(a) if k[0] == "xp"]
    assert xa == [k for k in N.cross_keys(b) if k[0] == "xp"] == [("xp", "vu van hung", 1978, "2018-01-19")]
    # no admission day (or only its year): no name key across provinces
    assert [k for k in N.cross_keys(rec(2, admission="2018")) if k[0] == "xp"] == []
    assert [k for k in N.cross_keys(rec(2, admission=None)) if k[0] == "xp"] == []
    # a namesake admitted on another day is in another block
    assert N.cross_keys(rec(2, admission="20/01/2018"))[-1] != xa[0]


def test_a_transfer_without_a_shared_number_merges_only_with_birth_day_and_commune():
    a = rec(0, nid="035078874889", card="68521742")
    b = rec(1, card="80955789", file="p01-a-1.csv")  # ID missing, the 2025 card
    assert N.cross_decision(compare(a, b), a, b) == "merge"
    # the commune unknown on one row: an exact namesake match with no number — queued, not merged
    b2 = rec(1, card="80955789", home=None, file="p01-a-1.csv")
    assert N.cross_decision(compare(a, b2), a, b2) == "review"
    # a birth year only: queued
    b3 = rec(1, birth="1978", card="80955789", file="p01-a-1.csv")
    assert N.cross_decision(compare(a, b3), a, b3) == "review"


def test_what_disagrees_keeps_the_pair_apart_or_in_review():
    a = rec(0, nid="035078874889", card="68521742")
    assert N.cross_decision(compare(a, rec(1, nid="036078111222", file="p01-a-1.csv")), a,
                            rec(1, nid="036078111222", file="p01-a-1.csv")) == "apart"  # two IDs
    other_sex = rec(1, sex="Nữ", file="p01-a-1.csv")
    assert N.cross_decision(compare(a, other_sex), a, other_sex) == "apart"
    slip = rec(1, card="68521743", file="p01-a-1.csv")  # a card one digit apart: never merged
    assert N.cross_decision(compare(a, slip), a, slip) == "review"


def test_a_shared_number_keeps_the_matchers_decision():
    a = rec(0, nid="035078874889", card="68521742")
    b = rec(1, nid="035078874889", home=None, file="p01-a-1.csv")
    assert N.cross_decision(compare(a, b), a, b) == "merge"


def test_the_plan_finds_transfers_that_share_no_number(tmp_path):
    N.generate(tmp_path, provinces=3, rows=400, seed=2, transfer=0.1)
    plan = N.run_plan(tmp_path, workers=1)
    quality = N.score(tmp_path, plan)
    assert quality["persons_with_two_truth_persons"] == 0
    assert plan["cross_merges_without_number"] > 0
    missed = quality["missed_by_kind"]
    # every transfer left is one whose rows share neither a number nor name + birth year + admission day
    assert quality["transfer_found_recall"] >= 0.97, missed
