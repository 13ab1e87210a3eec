"""The faster reading paths of issue 15 (a CSV record's cells at once, a column without fonts, the rows
column by column, names word by word) give exactly what the plain loops give."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from dangbo.registry import readers, records
from dangbo.registry.values import normalize_name

from . import make_files as M

name_words = st.sampled_from(["Nguyễn", "NGUYỄN", "hoà", "Thuỷ", "KHOẺ", "quý", "Lê-Văn", "Đ", "o\u0300a", "'An",
                              "Thị", "\u0301", "x.", "“Hùng”", "ß", "İ", "ǅ", "hòang", "Tòng", "*", "1", "-"])
name_texts = st.lists(name_words | st.text(max_size=6), max_size=6).map(lambda ws: " ".join(ws)) | st.text(max_size=20)


@given(st.one_of(name_texts, st.none(), st.integers(), st.floats(allow_nan=False)))
def test_name_by_word_as_normalize_name(value):
    assert records.normalize_name_by_word(value) == normalize_name(value)


HEAD = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Quê quán", "Chi bộ"]
cell = st.one_of(
    st.sampled_from(["", " ", "Nguyễn Văn An", "Trần Thị Hoà", "Tổng cộng", "Tổng số: 3", "Cộng", "Họ và tên",
                     "Ngày sinh", "Số CCCD", "1/2/1970", "1970", "Nam", "Nữ", "x", "025070000123", "An\u200bh",
                     "B\u202eình", "Lê\x01 An", "A" * 130, "Xã Bảo Đức, tỉnh Phú Thọ", "(1)", "(2)", "=1+1", "ÂN"]),
    st.text(max_size=8))


def _csv_text(rows: list[list[str]], head: list[str]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(head)
    w.writerows(rows)
    return out.getvalue()


def _read_both(path):
    outcomes = []
    for fast in (True, False):
        readers.FAST_PATHS = fast
        try:
            fr = readers.read_file(path)
        except readers.RegistryInputError as e:
            outcomes.append(("error", str(e), e.row, e.column))
            continue
        finally:
            readers.FAST_PATHS = True
        rows = [(r.ref, r.row, list(r.values.items()), [(str(p), vars(p)) for p in r.problems]) for r in fr.rows]
        outcomes.append((fr.report(), rows))
    return outcomes


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(cell, max_size=9), min_size=1, max_size=12), st.sampled_from([HEAD, HEAD[:3], HEAD[1:]]))
def test_columnwise_rows_as_cell_by_cell(tmp_path_factory, rows, head):
    path = tmp_path_factory.mktemp("csv") / "roll.csv"
    path.write_text(_csv_text(rows, head), encoding="utf-8")
    fast, plain = _read_both(path)
    assert fast == plain


def test_columnwise_on_the_sample_rolls(tmp_path):
    for path in (M.legacy_xlsx(tmp_path), M.two_column_xlsx(tmp_path), M.bom_csv(tmp_path), M.legacy_xls(tmp_path)):
        fast, plain = _read_both(path)
        assert fast == plain


def test_mark_columns_keep_the_cell_by_cell_loop(tmp_path):
    path = tmp_path / "marks.csv"
    path.write_text("Họ và tên;Nam;Nữ\nNguyễn Văn An;1970;\nLê Thị Bình;;x\n", encoding="utf-8")
    fast, plain = _read_both(path)
    assert fast == plain
