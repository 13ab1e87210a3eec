"""The faster normalising paths of issue 15 (names word by word) give exactly what the plain ones give."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dangbo.registry import records
from dangbo.registry.values import normalize_name

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
