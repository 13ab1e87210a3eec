"""The faster paths of reading and merging give exactly what the plain ones give."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangbo.registry import merge as merge_module
from dangbo.registry import readers, records
from dangbo.registry.merge import merge_files
from dangbo.registry.values import parse_date, parse_sex
from dangbo.text import encodings
from dangbo.text.vietnamese import nfc

from . import make_files as M

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench import registry_synth  # noqa: E402

texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=30) | st.text(
    alphabet="aàáạăằâấđêếìòơờưừỳ Đ\t\r\n\x01\x7f.-/0123456789", max_size=30)


@given(texts)
def test_plain_ascii_as_encodings(s):
    assert readers._plain_ascii(s) == encodings._plain_ascii(s)


@given(texts)
def test_nfc_fast_path(s):
    assert readers._nfc(s) == nfc(s)


@given(texts)
def test_letters_fast_path(s):
    import re
    import unicodedata

    plain = re.sub(r"[^a-z]+", "", unicodedata.normalize("NFD", s.lower()).replace("đ", "d"))
    assert readers._letters(s) == plain


@given(st.one_of(texts, st.integers(-10, 30_000_000), st.floats(allow_nan=False), st.booleans(), st.none(),
                 st.dates(dt.date(1850, 1, 1), dt.date(2200, 1, 1))))
def test_cached_parsers_as_plain(value):
    for _ in range(2):  # the second call comes from the cache
        assert records._parse_date(value) == parse_date(value)
        assert records._parse_sex(value) == parse_sex(value)


def test_cache_keeps_one_and_true_apart():
    assert records._parse_date(1) == parse_date(1)
    assert records._parse_date(True) == parse_date(True)
    assert records._parse_date(1.0) == parse_date(1.0)


@pytest.fixture(scope="module")
def rolls(tmp_path_factory):
    d = tmp_path_factory.mktemp("rolls")
    small = [M.legacy_xlsx(d), M.two_column_xlsx(d), M.bom_csv(d), M.legacy_xls(d)]
    (d / "synth").mkdir()
    synth, _ = registry_synth.write_rolls(d / "synth", 400, seed=3)
    return small, synth


@pytest.mark.parametrize("which", [0, 1])
def test_two_processes_give_the_same_merge(rolls, which, monkeypatch):
    paths = rolls[which]
    one = merge_files(paths)
    monkeypatch.setattr(merge_module, "PARALLEL_MIN_ROWS", 1)
    monkeypatch.setattr(merge_module, "PARALLEL_MIN_BYTES", 0)
    two = merge_files(paths, workers=2)
    assert two.persons == one.persons
    assert two.review_pairs == one.review_pairs
    assert two.report == one.report
    assert [dataclasses.asdict(r) for r in two.records] == [dataclasses.asdict(r) for r in one.records]
    assert [r.index for r in two.records] == list(range(len(two.records)))


def test_two_processes_raise_the_first_bad_file(rolls, tmp_path, monkeypatch):
    small, _ = rolls
    empty = tmp_path / "rong.csv"
    empty.write_bytes(b"")
    html = tmp_path / "trang.xlsx"
    html.write_bytes(b"<html></html>")
    paths = [small[0], empty, small[1], html]
    with pytest.raises(readers.RegistryInputError) as serial:
        merge_files(paths)
    monkeypatch.setattr(merge_module, "PARALLEL_MIN_BYTES", 0)
    for order in (paths, paths[::-1]):
        with pytest.raises(readers.RegistryInputError) as plain:
            merge_files(order)
        with pytest.raises(readers.RegistryInputError) as parallel:
            merge_files(order, workers=2)
        assert (str(parallel.value), parallel.value.file) == (str(plain.value), plain.value.file)
    assert "rong.csv" in str(serial.value)


def test_single_person_as_voted(rolls):
    small, synth = rolls
    result = merge_files(small + synth[2:])
    assert result.records
    for r in result.records:
        assert merge_module._single_person("P1", r, "single") == merge_module._voted_person("P1", [r], "single")


@given(st.lists(st.text(alphabet="ab;,\r\n\x0b\x1c\u2028", max_size=8), max_size=80), st.integers(1, 40))
def test_first_lines(parts, n):
    text = "".join(parts) * 2000
    assert readers._first_lines(text, n) == text.splitlines()[:n]


def _reject_reason_plain(values):
    """``readers._reject_reason`` before its cheap "tong" / "cong" test (issue 15): the reference."""
    from dangbo.registry import headers as H
    from dangbo.text.vietnamese import fold, unify_tones

    names = [values.get(f) for f in (H.FULL_NAME, H.SURNAME_MIDDLE, H.GIVEN_NAME)]
    names = [n for n in names if not readers._blank(n)]
    if not names:
        return "thiếu họ tên"
    text = " ".join(str(n) for n in names)
    if text.lstrip()[:1].lower() not in ("t", "c"):
        return readers._reject_plain(text)
    lower, key = unify_tones(nfc(text)).lower(), fold(text)
    if lower.startswith(("tổng cộng", "tổng số", "tổng:", "cộng:")) or lower in ("tổng", "cộng") \
            or key.startswith(("tong cong", "tong so")):
        return f"dòng tổng cộng, không phải đảng viên: \"{text}\""
    return readers._reject_plain(text)


name_texts = st.text(alphabet="TtCcoOôÔộổỔỘnNgG \u0302\u0323\u0309\u0300đĐsSố:ầrầnRaoáu1.-\t", max_size=16)


@given(st.one_of(name_texts, texts, st.sampled_from(["Tổng cộng", "TỔNG SỐ: 25", "Cộng", "tong cong", "Tổng:",
                                                      "Tòng Văn A", "Trần Thị Cộng", "Cao Văn Tổng", "  Tổng cộng"])),
       st.one_of(st.none(), name_texts))
def test_reject_reason_fast_path(full, given_name):
    from dangbo.registry import headers as H

    for values in ({H.FULL_NAME: full}, {H.SURNAME_MIDDLE: full, H.GIVEN_NAME: given_name}):
        assert readers._reject_reason(values) == _reject_reason_plain(values)


cells = st.one_of(st.text(alphabet="=+-@\t\r\n\uff1d\uff0b\uff0d\uff20\x00ab 1", max_size=6), st.text(max_size=6),
                  st.floats(allow_nan=False), st.integers())


@given(st.lists(cells, max_size=12))
def test_safe_cells_as_safe_row(values):
    from dangbo.core.safecells import safe_row

    assert merge_module._safe_cells(list(values)) == safe_row(values)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20"])
def test_safe_cells_every_formula_start(start):
    from dangbo.core.safecells import safe_row

    for values in ([f"{start}x"], ["a", f"{start}1+1", "b"], ["", "x", start]):
        assert merge_module._safe_cells(list(values)) == safe_row(values) != values
