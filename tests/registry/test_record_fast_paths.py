"""The faster normalising paths of issue 15 (names word by word) give exactly what the plain ones give."""

from __future__ import annotations

import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from dangbo.registry import records
from dangbo.registry.values import normalize_name

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench import registry_synth  # noqa: E402

name_words = st.sampled_from(["Nguyễn", "NGUYỄN", "hoà", "Thuỷ", "KHOẺ", "quý", "Lê-Văn", "Đ", "o\u0300a", "'An",
                              "Thị", "\u0301", "x.", "“Hùng”", "ß", "İ", "ǅ", "hòang", "Tòng", "*", "1", "-"])
name_texts = st.lists(name_words | st.text(max_size=6), max_size=6).map(lambda ws: " ".join(ws)) | st.text(max_size=20)


@given(st.one_of(name_texts, st.none(), st.integers(), st.floats(allow_nan=False)))
def test_name_by_word_as_normalize_name(value):
    assert records.normalize_name_by_word(value) == normalize_name(value)


def test_text_cache_full_starts_again():
    calls = []

    def parse(value):
        calls.append(value)
        return (value.upper(), len(calls))

    memo = records._memo(parse, 2)
    assert [memo(v)[0] for v in ("a", "b", "a", "c", "d", "a")] == ["A", "B", "A", "C", "D", "A"]
    assert memo("a") == memo("a")  # one parse while cached: the same result object
    assert len([c for c in calls if c == "a"]) == 2  # parsed again once the full cache was emptied


def test_large_runs_read_and_normalise_each_roll_in_one_process(tmp_path, monkeypatch):
    """With two workers the rolls are not read first and normalised after (rows would cross processes):
    each is read and normalised by the process that reads it, with the same result as one process."""
    from dangbo.registry import merge as merge_module

    paths, _ = registry_synth.write_rolls(tmp_path, 300, seed=5)
    one = merge_module.merge_files(paths)

    def refused(*a, **kw):
        raise AssertionError("rows read apart from their records")

    monkeypatch.setattr(merge_module, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(merge_module, "read_files", refused)
    two = merge_module.merge_files(paths, workers=2)
    assert (two.persons, two.review_pairs, two.report) == (one.persons, one.review_pairs, one.report)


# ---- session 9 (issue 15, speed): the plain cells of an ID and a card, the name parts' keys, the
# forked reader's records as tuples, each distinct value of a column judged once

id_cells = st.one_of(
    st.text(alphabet="0123456789", min_size=8, max_size=14),
    st.text(alphabet="0123456789 .-eE+,٣", max_size=16),
    st.sampled_from(["025075000123", "02507500012", "025075000123.0", "2.5075E+10", "0250 7500 0123",
                     "０２５０７５０００１２３", "025075000123 ", "\u0663" * 12]),
    st.integers(-10, 10**13), st.floats(allow_nan=False), st.none(), st.booleans())
card_cells = st.one_of(
    st.text(alphabet="0123456789ABCabcOo .-–_ß", max_size=12),
    st.sampled_from(["12345678", "AB123", "ab123", "chưa có", "-", "O12345", "１２３", "12.345.678", "ǅ1"]),
    st.integers(-10, 10**9), st.floats(allow_nan=False), st.none(), st.booleans())


def _plain_record(row):
    """make_record with the three ID parsers and the card parser always called (the code before)."""
    saved = records._plain_id, records._plain_card
    records._plain_id, records._plain_card = (lambda v: False), (lambda v: None)
    try:
        return records.make_record(row, 0, "f.csv")
    finally:
        records._plain_id, records._plain_card = saved


@given(id_cells, card_cells)
def test_plain_id_and_card_cells_as_the_parsers(id_cell, card_cell):
    import dataclasses

    from dangbo.registry import headers as H
    from dangbo.registry.readers import Row

    row = Row("f.csv:2", 2, {H.FULL_NAME: "Nguyễn Văn An", H.NATIONAL_ID: id_cell, H.PARTY_CARD_NO: card_cell})
    fast, plain = records.make_record(row, 0, "f.csv"), _plain_record(row)
    if isinstance(plain, str):
        assert fast == plain
    else:
        assert dataclasses.asdict(fast) == dataclasses.asdict(plain)
        assert [(p.kind, p.field, p.value, p.kept) for p in fast.problems] == [
            (p.kind, p.field, p.value, p.kept) for p in plain.problems]


@given(name_texts)
def test_part_key_as_fold(value):
    for _ in range(2):  # the second from the dict
        assert records._part_key(value) == records.fold(value)


def test_forked_reader_sends_tuples_that_make_the_same_records(tmp_path):
    import dataclasses
    import pickle

    from dangbo.registry import merge as merge_module

    paths, _ = registry_synth.write_rolls(tmp_path, 200, seed=9)
    for path in paths:
        rep, kept, notes = merge_module._read_part(path)
        packed = pickle.loads(pickle.dumps(merge_module._read_part_packed(path)))
        rep2, kept2, notes2 = merge_module._unpack_part(packed)
        assert (rep2, notes2) == (rep, notes)
        assert [dataclasses.asdict(r) for r in kept2] == [dataclasses.asdict(r) for r in kept]
        assert all(type(v) is tuple for v in packed[1])


column_values = st.lists(st.one_of(
    st.sampled_from(["Họ và tên", "HỌ VÀ TÊN", "ho va ten", "Ngày sinh", " Nam ", "Nữ", "", "  ", "x"]),
    st.text(max_size=8), st.integers(0, 3), st.floats(allow_nan=True), st.booleans(), st.none()), max_size=40)


@given(column_values)
def test_nfc_column_as_plain(values):
    from dangbo.registry import readers

    got = readers._nfc_column(values)
    want = [readers._nfc(v) if isinstance(v, str) else v for v in values]
    assert len(got) == len(want)
    assert all(g is w or g == w or (g != g and w != w) for g, w in zip(got, want, strict=True))
    assert [type(g) for g in got] == [type(w) for w in want]


@given(column_values, column_values)
def test_header_hits_as_plain(first, second):
    from dangbo.registry import headers as H
    from dangbo.registry import readers

    n = max(len(first), len(second))
    decoded = {0: first + [None] * (n - len(first)), 1: second + [None] * (n - len(second)), 2: [[1]] * n}
    mapping = {0: H.FULL_NAME, 1: H.BIRTH_DATE, 2: H.SEX}
    keys = {0: H.header_key("Họ và tên"), 1: H.header_key("Ngày sinh"), 2: H.header_key("Giới tính")}

    def plain():
        hits = [0] * n
        for i in (0, 1):
            key, tail = keys[i], readers._letters(keys[i])
            for k, v in enumerate(decoded[i]):
                if isinstance(v, str) and readers._letters(v).endswith(tail) and H.header_key(v) == key:
                    hits[k] += 1
        return hits

    assert readers._header_hits(decoded, mapping, keys, 3, n) == plain()


def _vote(values, *, prefer_last=False):
    """merge._most_common before the one-value shortcut (the Counter vote every time)."""
    from collections import Counter

    present = [v for v in values if v]
    if not present:
        return None
    counts = Counter(present)
    order = {v: i for i, v in enumerate(present)} if prefer_last else {}
    if not prefer_last:
        for i, v in enumerate(present):
            order.setdefault(v, -i)
    return max(counts, key=lambda v: (counts[v], order[v]))


@given(st.lists(st.sampled_from(["", None, "a", "b", "1985-02-12", "1985"]), max_size=6), st.booleans())
def test_most_common_as_the_vote(values, prefer_last):
    from dangbo.registry import merge as merge_module

    assert merge_module._most_common(values, prefer_last=prefer_last) == _vote(values, prefer_last=prefer_last)


@given(st.lists(st.sampled_from(["Xã A, tỉnh B", "xã A", "Xã C", None]), min_size=2, max_size=5))
def test_voted_home_town_as_the_vote(homes):
    from collections import Counter

    from dangbo.registry import merge as merge_module
    from dangbo.registry.records import Record

    rows = [Record(index=n, ref=f"f.csv:{n}", file="f.csv", row=n, full_name="An", surname="", middle="",
                   given="An", name_key="an", surname_key="", middle_key="", given_key="an", has_diacritics=False,
                   home_town=h) for n, h in enumerate(homes)]
    present = [h for h in homes if h]
    want = max(Counter(present).items(), key=lambda kv: (kv[1], len(kv[0])))[0] if present else ""
    assert merge_module._voted_person("P1", rows, "score")["home_town"] == want


def test_an_infinite_or_nan_id_cell_is_no_cmnd():
    """A numeric ID cell of infinity (an xlsx value of 1E+400) or NaN is no old CMND, and no crash (it raised
    OverflowError, found by test_plain_id_and_card_cells_as_the_parsers)."""
    from decimal import Decimal

    from dangbo.registry.values import parse_cmnd

    for value in (float("inf"), float("-inf"), float("nan"), Decimal("Infinity"), Decimal("NaN")):
        assert parse_cmnd(value) is None
