"""The national merge plan measured: per province, then ID and card across provinces (issue 15).

    .venv/bin/python bench/registry_national.py --provinces 10 --rows 100000 --dir /tmp/national [--reuse]

5.9 M members do not fit one merge in 8 GB (a run holds ≈ 3 GB per million rows), and comparing
namesakes across the whole country would drown the queue.  The plan, run here end to end:

1. **Each province alone** — `merge_files` on the province's rolls (the full blocking: ID, card, name +
   birth year, birth date + commune), its outputs written (`write_outputs`, as `dangbo registry merge`
   does), then only a compact index kept: each record's ID / old CMND / card → the province, and the
   province's records pickled to disk.  Memory is one province at a time plus the index.
2. **Across provinces, numbers and one name block** — the keys seen in two provinces or more; the
   records carrying one are loaded back and compared by the same matcher with only the ID / CMND /
   card blocks and (session 8) the ``xp`` block: folded full name + birth year + admission day
   (:func:`cross_keys`; a transfer whose ID is missing and whose card was re-issued shares no number).
   Namesakes in two provinces are compared only when they also share the admission day.  A
   cross-province merge joins the two province persons (refused when it would put two different IDs in
   one person, as the matcher's own guard does); a pair met through ``xp`` alone merges only with the
   full birth date and commune agreeing too, else it is queued (:func:`cross_decision`); a review pair
   is queued.

Rolls: the synthetic generator (`registry_synth`: its people, rates and mess) per province — each
province its own people (seed ``seed * 1000 + province``) on three CSV rolls as
`registry_cli_scale.py` writes them — and ``--transfer`` of each province's members also on the next
province's first roll (a new messy row: ID missing at the generator's rate, a re-issued card half the
time).  The truth (row → person) is kept in ``truth.json``; the script reports the found recall of the
cross-province transfers (merged or queued), wrong cross-province merges, wall, CPU (this process
and its forked readers) and peak RSS.  Generating the rolls is timed apart (``--reuse`` keeps them).
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import pickle
import random
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import registry_cli_scale as C  # noqa: E402
import registry_synth as S  # noqa: E402

from dangbo.registry import matching  # noqa: E402
from dangbo.registry.merge import merge_files, write_outputs  # noqa: E402
from dangbo.registry.records import Record  # noqa: E402

#: The blocks compared across provinces: the identifying numbers, and (session 8) ``xp`` — the folded
#: full name, the birth year and the party admission day (:func:`cross_keys`).
CROSS_KINDS = ("id", "cmnd", "card", "xp")


#: The matcher's own blocks (stage 2 swaps ``matching.block_keys`` for :func:`cross_keys` while it runs).
_BLOCK_KEYS = matching.block_keys


def cross_keys(r: Record) -> list[tuple]:
    """The keys a record is compared on across provinces: its ID, old CMND and card (the matcher's own
    blocks), and ``("xp", folded full name, birth year, admission day)`` when the admission day is known
    to the day (DOMAIN MEM-1: a fact of the member's record, on each of their rolls; namesakes of two
    provinces almost never share it).  The birth year, not the full date, so that a row born "1978" or
    with day and month exchanged still meets the member's other rows; what merges is decided in
    :func:`cross_decision`.  A transfer whose ID is missing on one roll and whose card was re-issued
    shares no number (issue 15: 104 of 1,722 transfers at 4 × 25 k) — this block finds them."""
    keys = [k for k in _BLOCK_KEYS(r) if k[0] in ("id", "cmnd", "card")]
    if r.birth_year is not None and r.admission_date and len(r.admission_date) == 10:
        keys.append(("xp", r.name_key, r.birth_year, r.admission_date))
    return keys


def _shares_number(a: Record, b: Record) -> bool:
    return bool((a.national_id and a.national_id == b.national_id) or (a.cmnd and a.cmnd == b.cmnd)
                or (a.party_card_no and a.party_card_no == b.party_card_no))


def cross_decision(c: matching.Comparison, a: Record, b: Record) -> str:
    """What a cross-province pair becomes: ``merge``, ``review`` or ``apart``.

    A pair sharing an ID, CMND or card: the matcher's decision (as before).  A pair met only through the
    ``xp`` block (the same folded name, birth year and admission day, no shared number) merges only
    when the matcher merges it **and** the full birth date and the home-town commune agree too — four
    facts of the record, none disagreeing (different IDs or sexes are vetoed by the matcher; two cards
    only when re-issue is possible, :func:`matching._reissue_possible`); otherwise a merge or review
    verdict is queued for a human (an exact namesake match across provinces with no number and no
    commune to confirm it is not merged), and the rest (another birth day with nothing else) stays apart."""
    if c.decision not in (matching.MERGE, matching.REVIEW):
        return "apart"
    if _shares_number(a, b):
        return "merge" if c.decision == matching.MERGE else "review"
    f = c.fields
    if (c.decision == matching.MERGE and f["birth_date"] == "same" and f.get("admission_date") == "same"
            and f["home_town"] == "same_commune"):
        return "merge"
    return "review"


def _prov(file: str) -> int:
    """``p07-a-1.csv`` → 7."""
    return int(file[1:3])


def write_province(out: Path, k: int, rows: int, seed: int, transfer: float,
                   incoming: list, truth: dict[str, str]) -> list:
    """Write province ``k``'s rolls (with the members transferred in from the previous province on roll
    a); return the members that move on to the next province."""
    persons = max(3, round(rows / (1 + S.RATES["transferred"] + S.RATES["typed_twice"])))
    people, extra = S.make_people(persons, seed * 1000 + k)
    rng = random.Random(f"{seed}-{k}-national")
    rolls = S.plan_rows(people, seed * 1000 + k)
    rolls[0] = rolls[0] + [(p, True, e, key) for p, e, key in incoming]
    rng.shuffle(rolls[0])
    for n, roll in enumerate(rolls):
        for part, start in enumerate(range(0, len(roll), C.ROWS_PER_FILE), start=1):
            name = f"p{k:02d}-{'abc'[n]}-{part}.csv"
            with (out / name).open("w", encoding="utf-8-sig", newline="") as f:
                w = csv.writer(f, delimiter=";" if n == 2 else ",", lineterminator="\r\n")
                w.writerow(C.HEADER)
                for i, item in enumerate(roll[start:start + C.ROWS_PER_FILE], start=start + 1):
                    if len(item) == 4:  # transferred in: the person's own values from their province
                        p, copy, e, key = item
                        x = {p.national_id: e}
                    else:
                        (p, copy), x, key = item, extra, f"{k}:{item[0].national_id}"
                    v, _, _ = S.row_values(p, copy, x, rng, False)
                    w.writerow([i, v["name"], v["birth"], v["sex"], v["nid"], v["card"], v["home"], v["org"],
                                v["admission"], v["official"]])
                    truth[f"{name}:{i - start + 1}"] = key  # the header is line 1
    return [(p, extra[p.national_id], f"{k}:{p.national_id}") for p in people if rng.random() < transfer]


def generate(out: Path, provinces: int, rows: int, seed: int, transfer: float) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("p*-*.csv"):
        old.unlink()
    truth: dict[str, str] = {}
    moving: list = []
    for k in range(provinces):
        moving = write_province(out, k, rows, seed, transfer, moving, truth)
    first = moving  # the last province's movers close the ring on province 0 (a fourth roll there)
    if provinces > 1:
        rng = random.Random(f"{seed}-ring")
        name = "p00-d-1.csv"
        with (out / name).open("w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f, lineterminator="\r\n")
            w.writerow(C.HEADER)
            for i, (p, e, key) in enumerate(first, start=1):
                v, _, _ = S.row_values(p, True, {p.national_id: e}, rng, False)
                w.writerow([i, v["name"], v["birth"], v["sex"], v["nid"], v["card"], v["home"], v["org"],
                            v["admission"], v["official"]])
                truth[f"{name}:{i + 1}"] = key
    (out / "truth.json").write_text(json.dumps(truth), encoding="utf-8")


def _rss_mb() -> tuple[int, int]:
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)


def _cpu() -> float:
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def run_plan(folder: Path, workers: int) -> dict:
    """Stage 1 per province, then stage 2 across provinces; figures and the cross-province outcome."""
    files = sorted(folder.glob("p*-*.csv"))
    by_prov: dict[int, list[Path]] = defaultdict(list)
    for f in files:
        by_prov[_prov(f.name)].append(f)
    work = folder / "work"
    work.mkdir(exist_ok=True)
    key_prov: dict[tuple, int] = {}  # cross key → province, or -1 when seen in two or more
    person_of: dict[str, str] = {}  # ref → "province:person_id"
    per_prov = []
    t0, c0 = time.perf_counter(), _cpu()
    gc.disable()  # as the CLI does: millions of objects, no cycles worth collecting
    for k, paths in sorted(by_prov.items()):
        tw, tc = time.perf_counter(), _cpu()
        result = merge_files(paths, workers=workers)
        write_outputs(result, work / f"out-{k:02d}")
        for p in result.persons:
            pid = f"{k}:{p['person_id']}"
            for ref in p["sources"].split(";"):
                person_of[ref] = pid
        for r in result.records:
            for key in cross_keys(r):
                seen = key_prov.get(key)
                key_prov[key] = k if seen is None or seen == k else -1
        with (work / f"records-{k:02d}.pickle").open("wb") as f:
            pickle.dump(result.records, f, protocol=pickle.HIGHEST_PROTOCOL)
        per_prov.append({"province": k, "rows": len(result.records), "persons": len(result.persons),
                         "review_pairs": len(result.review_pairs), "wall_s": round(time.perf_counter() - tw, 1),
                         "cpu_s": round(_cpu() - tc, 1)})
        print(json.dumps(per_prov[-1]), file=sys.stderr, flush=True)
        del result
    stage1 = (time.perf_counter() - t0, _cpu() - c0)
    # Stage 2: the records holding a key seen in two provinces, matched on those keys alone.
    t1, c1 = time.perf_counter(), _cpu()
    shared = {key for key, k in key_prov.items() if k == -1}
    keys_indexed = len(key_prov)
    del key_prov
    chosen = []
    for k in sorted(by_prov):
        with (work / f"records-{k:02d}.pickle").open("rb") as f:
            recs = pickle.load(f)
        chosen += [r for r in recs if any(key in shared for key in cross_keys(r))]
        del recs
    for i, r in enumerate(chosen):
        r.index = i
    plain = matching.block_keys
    matching.block_keys = lambda r, profile=matching.VIETNAMESE: cross_keys(r)
    try:
        cross = matching.match(chosen, workers=workers)
    finally:
        matching.block_keys = plain
    # Province persons joined by the cross-province merges (two IDs never meet in one person).
    parent: dict[str, str] = {}
    ids: dict[str, set] = defaultdict(set)
    for r in chosen:
        if r.national_id:
            ids[person_of[r.ref]].add(r.national_id)

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    merged = refused = by_name = 0
    review_links = []
    for c in cross.merged:
        a, b = chosen[c.a], chosen[c.b]
        if a.file[:3] == b.file[:3]:
            continue  # the same province: decided in stage 1
        if cross_decision(c, a, b) == "review":
            review_links.append((a.ref, b.ref))
            continue
        pa, pb = find(person_of[a.ref]), find(person_of[b.ref])
        if pa == pb:
            continue
        if len(ids[pa] | ids[pb]) > 1:
            refused += 1
            review_links.append((a.ref, b.ref))
            continue
        parent[pb] = pa
        ids[pa] |= ids[pb]
        merged += 1
        by_name += not _shares_number(a, b)
    for c in cross.review + cross.refused:
        a, b = chosen[c.a], chosen[c.b]
        if a.file[:3] != b.file[:3]:
            review_links.append((a.ref, b.ref))
    stage2 = (time.perf_counter() - t1, _cpu() - c1)
    return {"per_province": per_prov, "stage1": stage1, "stage2": stage2, "person_of": person_of, "find": find,
            "review_links": review_links, "cross_records": len(chosen), "shared_keys": len(shared),
            "keys_indexed": keys_indexed, "cross_merges": merged, "cross_merges_without_number": by_name,
            "cross_refused": refused,
            "cross_comparisons": cross.comparisons}


def score(folder: Path, plan: dict) -> dict:
    """Transfers (a person on rolls of two provinces): found when their rows are one national person
    (merged) or a cross-province review pair links them; wrong merges: two truth persons joined."""
    truth: dict[str, str] = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    person_of, find = plan["person_of"], plan["find"]
    rows_of: dict[str, list[str]] = defaultdict(list)
    for ref, key in truth.items():
        rows_of[key].append(ref)
    linked = {frozenset((find(person_of[a]), find(person_of[b]))) for a, b in plan["review_links"]}
    transfers = found = merged = 0
    missed: list[tuple[str, list[str]]] = []
    for key, refs in rows_of.items():
        provs = {_prov(ref) for ref in refs}
        if len(provs) < 2 or any(ref not in person_of for ref in refs):
            continue
        transfers += 1
        nat = {find(person_of[ref]) for ref in refs}
        if len(nat) == 1:
            merged += 1
            found += 1
        elif all(frozenset((x, y)) in linked or x == y for x in nat for y in nat):
            found += 1
        else:
            missed.append((key, refs))
    members: dict[str, set] = defaultdict(set)
    for ref, pid in person_of.items():
        members[find(pid)].add(truth.get(ref))
    wrong = sum(1 for keys in members.values() if len(keys) > 1)
    return {"transfers": transfers, "transfers_merged": merged, "transfers_found": found,
            "missed_by_kind": _missed_by_kind(folder, missed),
            "transfer_found_recall": round(found / transfers, 5) if transfers else None,
            "persons_with_two_truth_persons": wrong}


def _missed_by_kind(folder: Path, missed: list[tuple[str, list[str]]]) -> dict[str, int]:
    """Why the transfers not found were not: their rows of the two provinces share no ID, CMND or card
    (which side lacks one), or they do (then the matcher kept them apart)."""
    wanted = {ref for _, refs in missed for ref in refs}
    recs = {}
    for path in sorted((folder / "work").glob("records-*.pickle")):
        with path.open("rb") as f:
            recs.update((r.ref, r) for r in pickle.load(f) if r.ref in wanted)
    kinds: dict[str, int] = defaultdict(int)
    for key, refs in missed:
        home = int(key.split(":")[0])
        a = [recs[r] for r in refs if _prov(r) == home]
        b = [recs[r] for r in refs if _prov(r) != home]
        if any((x.national_id and x.national_id == y.national_id) or (x.cmnd and x.cmnd == y.cmnd)
               or (x.party_card_no and x.party_card_no == y.party_card_no) for x in a for y in b):
            kinds["a shared number, kept apart"] += 1
            continue
        ids = "ID missing on one side" if not all(any(r.national_id for r in side) for side in (a, b)) \
            else "IDs differ"
        cards = "card missing on one side" if not all(any(r.party_card_no for r in side) for side in (a, b)) \
            else "cards differ"
        kinds[f"no shared number: {ids}, {cards}"] += 1
    return dict(sorted(kinds.items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--provinces", type=int, default=10)
    ap.add_argument("--rows", type=int, default=100_000, help="rows per province (before transfers in)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--transfer", type=float, default=0.02, help="share of a province's members also on the next")
    ap.add_argument("--dir", default="/tmp/dangbo-national")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--reuse", action="store_true", help="keep the rolls already written in --dir")
    args = ap.parse_args()
    folder = Path(args.dir)
    t0 = time.perf_counter()
    if not (args.reuse and (folder / "truth.json").exists()):
        generate(folder, args.provinces, args.rows, args.seed, args.transfer)
    t_gen = time.perf_counter() - t0
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    plan = run_plan(folder, args.workers)
    wall = time.perf_counter() - t0
    quality = score(folder, plan)
    rss_self, rss_children = _rss_mb()
    rows = sum(p["rows"] for p in plan["per_province"])
    print(json.dumps({
        "provinces": len(plan["per_province"]), "rows": rows, "generate_s": round(t_gen, 1),
        "plan_wall_s": round(wall, 1), "stage1_wall_s": round(plan["stage1"][0], 1),
        "stage1_cpu_s": round(plan["stage1"][1], 1), "stage2_wall_s": round(plan["stage2"][0], 1),
        "stage2_cpu_s": round(plan["stage2"][1], 1), "peak_rss_mb": rss_self, "peak_rss_children_mb": rss_children,
        "keys_indexed": plan["keys_indexed"], "shared_keys": plan["shared_keys"],
        "cross_records": plan["cross_records"], "cross_comparisons": plan["cross_comparisons"],
        "cross_merges": plan["cross_merges"], "cross_merges_without_number": plan["cross_merges_without_number"],
        "cross_refused": plan["cross_refused"],
        "cross_review_pairs": len(plan["review_links"]), **quality,
        "load_before": round(load, 2), "load_after": round(os.getloadavg()[0], 2),
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
