"""Issue 15, item 2: a mistyped ID never silently blocks a true pair.

The independent benchmark's minimal rows: the same member on two rolls, one row carrying the old
9-digit CMND, or the CCCD with its last digit dropped, or a digit doubled. Before, the reader padded
9–11 digits with zeros and the padded number vetoed the pair as "two different IDs" — neither merged
nor queued nor counted."""

from __future__ import annotations

import csv
import json

from django.core.management import call_command

from dangbo.registry import matching as MT
from dangbo.registry.matching import REVIEW, compare, match
from dangbo.registry.readers import Row
from dangbo.registry.records import make_record
from dangbo.registry.values import parse_national_id

HEADER = ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Số thẻ đảng viên", "Quê quán", "Ngày vào Đảng"]
ROW = ["Nguyễn Văn Hùng", "12/03/1970", "Nam", "035070123456", "01234567", "xã Tân Lập", "05/09/1995"]
CCCD = "035070123456"


def rec(index, nid=CCCD, name="Nguyễn Văn Hùng", card="01234567", admission="05/09/1995", file="a.csv"):
    values = {"full_name": name, "birth_date": "12/03/1970", "national_id": nid, "party_card_no": card,
              "sex": "Nam", "home_town": "xã Tân Lập", "admission_date": admission}
    r = make_record(Row(f"{file}:{index + 2}", index + 2, values), index, file)
    assert not isinstance(r, str)
    return r


def merge_rows(tmp_path, *rows):
    path = tmp_path / "a.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *rows])
    out = tmp_path / "out"
    call_command("registry", "merge", str(path), "--out", str(out))
    return json.loads((out / "report.json").read_text(encoding="utf-8"))["totals"]


def test_nine_digits_are_read_as_the_old_cmnd_not_a_short_cccd():
    nid, note = parse_national_id("168123456")
    assert nid is None and "CMND" in note
    r = rec(0, nid="168123456")
    assert r.national_id is None and r.cmnd == "168123456"


def test_a_cmnd_on_one_row_merges_the_minimal_pair(tmp_path):
    totals = merge_rows(tmp_path, ROW, [*ROW[:3], "168123456", *ROW[4:]])
    assert totals["persons"] == 1


def test_two_cmnd_compare_with_each_other_only():
    assert compare(rec(0, nid="168123456"), rec(1, nid="168123456")).fields["cmnd"] == "same"
    c = compare(rec(0, nid="168123456"), rec(1, nid="168123457", card=None))
    assert c.fields["cmnd"] == "different" and c.decision != MT.MERGE


def test_last_digit_dropped_goes_to_review_with_the_reason(tmp_path):
    c = compare(rec(0), rec(1, nid="03507012345"))
    assert c.decision == REVIEW and c.reason.endswith("số CCCD lệch một chữ số")
    totals = merge_rows(tmp_path, ROW, [*ROW[:3], "3507012345", *ROW[4:]])  # a number cell, zero lost too
    assert totals["persons"] == 2 and totals["review_pairs"] == 1


def test_a_digit_doubled_is_not_a_refusal():
    c = compare(rec(0), rec(1, nid="350701234566"))  # number cell lost the zero, a 6 typed twice
    assert c.decision == REVIEW and "số CCCD lệch một chữ số" in c.reason
    assert MT.id_typo(CCCD, "350701234566") == "one_edit"
    assert MT.id_typo(CCCD, "003507012345") == "one_edit"
    assert MT.id_typo(CCCD, "035070123457") == "one_digit"
    assert MT.id_typo(CCCD, "046081234567") == ""


def test_a_pair_refused_for_conflicting_ids_is_counted(tmp_path):
    other = [*ROW[:3], "046081234567", *ROW[4:]]
    totals = merge_rows(tmp_path, ROW, other)
    assert totals["persons"] == 2 and totals["review_pairs"] == 0
    assert totals["id_refused_pairs"] == 1
    m = match([rec(0), rec(1, nid="046081234567")])
    assert m.stats["id_refused"] == 1
