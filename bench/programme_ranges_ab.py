"""The dashboard with and without session 8's reads (issue 12), interleaved in ONE process — not a test.

    DATABASE_URL=sqlite:////tmp/p4-50k.sqlite3 nice -n 5 .venv/bin/python bench/programme_ranges_ab.py --n 15

«without» turns off `viewcounts.figure_sums` (reported targets by ranges of figure paths) and
`viewcounts.live_heads` (models holders' heads from the model records' path copy): the code then
reads exactly as before them (the grouped reported query, the holders looked up in the organisations
table). Alternating the two on every request cancels most of a shared machine's drift. Prints the
median CPU and wall ms of GET /chuong-trinh/?nam=2026 for each, the ratio, and the load average.
"""

import argparse
import json
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from dangbo.accounts.models import Account  # noqa: E402
from dangbo.orgs.models import Organization  # noqa: E402
from dangbo.programme import viewcounts  # noqa: E402

NEW = {"figure_sums": viewcounts.figure_sums, "live_heads": viewcounts.live_heads}
OLD = {name: (lambda *a, **k: None) for name in NEW}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=15)
    ap.add_argument("--url", default="/chuong-trinh/?nam=2026")
    args = ap.parse_args(argv)
    root = Organization.objects.filter(parent=None, valid_to__isnull=True).order_by("id").first()
    office = Account.objects.filter(role="office", organization=root).select_related("user").first()
    client = Client()
    client.force_login(office.user)
    bodies, cpu, wall = {}, {"without": [], "with": []}, {"without": [], "with": []}
    load0 = open("/proc/loadavg").read().split()[:3]
    for i in range(args.n + 1):
        for name, fns in (("without", OLD), ("with", NEW)):
            for attr, fn in fns.items():
                setattr(viewcounts, attr, fn)
            t0, c0 = time.perf_counter(), time.process_time()
            r = client.get(args.url)
            body = r.content
            used, took = (time.process_time() - c0) * 1000, (time.perf_counter() - t0) * 1000
            if i:  # the first round warms up
                cpu[name].append(used)
                wall[name].append(took)
            bodies.setdefault(name, body)
    for attr, fn in NEW.items():
        setattr(viewcounts, attr, fn)
    med = {k: round(statistics.median(v), 1) for k, v in cpu.items()}
    print(json.dumps({"url": args.url, "n": args.n, "loadavg_start": load0,
                      "loadavg_end": open("/proc/loadavg").read().split()[:3],
                      "cpu_median_ms": med, "wall_median_ms": {k: round(statistics.median(v), 1) for k, v in wall.items()},
                      "cpu_ratio": round(med["with"] / med["without"], 2),
                      "same_length_pages": len(bodies["with"]) == len(bodies["without"])}, indent=1))


if __name__ == "__main__":
    main()
