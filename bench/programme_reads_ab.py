"""The dashboard before and after session 9's cuts, alternated request by request in ONE process
(issue 12) — not a test.

    git archive ecabd23 src | tar -x -C /tmp/s9p-before
    DATABASE_URL=sqlite:////tmp/s9p-50k.sqlite3 nice -n 5 .venv/bin/python bench/programme_reads_ab.py \
        --before /tmp/s9p-before/src --n 15

«before» loads that tree's `programme/selectors.py`, `programme/views.py` and dashboard template
beside this branch's (the rest — viewcounts, measures, rules — is shared: its changes only add
optional arguments the old selectors do not pass, so they read exactly as before); the URL's view
then runs the old `_status_page` / `_children` and renders the old template. Alternating the two on
every request cancels most of a shared machine's drift. Prints the median CPU and wall ms of each,
the ratio, the load average, and whether the two pages are byte-identical (CSRF tokens removed).
"""

import argparse
import importlib.util
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
import django  # noqa: E402

django.setup()

from django.http import HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402

from dangbo.accounts.models import Account  # noqa: E402
from dangbo.orgs.models import Organization  # noqa: E402
from dangbo.programme import views  # noqa: E402


def load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", required=True, help="the src/ directory of the code before")
    ap.add_argument("--n", type=int, default=15)
    ap.add_argument("--url", default="/chuong-trinh/?nam=2026")
    args = ap.parse_args(argv)
    src = Path(args.before) / "dangbo" / "programme"
    old_selectors = load("before_selectors", src / "selectors.py")
    old_views = load("before_views", src / "views.py")
    old_views.selectors = old_selectors
    old_template = engines["django"].from_string((src / "templates/programme/dashboard.html").read_text())
    new = {"_dashboard_page": views._dashboard_page}

    def old_dashboard_page(request, category, digital):
        page, _, _ = old_views._status_page(request, category, "programme/dashboard.html")
        page["digital"] = digital
        return HttpResponse(old_template.render(page, request))

    root = Organization.objects.filter(parent=None, valid_to__isnull=True).order_by("id").first()
    office = Account.objects.filter(role="office", organization=root).select_related("user").first()
    client = Client()
    client.force_login(office.user)
    ways = {"before": old_dashboard_page, "after": new["_dashboard_page"]}
    bodies, cpu, wall = {}, {k: [] for k in ways}, {k: [] for k in ways}
    load0 = open("/proc/loadavg").read().split()[:3]
    for i in range(args.n + 1):
        for name, fn in ways.items():
            views._dashboard_page = fn
            t0, c0 = time.perf_counter(), time.process_time()
            body = client.get(args.url).content
            used, took = (time.process_time() - c0) * 1000, (time.perf_counter() - t0) * 1000
            if i:  # the first round warms up
                cpu[name].append(used)
                wall[name].append(took)
            body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", body)
            bodies.setdefault(name, re.sub(rb'csrftoken": "[^"]*"', b"", body))
    views._dashboard_page = new["_dashboard_page"]
    if os.environ.get("AB_DUMP"):
        for k, b in bodies.items():
            Path(os.environ["AB_DUMP"] + k).write_bytes(b)
    med = {k: round(statistics.median(v), 1) for k, v in cpu.items()}
    print(json.dumps({"url": args.url, "n": args.n, "loadavg_start": load0,
                      "loadavg_end": open("/proc/loadavg").read().split()[:3],
                      "cpu_median_ms": med, "wall_median_ms": {k: round(statistics.median(v), 1) for k, v in wall.items()},
                      "cpu_ratio": round(med["after"] / med["before"], 3),
                      "identical_pages": bodies["before"] == bodies["after"]}, indent=1))


if __name__ == "__main__":
    sys.exit(main())
