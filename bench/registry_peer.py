"""Our merge beside Splink 5 (DuckDB) on the same synthetic rolls, in one run.

    .venv/bin/python bench/registry_peer.py [--rows 2700 6000] [--seed 1] [--reps 3] [--json]

Needs the benchmark-only peers: ``pip install 'splink==5.0.0' 'duckdb>=1.1'``.

For each size: :func:`bench.registry_synth.write_rolls` writes the three messy
rolls (TCVN3 / VNI / UTF-8) with the truth known; then, ``--reps`` times each,

* **ours**: :func:`dangbo.registry.merge.merge_files` (read + decode + normalise
  + match; also timed: :func:`dangbo.registry.matching.match` alone on the
  decoded records — the like-for-like matching time);
* **Splink 5 on DuckDB**, fed OUR decoded, normalised records (folded full
  name, folded given name / surname, full name with diacritics, birth date and
  year, national ID, card number, folded home-town commune, sex) with a standard
  configuration:

  - blocking (predictions): national ID; card number; given name + birth year;
    surname + middle name + birth year; full name when a birth year is missing
    — the same blocks as ours;
  - comparisons: name (exact with diacritics / exact folded / Jaro–Winkler
    ≥ 0.92 / ≥ 0.88 / ≥ 0.7 on the folded name), birth date (exact / same
    year), national ID (exact), card (exact), home-town commune (exact /
    Levenshtein ≤ 1 / ≤ 2), sex (exact);
  - training: λ from deterministic rules (same national ID; same card),
    u by ``estimate_u_using_random_sampling``, m by expectation maximisation in
    two sessions (blocked on the folded full name, then on the birth date);
  - predict, then connected components at match probability 0.99 (timed).

Both are scored against the same truth: pairwise precision, recall, F1, wrong
merges (clusters holding more than one true person).  For Splink the best-F1
threshold is also reported (a sweep over thresholds of the same predictions,
clustered by connected components: that needs the truth, so it is an upper
bound for Splink, not something a user could choose).  Times are medians over
``--reps`` runs in this process (wall clock, and CPU time of the process, all
threads — less sensitive to other load on the machine); Splink's time starts from the decoded records
(it does not read the files) and includes training, which a user would
normally do once — ``splink_train_s`` and ``splink_predict_cluster_s`` split it.

Like for like, ``time_ratio_ours_over_splink`` gives (a) ``match``: our ``match()``
over Splink's train + predict + cluster, both on the same decoded records; (b)
``end_to_end``: our ``merge_files`` over the same reading + decoding (measured
as ``merge_files`` − ``match()``; Splink has no reader for these rolls) plus
Splink.  ``goal_met``: F1 at least Splink's at p ≥ 0.99, no more wrong merges,
and both ratios ≤ 0.5.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.registry_synth import RATES, score, write_rolls  # noqa: E402
from dangbo.registry.matching import match  # noqa: E402
from dangbo.registry.merge import merge_files  # noqa: E402

THRESHOLD = 0.99
SWEEP = (0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 0.9999, 0.99999)


# ---------------------------------------------------------------- scoring


def _pairs(groups) -> set[tuple[str, str]]:
    out = set()
    for g in groups:
        out.update(combinations(sorted(g), 2))
    return out


def pair_scores(groups: list[list[str]], key_of: dict[str, str]) -> dict:
    """Pairwise precision / recall / F1 and wrong merges of clusters of refs against the truth."""
    by_key: dict[str, list[str]] = defaultdict(list)
    for ref, k in key_of.items():
        by_key[k].append(ref)
    true_pairs = _pairs(by_key.values())
    pred_pairs = _pairs(groups)
    tp = len(true_pairs & pred_pairs)
    p = tp / len(pred_pairs) if pred_pairs else 1.0
    r = tp / len(true_pairs) if true_pairs else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    wrong = sum(1 for g in groups if len({key_of[x] for x in g}) > 1)
    return {"precision": round(p, 5), "recall": round(r, 5), "f1": round(f1, 5), "wrong_merges": wrong,
            "predicted_pairs": len(pred_pairs), "true_pairs": len(true_pairs)}


def components(n_ids: list[int], edges) -> list[list[int]]:
    parent = {i: i for i in n_ids}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    out: dict[int, list[int]] = defaultdict(list)
    for i in n_ids:
        out[find(i)].append(i)
    return list(out.values())


# ---------------------------------------------------------------- Splink


def splink_frame(records):
    import pandas as pd

    def none(x):
        return x if x not in ("", None) else None

    return pd.DataFrame({
        "unique_id": [r.index for r in records],
        "full_name": [r.full_name.lower() for r in records],
        "name_key": [r.name_key for r in records],
        "given_key": [none(r.given_key) for r in records],
        "surname_key": [none(r.surname_key) for r in records],
        "middle_key": [r.middle_key or "" for r in records],
        "birth_date": [r.birth_date for r in records],
        "birth_year": pd.array([r.birth_year for r in records], dtype="Int64"),
        "national_id": [r.national_id for r in records],
        "card": [r.party_card_no for r in records],
        "commune": [r.commune_key for r in records],
        "sex": [r.sex for r in records],
    })


def splink_settings():
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    name = cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            cll.NullLevel("name_key"),
            cll.ExactMatchLevel("full_name"),
            cll.CustomLevel("name_key_l = name_key_r", "exact folded"),
            cll.JaroWinklerLevel("name_key", 0.92),
            cll.JaroWinklerLevel("name_key", 0.88),
            cll.JaroWinklerLevel("name_key", 0.7),
            cll.ElseLevel(),
        ],
    )
    birth = cl.CustomComparison(
        output_column_name="birth_date",
        comparison_levels=[
            cll.NullLevel("birth_date"),
            cll.CustomLevel("birth_date_l = birth_date_r and length(birth_date_l) = 10", "exact day"),
            cll.CustomLevel("birth_year_l = birth_year_r", "same year"),
            cll.ElseLevel(),
        ],
    )
    return SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("national_id"),
            block_on("card"),
            block_on("given_key", "birth_year"),
            block_on("surname_key", "middle_key", "birth_year"),
            "l.name_key = r.name_key and l.birth_year is null and r.birth_year is null",
        ],
        comparisons=[
            name,
            birth,
            cl.ExactMatch("national_id"),
            cl.ExactMatch("card"),
            cl.LevenshteinAtThresholds("commune", [1, 2]),
            cl.ExactMatch("sex"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def run_splink(records, *, u_pairs: float, seed: int) -> tuple[list[list[int]], list[tuple[int, int, float]], dict]:
    """Train, predict and cluster at THRESHOLD; return (clusters, scored pairs, timings)."""
    from splink import DuckDBAPI, Linker, block_on

    t0 = time.perf_counter()
    df = splink_frame(records)
    db = DuckDBAPI()
    linker = Linker(db.register(df), splink_settings(), log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("national_id"), block_on("card")], recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("name_key"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_date"))
    t1 = time.perf_counter()
    pred = linker.inference.predict(warning_mode="never")
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, threshold_match_probability=THRESHOLD)
    cdf = clustered.as_pandas_dataframe()
    t2 = time.perf_counter()
    groups: dict[object, list[int]] = defaultdict(list)
    for uid, cid in zip(cdf["unique_id"], cdf["cluster_id"], strict=True):
        groups[cid].append(int(uid))
    pdf = pred.as_pandas_dataframe()
    scored = list(zip(pdf["unique_id_l"].astype(int), pdf["unique_id_r"].astype(int), pdf["match_probability"], strict=True))
    return list(groups.values()), scored, {"train_s": t1 - t0, "predict_cluster_s": t2 - t1, "total_s": t2 - t0}


# ---------------------------------------------------------------- one size


def bench_size(rows: int, seed: int, reps: int, u_pairs: float, directory: Path) -> dict:
    persons = max(3, round(rows / (1 + RATES["transferred"] + RATES["typed_twice"])))
    paths, truth = write_rolls(directory, persons, seed)
    ours_t, ours_cpu, match_t, sp_t, sp_cpu, sp_train, sp_pc = [], [], [], [], [], [], []
    result = None
    for _ in range(reps):
        t0, c0 = time.perf_counter(), time.process_time()
        result = merge_files(paths)
        ours_t.append(time.perf_counter() - t0)
        ours_cpu.append(time.process_time() - c0)
        t0 = time.perf_counter()
        match(result.records)
        match_t.append(time.perf_counter() - t0)
    records = result.records
    ref_of = {r.index: r.ref for r in records}
    key_of = {r.ref: truth[r.ref].key for r in records}
    ours = pair_scores([p["sources"].split(";") for p in result.persons], key_of)
    synth = score(result, truth)
    assert (synth["precision"], synth["recall"]) == (round(ours["precision"], 5), round(ours["recall"], 5))
    ours.update(time_s=round(statistics.median(ours_t), 3), cpu_s=round(statistics.median(ours_cpu), 3),
                match_only_s=round(statistics.median(match_t), 3),
                read_decode_s=round(statistics.median(ours_t) - statistics.median(match_t), 3),
                blocking_recall=synth["blocking_recall"], comparisons_per_record=synth["comparisons_per_record"],
                review_pairs=synth["review_pairs"], review_pairs_true=synth["review_pairs_true"])

    clusters = scored = None
    for _ in range(reps):
        c0 = time.process_time()
        clusters, scored, t = run_splink(records, u_pairs=u_pairs, seed=seed)
        sp_cpu.append(time.process_time() - c0)
        sp_t.append(t["total_s"])
        sp_train.append(t["train_s"])
        sp_pc.append(t["predict_cluster_s"])
    splink = pair_scores([[ref_of[i] for i in g] for g in clusters], key_of)
    # Sanity: our connected components at THRESHOLD give Splink's clusters.
    ids = [r.index for r in records]
    own = components(ids, [(a, b) for a, b, p in scored if p >= THRESHOLD])
    assert sorted(map(sorted, own)) == sorted(map(sorted, clusters)), "cluster mismatch"
    # Like for like: both matchers start from the same decoded records.  Matching: our match() vs
    # Splink's train + predict + cluster.  End to end: the same reading and decoding (ours: Splink
    # has no reader for these files) followed by either matcher.
    read_decode = statistics.median(ours_t) - statistics.median(match_t)
    splink.update(end_to_end_s=round(read_decode + statistics.median(sp_t), 3))
    ratios = {"match": round(statistics.median(match_t) / statistics.median(sp_t), 4),
              "end_to_end": round(statistics.median(ours_t) / (read_decode + statistics.median(sp_t)), 4)}
    splink.update(threshold=THRESHOLD, time_s=round(statistics.median(sp_t), 3), cpu_s=round(statistics.median(sp_cpu), 3),
                  train_s=round(statistics.median(sp_train), 3),
                  predict_cluster_s=round(statistics.median(sp_pc), 3), compared_pairs=len(scored),
                  comparisons_per_record=round(len(scored) / len(records), 2))
    sweep = []
    for th in SWEEP:
        g = components(ids, [(a, b) for a, b, p in scored if p >= th])
        s = pair_scores([[ref_of[i] for i in x] for x in g], key_of)
        sweep.append(dict(threshold=th, **{k: s[k] for k in ("precision", "recall", "f1", "wrong_merges")}))
    best = max(sweep, key=lambda s: (s["f1"], s["threshold"]))
    return {"rows": len(truth), "records": len(records), "true_persons": len(set(key_of.values())), "seed": seed,
            "reps": reps, "ours": ours, "splink": splink, "splink_best_f1": best, "splink_sweep": sweep,
            "time_ratio_ours_over_splink": ratios,
            "goal_met": bool(ours["f1"] >= splink["f1"] and ours["wrong_merges"] <= splink["wrong_merges"]
                             and ratios["match"] <= 0.5 and ratios["end_to_end"] <= 0.5)}


def table(results: list[dict]) -> str:
    head = ("rows", "engine", "precision", "recall", "F1", "wrong merges", "matching s (median)",
            "read + decode + matching s", "CPU s (all threads)")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        o, s, b = r["ours"], r["splink"], r["splink_best_f1"]
        lines.append(f"| {r['rows']} | dangbo match() | {o['precision']:.4f} | {o['recall']:.4f} "
                     f"| {o['f1']:.4f} | {o['wrong_merges']} | {o['match_only_s']:.3f} | {o['time_s']:.3f} "
                     f"| {o['cpu_s']:.3f} |")
        lines.append(f"| {r['rows']} | Splink 5 / DuckDB @ p≥{s['threshold']} | {s['precision']:.4f} "
                     f"| {s['recall']:.4f} | {s['f1']:.4f} | {s['wrong_merges']} | {s['time_s']:.3f} "
                     f"(train {s['train_s']:.3f} + predict/cluster {s['predict_cluster_s']:.3f}) "
                     f"| {s['end_to_end_s']:.3f} | {s['cpu_s']:.3f} |")
        lines.append(f"| {r['rows']} | Splink best-F1 (p≥{b['threshold']}, chosen with the truth) "
                     f"| {b['precision']:.4f} | {b['recall']:.4f} | {b['f1']:.4f} | {b['wrong_merges']} | — | — | — |")
        q = r["time_ratio_ours_over_splink"]
        lines.append(f"| {r['rows']} | **ours / Splink time** | | | | | **{q['match']:.3f}** | **{q['end_to_end']:.3f}** "
                     f"| goal (≥ quality, ≤ 0.5 time) {'met' if r['goal_met'] else 'NOT met'} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[2700, 6000])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--u-pairs", type=float, default=1e7, help="max_pairs for estimate_u_using_random_sampling")
    ap.add_argument("--json", action="store_true")
    o = ap.parse_args(argv)
    logging.getLogger("splink").setLevel(logging.ERROR)
    import duckdb
    import splink

    results = []
    for rows in o.rows:
        with tempfile.TemporaryDirectory() as t:
            results.append(bench_size(rows, o.seed, o.reps, o.u_pairs, Path(t)))
    versions = {"splink": splink.__version__, "duckdb": duckdb.__version__}
    if o.json:
        print(json.dumps({"versions": versions, "results": results}, ensure_ascii=False))
    else:
        print(f"Splink {versions['splink']}, DuckDB {versions['duckdb']}; seed {o.seed}; medians of {o.reps} runs")
        print(table(results))
        for r in results:
            print(f"\n{r['rows']} rows: ours blocking recall {r['ours']['blocking_recall']}, "
                  f"{r['ours']['comparisons_per_record']} comparisons/record, review pairs "
                  f"{r['ours']['review_pairs']} ({r['ours']['review_pairs_true']} true); Splink "
                  f"{r['splink']['comparisons_per_record']} comparisons/record")
            print("  Splink sweep: " + ", ".join(f"p≥{s['threshold']}: P {s['precision']:.4f} R {s['recall']:.4f} "
                                                f"F1 {s['f1']:.4f} wrong {s['wrong_merges']}"
                                                for s in r["splink_sweep"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
