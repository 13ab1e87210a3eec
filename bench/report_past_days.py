"""A past day's statistics at the nation's scale: this code against a peer (not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:54390/nation_reports nice -n 5 .venv/bin/python \\
        bench/report_past_days.py --peer-src /tmp/before/src --runs 3 \\
        --case nation:2025-10-15 --case province:2025-09-30 --case page:2025-09-30 --case nation:2025-09-26:0

Two worker processes, one importing this checkout's `dangbo`, one the peer's (`git archive <commit> src`
unpacked, put first on PYTHONPATH), each kept open; every run asks ours, then the peer (interleaved),
so the machine's load falls on both alike. A case is `target:YYYY-MM-DD[:peer runs]`; target
`nation` (the root), `province` (the largest by members), `page` (GET /thong-ke/<province>/?ngay= as
bench-office). Per case: medians and maxima of wall and CPU (the worker's process time) in ms, the
ratio of the medians, whether the two reports are equal, and the load average before and after.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date


def worker():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db.models import Sum
    from django.test import Client

    from dangbo.orgs.models import Organization
    from dangbo.reports import selectors
    from dangbo.reports.models import Tally

    settings.ALLOWED_HOSTS = ["*"]
    root = Organization.objects.filter(parent__isnull=True).order_by("pk").first()
    counts = dict(Tally.objects.filter(organization__parent=root, dim="state").values("organization_id")
                  .annotate(n=Sum("n")).order_by().values_list("organization_id", "n"))  # the largest province
    province = Organization.objects.get(pk=max(counts, key=counts.get))
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-office"))
    print(json.dumps({"ready": province.code}), flush=True)
    for line in sys.stdin:
        target, day = line.split()
        day = date.fromisoformat(day)
        t, c = time.perf_counter(), time.process_time()
        if target == "page":
            resp = client.get(f"/thong-ke/{province.pk}/?ngay={day:%d/%m/%Y}")
            out = {"status": resp.status_code}
        else:
            report = selectors.members_report(root if target == "nation" else province, day)
            out = {"report": report}
        out.update(ms=(time.perf_counter() - t) * 1000, cpu_ms=(time.process_time() - c) * 1000)
        print(json.dumps(out, ensure_ascii=False, default=str), flush=True)


def _start(peer_src=None):
    env = dict(os.environ)
    if peer_src:
        env["PYTHONPATH"] = peer_src + os.pathsep + env.get("PYTHONPATH", "")
    p = subprocess.Popen([sys.executable, __file__, "--worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         text=True, env=env)
    p.ready = json.loads(p.stdout.readline())
    return p


def _ask(p, target, day):
    p.stdin.write(f"{target} {day}\n")
    p.stdin.flush()
    return json.loads(p.stdout.readline())


def _summary(values):
    return {"median": round(statistics.median(values), 1), "max": round(max(values), 1), "runs": len(values)}


def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().split()[:3]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--peer-src", required=True, help="the peer's src directory (git archive <commit> src)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--case", action="append", required=True, help="target:YYYY-MM-DD[:peer runs]")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    ours, peer = _start(), _start(args.peer_src)
    result = {"province": ours.ready, "load_start": loadavg(), "cases": {}}
    for case in args.case:
        target, day, *rest = case.split(":")
        peer_runs = int(rest[0]) if rest else args.runs
        got = {"ours": [], "peer": []}
        load = [loadavg()]
        for i in range(args.runs):
            got["ours"].append(_ask(ours, target, day))
            if i < peer_runs:
                got["peer"].append(_ask(peer, target, day))
        load.append(loadavg())
        row = {"load": load}
        for name, runs in got.items():
            if runs:
                row[name] = {"wall_ms": _summary([r["ms"] for r in runs]), "cpu_ms": _summary([r["cpu_ms"] for r in runs])}
        if got["peer"]:
            row["ratio_wall"] = round(row["peer"]["wall_ms"]["median"] / row["ours"]["wall_ms"]["median"], 1)
            key = "status" if target == "page" else "report"
            row["equal"] = all(r[key] == got["peer"][0][key] for r in got["ours"] + got["peer"])
        if target != "page":
            row["total"] = got["ours"][0]["report"]["total"]
        result["cases"][case] = row
        print(json.dumps({case: row}, ensure_ascii=False), file=sys.stderr, flush=True)
    result["load_end"] = loadavg()
    ours.stdin.close()
    peer.stdin.close()
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    if "--worker" in sys.argv:
        worker()
    else:
        main()
