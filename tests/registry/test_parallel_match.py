"""The pair loop of the matcher over two processes gives exactly what one process gives (issue 15)."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

from dangbo.registry import matching
from dangbo.registry.merge import merge_files

from . import make_files as M

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench import registry_synth  # noqa: E402


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    d = tmp_path_factory.mktemp("rolls")
    small = [M.legacy_xlsx(d), M.two_column_xlsx(d, "hai-cot.xlsx")]
    (d / "synth").mkdir()
    synth, _ = registry_synth.write_rolls(d / "synth", 600, seed=5)
    return merge_files(small + synth).records


def _flat(result: matching.MatchResult) -> dict:
    return {
        "clusters": result.clusters, "rule": result.cluster_rule,
        "merged": [dataclasses.asdict(c) for c in result.merged],
        "review": [dataclasses.asdict(c) for c in result.review],
        "refused": [dataclasses.asdict(c) for c in result.refused],
        "comparisons": result.comparisons, "stats": result.stats, "weak": result.weak,
    }


def test_two_processes_match_as_one(records, monkeypatch):
    one = matching.match(records)
    assert one.review and one.weak and one.merged  # the set exercises every list
    monkeypatch.setattr(matching, "PARALLEL_MIN_PAIRS", 0)
    two = matching.match(records, workers=2)
    assert _flat(two) == _flat(one)


def test_pairs_met_in_both_halves_are_compared_once(records, monkeypatch):
    """Pairs sharing blocks on both sides of the cut (ID and name blocks) are kept once, where a single
    run first meets them; checked by comparing the blocks in another order, which moves the cut."""
    monkeypatch.setattr(matching, "PARALLEL_MIN_PAIRS", 0)
    real = matching.block_groups
    for order in (lambda bs: bs[::-1], lambda bs: sorted(bs, key=len), lambda bs: bs[1::2] + bs[::2]):
        monkeypatch.setattr(matching, "block_groups", lambda rs, p, order=order: (order(real(rs, p)[0]),
                                                                                real(rs, p)[1]))
        one = matching.match(records)
        two = matching.match(records, workers=2)
        assert _flat(two) == _flat(one)
        assert two.stats["compared"] < sum(len(g) * (len(g) - 1) // 2 for g in order(real(records, matching.VIETNAMESE)[0]))


def test_kept_pairs_limit_raises_as_one_process(records, monkeypatch):
    monkeypatch.setattr(matching, "MIN_MAX_KEPT", 50)
    monkeypatch.setattr(matching, "MAX_KEPT_PER_RECORD", 0)
    with pytest.raises(matching.MatchLimitError) as one:
        matching.match(records)
    monkeypatch.setattr(matching, "PARALLEL_MIN_PAIRS", 0)
    with pytest.raises(matching.MatchLimitError) as two:
        matching.match(records, workers=2)
    assert str(two.value) == str(one.value)
