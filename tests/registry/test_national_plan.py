"""bench/registry_national.py: the national plan on a few small provinces (issue 15)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import registry_national as N  # noqa: E402


def test_national_plan_finds_transfers_by_number_only(tmp_path):
    N.generate(tmp_path, provinces=3, rows=400, seed=2, transfer=0.1)
    plan = N.run_plan(tmp_path, workers=1)
    quality = N.score(tmp_path, plan)
    assert [p["province"] for p in plan["per_province"]] == [0, 1, 2]
    assert quality["transfers"] > 50  # members on the rolls of two provinces (the ring included)
    assert quality["persons_with_two_truth_persons"] == 0
    assert 0.8 <= quality["transfer_found_recall"] <= 1.0
    assert plan["cross_merges"] >= quality["transfers_merged"]
    # across provinces only the records holding a number seen in two provinces are compared
    assert 0 < plan["cross_records"] < sum(p["rows"] for p in plan["per_province"]) / 2
    assert plan["shared_keys"] > 0
    # the matcher's own blocks are back after the plan (name + birth year blocks, not numbers only)
    assert {k[0] for k in N.matching.block_keys(plan_record(tmp_path))} - set(N.CROSS_KINDS)


def plan_record(folder):
    """A record of the first province, to check the matcher's own blocks are back after the plan."""
    import pickle

    with (folder / "work" / "records-00.pickle").open("rb") as f:
        return pickle.load(f)[0]
