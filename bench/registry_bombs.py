"""Peak memory and time of `dangbo registry merge` on hostile rolls (issue 9).

    .venv/bin/python bench/registry_bombs.py [--dir /tmp/registry-bombs] [--cap-gb 6] [--json]

Builds the hostile files of ``tests/registry/bombs.py`` (a roll whose rows reach column XFD — 2,000
and 20,000 rows —, 300 MB of whitespace inside a sheet, one 64 MB shared string, an .xls whose rows
reach column IV, one row pasted 20,000 times) and runs the command on each in a child process, under
an address-space cap (``prlimit --as``, so the code of before issue 9 fails with MemoryError instead
of taking the machine). For each: the peak resident size of the child
(``getrusage(RUSAGE_CHILDREN).ru_maxrss`` of a wrapper that runs only it), exit status, seconds and
the last line of its stderr. ``PYTHONPATH=<old src>`` measures older code with the same files.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.registry import bombs as B  # noqa: E402

_WRAPPER = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
last = (done.stderr.strip().splitlines() or [""])[-1]
print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, last, sep="\\t")
"""

BUILDERS = {
    "xfd-2000-rows.xlsx": lambda d: B.xfd_rows(d, rows=2_000, value="x", name="xfd-2000-rows.xlsx"),
    "xfd-20000-rows.xlsx": lambda d: B.xfd_rows(d, rows=20_000, value="x", name="xfd-20000-rows.xlsx"),
    "xfd-blank-20000-rows.xlsx": lambda d: B.xfd_rows(d, rows=20_000, value=" ", name="xfd-blank-20000-rows.xlsx"),
    "whitespace-300MB.xlsx": lambda d: B.whitespace(d, megabytes=300, name="whitespace-300MB.xlsx"),
    "shared-string-64MB.xlsx": lambda d: B.huge_shared_string(d, megabytes=64, name="shared-string-64MB.xlsx"),
    "last-column.xls": lambda d: B.wide_xls(d, name="last-column.xls"),
    "pasted-20000.csv": lambda d: B.repeated_rows(d, rows=20_000, name="pasted-20000.csv"),
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", default="/tmp/registry-bombs")
    ap.add_argument("--cap-gb", type=float, default=6.0, help="address-space cap of the child (prlimit --as)")
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("--json", action="store_true")
    o = ap.parse_args()
    folder = Path(o.dir)
    folder.mkdir(parents=True, exist_ok=True)
    dangbo = str(Path(sys.executable).with_name("dangbo"))
    rows = []
    for name, build in BUILDERS.items():
        path = folder / name
        if not path.exists():
            build(folder)
        out = folder / "out"
        shutil.rmtree(out, ignore_errors=True)
        cmd = [sys.executable, "-c", _WRAPPER, dangbo, "registry", "merge", str(path), "--out", str(out)]
        if shutil.which("prlimit"):
            cmd = ["prlimit", f"--as={int(o.cap_gb * 1024 ** 3)}", *cmd]
        t0 = time.perf_counter()
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=o.timeout, env=dict(os.environ))
            status, peak, last = done.stdout.rstrip("\n").split("\t", 2)
            row = {"file": name, "bytes": path.stat().st_size, "peak_mb": int(peak) // 1024, "exit": int(status),
                   "seconds": round(time.perf_counter() - t0, 1), "stderr": last[:160]}
        except subprocess.TimeoutExpired:
            row = {"file": name, "bytes": path.stat().st_size, "peak_mb": None, "exit": "timeout",
                   "seconds": o.timeout, "stderr": ""}
        rows.append(row)
        if not o.json:
            print(f"{name:>28} {row['bytes']:>9} B  peak {row['peak_mb']} MB  exit {row['exit']}  "
                  f"{row['seconds']} s  {row['stderr']}")
    if o.json:
        print(json.dumps({"load_1min": round(os.getloadavg()[0], 2), "runs": rows}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
