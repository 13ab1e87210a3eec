"""The merge end to end at scale: write the synthetic rolls as CSV files and time `dangbo registry merge`.

    .venv/bin/python bench/registry_cli_scale.py --rows 1000000 --dir /tmp/rolls1m [--reuse]

Complements `registry_synth.py --core` (the matching core alone on decoded records): here the
clock covers everything the command does — reading the files, finding the headers, decoding and
normalising every value, matching, writing persons.csv / review.csv / report.json. The rows are the
synthetic generator's messy values (same rates) written as three CSV rolls, one per predecessor, each
split into files of at most 100,000 rows (the readers' limit of filled cells per file);
xlsx rolls of a million rows are not what offices keep, and openpyxl's reading alone would dominate.
Generating the files is timed apart and not counted (``--reuse``: keep the rolls already in --dir,
written by an earlier run with the same --rows and --seed). The load average before the merge is
printed with the figures (the machine is shared).
"""

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import registry_synth as S  # noqa: E402

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Số thẻ đảng viên", "Quê quán", "Chi bộ",
          "Ngày vào Đảng", "Ngày chính thức"]


#: Rows per CSV file: a roll is written as parts of at most this many rows, each within the readers'
#: limit of filled cells per file (``dangbo.registry.limits.MAX_CELLS``: 10 columns × 100,000 rows).
ROWS_PER_FILE = 100_000


def write_rolls(rows: int, seed: int, out: Path) -> list[Path]:
    persons = max(3, round(rows / (1 + S.RATES["transferred"] + S.RATES["typed_twice"])))
    people, extra = S.make_people(persons, seed)
    rng = random.Random(f"{seed}-cli")
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("tinh-*.csv"):
        old.unlink()
    paths = []
    for n, roll in enumerate(S.plan_rows(people, seed)):
        for part, start in enumerate(range(0, len(roll), ROWS_PER_FILE), start=1):
            path = out / f"tinh-{'abc'[n]}-{part}.csv"
            with path.open("w", encoding="utf-8-sig", newline="") as f:
                w = csv.writer(f, delimiter=";" if n == 2 else ",", lineterminator="\r\n")
                w.writerow(HEADER)
                for i, (p, copy) in enumerate(roll[start:start + ROWS_PER_FILE], start=start + 1):
                    v, _, _ = S.row_values(p, copy, extra, rng, False)
                    w.writerow([i, v["name"], v["birth"], v["sex"], v["nid"], v["card"], v["home"], v["org"],
                                v["admission"], v["official"]])
            paths.append(path)
    return paths


def stages(files: list[Path], out: Path) -> dict:
    """The CLI merge's calls (two workers, the cyclic collector off) timed per stage: wall, this process's
    CPU and the forked processes' CPU (user + sys).  ``idle_estimate_s``: the sum over stages of the larger
    CPU of the two — a lower bound of the wall time on a machine with both cores free."""
    import gc
    import shutil

    from dangbo.registry import merge as M

    def now():
        me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.perf_counter(), me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime

    shutil.rmtree(out, ignore_errors=True)
    gc.disable()
    marks = {"start": now()}
    plain = M.match
    combined = hasattr(M, "_read_part")  # since issue 15's fourth round: a roll read and normalised together
    if not combined:
        reads = M.read_files(files, workers=2)
        marks["read"] = now()

    def timed(*a, **kw):
        marks["read_records" if combined else "records"] = now()
        result = plain(*a, **kw)
        marks["match"] = now()
        return result

    M.match = timed
    try:
        result = M.merge_files(files, workers=2) if combined else M.merge_reads(reads, workers=2)
    finally:
        M.match = plain
    marks["persons"] = now()
    M.write_outputs(result, out)
    marks["write"] = now()
    names = list(marks)
    rows = {b: [round(marks[b][i] - marks[a][i], 1) for i in range(3)] for a, b in zip(names, names[1:], strict=False)}
    return {"stages_wall_cpu_forked": rows, "idle_estimate_s": round(sum(max(r[1], r[2]) for r in rows.values()), 1),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dir", default="/tmp/dangbo-rolls-scale")
    ap.add_argument("--reuse", action="store_true", help="keep the rolls already written in --dir")
    ap.add_argument("--stages", action="store_true",
                    help="instead of the CLI: the same calls in this process, per stage wall and CPU (this / forked)")
    args = ap.parse_args()
    folder = Path(args.dir)
    t0 = time.perf_counter()
    files = sorted(folder.glob("tinh-*-*.csv"))
    if not (args.reuse and files):
        files = write_rolls(args.rows, args.seed, folder)
    t_gen = time.perf_counter() - t0
    load = os.getloadavg()[0]
    if args.stages:
        print(json.dumps(dict(stages(files, folder / "out-stages"), load_before=round(load, 2),
                              load_after=round(os.getloadavg()[0], 2))))
        return
    dangbo = Path(sys.executable).parent / "dangbo"
    t0 = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([str(dangbo), "registry", "merge", *map(str, files), "--out", str(folder / "out")],
                   check=True, stdout=subprocess.DEVNULL)
    t_merge = time.perf_counter() - t0
    # CPU (user + sys) of the merge and the processes it forked (reaped, so counted in its children);
    # peak RSS: the largest of them (the generator runs in this process, not a child)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    report = json.loads((folder / "out" / "report.json").read_text(encoding="utf-8"))
    with (folder / "out" / "persons.csv").open(encoding="utf-8") as f:
        persons = sum(1 for _ in f) - 1
    with (folder / "out" / "review.csv").open(encoding="utf-8") as f:
        review = sum(1 for _ in f) - 1
    print(json.dumps({"rows_written": sum(sum(1 for _ in p.open(encoding="utf-8-sig")) - 1 for p in files),
                      "totals": report.get("totals"), "persons": persons, "review_pairs": review,
                      "generate_s": round(t_gen, 1), "merge_cli_s": round(t_merge, 1),
                      "merge_cpu_s": round(cpu, 1), "merge_peak_rss_mb": after.ru_maxrss // 1024,
                      "load_before": round(load, 2), "load_after": round(os.getloadavg()[0], 2)},
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
