"""Time `dangbo cell warnings` (MTG-8) on large attendance and payments files.

    .venv/bin/python bench/meetings_warnings.py --members 100000 [--dir /tmp/mtg] [--reps 3]

Writes A.csv (every member × 12 months of 2026, ~1.5 % absent without reason, a few two-meeting
months) and P.csv (every member × 12 months, ~1 % unpaid), then runs the command as a subprocess
`--reps` times and prints the median wall seconds, rows read and warnings found (JSON).
"""

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path


def write(folder: Path, members: int, seed: int = 1) -> tuple[Path, Path, int]:
    rng = random.Random(seed)
    a, p = folder / "A.csv", folder / "P.csv"
    rows = 0
    with a.open("w") as fa, p.open("w") as fp:
        fa.write("member,month,status\n")
        fp.write("member,month,paid\n")
        for i in range(members):
            for m in range(1, 13):
                r = rng.random()
                status = "absent" if r < 0.015 else "excused" if r < 0.06 else "present"
                fa.write(f"m{i},2026-{m:02d},{status}\n")
                rows += 1
                if m % 3 == 0:  # a thematic meeting too
                    fa.write(f"m{i},2026-{m:02d},present\n")
                    rows += 1
                fp.write(f"m{i},2026-{m:02d},{'no' if rng.random() < 0.01 else 'yes'}\n")
                rows += 1
    return a, p, rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument("--dir", default="/tmp/meetings-bench")
    ap.add_argument("--reps", type=int, default=3)
    o = ap.parse_args()
    folder = Path(o.dir)
    folder.mkdir(parents=True, exist_ok=True)
    a, p, rows = write(folder, o.members)
    times, out = [], None
    for _ in range(o.reps):
        t = time.perf_counter()
        r = subprocess.run([sys.executable, "-c", "from dangbo.cli import main; main()", "cell", "warnings",
                            "--attendance", str(a), "--payments", str(p), "--year", "2026", "--json"],
                           capture_output=True, text=True, check=True)
        times.append(time.perf_counter() - t)
        out = json.loads(r.stdout)
    print(json.dumps({"members": o.members, "rows": rows, "warnings": len(out["warnings"]),
                      "median_s": round(statistics.median(times), 2), "runs_s": [round(x, 2) for x in times]}))


if __name__ == "__main__":
    main()
