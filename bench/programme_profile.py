"""Where one dashboard request's time goes (issue 12) — not a test.

    DATABASE_URL=sqlite:////tmp/s9p-50k.sqlite3 nice -n 5 .venv/bin/python bench/programme_profile.py

Warms up, then for `--n` requests of GET /chuong-trinh/?nam=2026 as the root's office user: every
SQL statement's CPU time (an execute wrapper; SQLite runs in this process), the template render's CPU
time (`django.template.Template.render` timed), and one cProfile of a request. Prints the statements
grouped by their SQL's first words (median CPU ms per request), the render, the total, and the top
functions by cumulative and by own time.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import time
from collections import defaultdict

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.template import base as template_base  # noqa: E402
from django.test import Client  # noqa: E402

from dangbo.accounts.models import Account  # noqa: E402
from dangbo.orgs.models import Organization  # noqa: E402


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=7)
    ap.add_argument("--url", default="/chuong-trinh/?nam=2026")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--each", type=int, default=0, help="print the last request's statements, this many characters")
    args = ap.parse_args(argv)
    root = Organization.objects.filter(parent=None, valid_to__isnull=True).order_by("id").first()
    office = Account.objects.filter(role="office", organization=root).select_related("user").first()
    client = Client()
    client.force_login(office.user)
    client.get(args.url)

    sql: list[tuple[str, float]] = []

    def wrapper(execute, query, params, many, context):
        c0 = time.process_time()
        try:
            return execute(query, params, many, context)
        finally:
            sql.append((" ".join(query.split()), (time.process_time() - c0) * 1000))

    render_ms: list[float] = []
    original = template_base.Template.render
    depth = [0]

    def render(self, context):  # the outermost render only (includes nest)
        depth[0] += 1
        c0 = time.process_time()
        try:
            return original(self, context)
        finally:
            depth[0] -= 1
            if depth[0] == 0:
                render_ms.append((time.process_time() - c0) * 1000)

    template_base.Template.render = render
    per_request = []
    by_sql: dict[str, list[float]] = defaultdict(list)
    renders, totals, counts = [], [], []
    with connection.execute_wrapper(wrapper):
        for _ in range(args.n):
            sql.clear()
            render_ms.clear()
            c0 = time.process_time()
            client.get(args.url).content  # noqa: B018
            totals.append((time.process_time() - c0) * 1000)
            renders.append(sum(render_ms))
            counts.append(len(sql))
            groups = defaultdict(float)
            for q, ms in sql:
                groups[q] += ms
            for q, ms in groups.items():
                by_sql[q].append(ms)
            per_request.append(sum(ms for _, ms in sql))
    template_base.Template.render = original
    print(f"load {open('/proc/loadavg').read().split()[:3]}")
    print(f"request CPU median {statistics.median(totals):.1f} ms; SQL {statistics.median(per_request):.1f} ms "
          f"in {statistics.median(counts)} statements; template render {statistics.median(renders):.1f} ms")
    if args.each:
        for q, ms in sql:
            print(f"  {ms:7.1f}  {q[:args.each]}")
    rows = sorted(((statistics.median(v + [0] * (args.n - len(v))), q) for q, v in by_sql.items()), reverse=True)
    for ms, q in rows[:20]:
        print(f"  {ms:7.1f}  {q[:150]}")
    prof = cProfile.Profile()
    prof.enable()
    client.get(args.url).content  # noqa: B018
    prof.disable()
    for key in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats(key).print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    main()
