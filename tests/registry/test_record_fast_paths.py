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
