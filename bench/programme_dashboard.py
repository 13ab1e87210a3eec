"""Time the programme dashboard (issue 12; goal ≤ 300 ms server time) — not a test.

On the demo committee (after `dangbo demo`):
    DANGBO_VAR=/path/to/var .venv/bin/python bench/programme_dashboard.py --n 20
On a province-sized tree (bench/generate.py fills a fresh database first when it is empty):
    DATABASE_URL=sqlite:////tmp/prog50k.sqlite3 .venv/bin/python bench/programme_dashboard.py \
        --orgs 50000 --members 200000 --n 20

Without a programme on the root, the demo's one is built on it (programme.demo: models in most
grassroots organisations, 2025 and 2026 figures for every grassroots organisation). Then, in turn:
  dashboard  GET /chuong-trinh/?nam=2026 as the root's office user (every target rolled up over the
             tree, the organisations directly under, the trend 2025–2026)
  digital    GET /chuong-trinh/chuyen-doi-so/?nam=2026
  status     selectors.programme_status(root, 2026) — what `dangbo programme status` computes
Prints medians and p95 in ms as JSON (wall; `cpu_median_ms`: this process's CPU time, which
includes SQLite's work and is less sensitive to a shared machine's load), and the load average.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import date

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # `bench.generate`
import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from dangbo.accounts.models import Account  # noqa: E402
from dangbo.orgs.models import Organization  # noqa: E402
from dangbo.programme import selectors  # noqa: E402
from dangbo.programme.demo import build_programme_demo  # noqa: E402
from dangbo.programme.models import Figure, ModelRecord, Programme  # noqa: E402


def timed(fn) -> tuple[float, float]:
    """Wall and CPU ms of one call (SQLite runs in this process: its work is in the CPU time)."""
    t0, c0 = time.perf_counter(), time.process_time()
    fn()
    return (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000


def summary(ms: list[float]) -> dict:
    ms = sorted(ms)
    return {"n": len(ms), "median_ms": round(statistics.median(ms), 1),
            "p95_ms": round(ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))], 1)}


def compare_pages(client, root, folder) -> None:
    """The dashboard and «chuyển đổi số» pages for two years, at the root and at an organisation
    directly under it, written to `folder` when absent there, else compared with what it holds."""
    import re
    from pathlib import Path

    kid = Organization.objects.filter(parent=root).order_by("path").values_list("id", flat=True).first()
    urls = [f"/chuong-trinh/{page}?nam={y}{org}" for page in ("", "chuyen-doi-so/") for y in (2025, 2026)
            for org in ("", f"&to-chuc={kid}")]
    os.makedirs(folder, exist_ok=True)
    differ = []
    for i, url in enumerate(urls):
        body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", client.get(url).content)
        body = re.sub(rb'csrftoken": "[^"]*"', b"", body)
        path = Path(folder) / f"page{i}.html"
        if not path.exists():
            path.write_bytes(body)
        elif path.read_bytes() != body:
            differ.append(url)
    print(json.dumps({"pages": len(urls), "differ": differ}), file=sys.stderr)
    if differ:
        sys.exit(f"pages differ: {differ}")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--orgs", type=int, default=50_000, help="tree size when the database is empty")
    ap.add_argument("--members", type=int, default=200_000, help="members when the database is empty")
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--pages", help="a directory: write the pages there, or compare them with those already there "
                    "(byte for byte, CSRF tokens removed); the command fails on a difference")
    args = ap.parse_args(argv)
    if not Organization.objects.exists():
        from bench import generate

        generate.main(["--orgs", str(args.orgs), "--members", str(args.members)])
    root = Organization.objects.filter(parent=None, valid_to__isnull=True).order_by("id").first()
    if not Programme.objects.filter(organization=root).exists():
        t0 = time.perf_counter()
        build_programme_demo(root=root, today=date(2026, 12, 7), rng=random.Random("bench:programme"))
        print(f"programme built in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    office = Account.objects.filter(role="office", organization=root).select_related("user").first()
    if office is None:
        sys.exit("No office account on the root organisation.")
    client = Client()
    client.force_login(office.user)

    def get(url):
        r = client.get(url)
        if r.status_code != 200:
            raise SystemExit(f"GET {url} -> {r.status_code}")
        r.content  # noqa: B018 - rendered

    if args.pages:
        compare_pages(client, root, args.pages)
    cases = {"dashboard": lambda: get("/chuong-trinh/?nam=2026"),
             "digital": lambda: get("/chuong-trinh/chuyen-doi-so/?nam=2026"),
             "status": lambda: selectors.programme_status(root, 2026)}
    for fn in cases.values():  # warm-up
        fn()
    times = {k: [] for k in cases}
    cpu = {k: [] for k in cases}
    for _ in range(args.n):
        for k, fn in cases.items():
            wall, used = timed(fn)
            times[k].append(wall)
            cpu[k].append(used)
    print(json.dumps({"organisations": Organization.objects.count(),
                      "models": ModelRecord.objects.count(), "figures": Figure.objects.count(),
                      "loadavg": open("/proc/loadavg").read().split()[:3],
                      **{k: summary(v) | {"cpu_median_ms": round(statistics.median(cpu[k]), 1)}
                         for k, v in times.items()}}, indent=1))


if __name__ == "__main__":
    main()
