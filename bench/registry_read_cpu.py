"""CPU of reading and normalising rolls (``read_file`` + ``make_record``), this code against a peer, interleaved.

    .venv/bin/python bench/registry_read_cpu.py /tmp/s7rolls200k/tinh-a-1.csv --peer /tmp/before/src --runs 5

Each run is a fresh process (cold caches, as in a merge) reading every file given and making its records,
the cyclic collector off as in the command; the CPU (user + sys of that process) of the two stages is
printed per run and as medians, with the ratio and the load average (the machine is shared: CPU time is
what to compare, not wall time).  ``--peer``: a ``src`` folder of other code (e.g. ``git archive <commit>
src``), run alternately with this one.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import gc, json, sys, time
from dangbo.registry.readers import read_file
from dangbo.registry.records import make_record
gc.disable()
read = rec = 0.0
for path in sys.argv[1:]:
    t0 = time.process_time()
    fr = read_file(path)
    t1 = time.process_time()
    made = [make_record(row, 0, fr.file) for row in fr.rows]
    t2 = time.process_time()
    read, rec = read + t1 - t0, rec + t2 - t1
print(json.dumps({"read": read, "records": rec}))
"""


def run(files: list[str], src: str | None) -> dict:
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src
    out = subprocess.run([sys.executable, "-c", CHILD, *files], env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+")
    ap.add_argument("--peer", help="src folder of the code to compare with")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    here = str(Path(__file__).resolve().parents[1] / "src")
    sides = {"this": here, **({"peer": args.peer} if args.peer else {})}
    got: dict[str, list[dict]] = {k: [] for k in sides}
    loads = [os.getloadavg()[0]]
    for _ in range(args.runs):
        for name, src in sides.items():
            got[name].append(run(args.files, src))
            print(name, json.dumps({k: round(v, 2) for k, v in got[name][-1].items()}), flush=True)
        loads.append(os.getloadavg()[0])
    med = {name: {k: round(statistics.median(r[k] for r in runs), 2) for k in ("read", "records")}
           for name, runs in got.items()}
    summary = {"medians_cpu_s": med, "load_1min": [round(x, 1) for x in loads]}
    if "peer" in med:
        summary["ratio_this_over_peer"] = {k: round(med["this"][k] / med["peer"][k], 2) for k in ("read", "records")}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
