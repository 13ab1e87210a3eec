"""Time the statistics and the pages on the database bench/national_generate.py filled (not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:54344/dangbo .venv/bin/python bench/national_stats.py --runs 5

Each measure runs --runs times, the ours / peer pairs interleaved (ours, peer, ours, peer …) so the
machine's load falls on both alike; medians and maxima printed as JSON, with the load average:
  nation_today       reports.selectors.members_report(root, today): the kept tallies (reports.tallies)
  nation_today_peer  report_current(root, today): one GROUP BY over the member rows (the code before)
  province_today[_peer]  the same two for the largest province
  nation_midyear[_peer]  tallies.report_tallied vs report_current for 2 July (the worst day: half of
                     each band-boundary year is read from the member index)
  stats_page_nation / stats_page_province   GET /thong-ke/<org>/ as the office user
  tree_page          GET /to-chuc/ as the office user
The tallied and the GROUP BY reports of the same day are compared (they must be equal).
--past adds the replayed reports of 31/12/2024 (a district; the largest province once): the slow path.
--rebuild times `tallies_rebuild()` once first (writes: only on a database of your own).
--past-days D [D …] (YYYY-MM-DD): the statistics of those past days from the monthly snapshots
(`dangbo report snapshots` first; reports.snapshots):
  past_<D>_nation          members_report(root, D), --runs times (its peer, the replay of 5.9 M
                           members, is not run: hours)
  past_<D>_province[_peer] members_report(province, D) vs report_replayed(province, D), interleaved,
                           --peer-runs pairs; equal_replay: the two reports compared
  past_<D>_district[_peer] the same for the province's first district
  past_<D>_page_province   GET /thong-ke/<province>/?ngay=dd/mm/yyyy as the office user
"""


import argparse
import json
import os
import statistics
import time
from datetime import date

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

from dangbo.members.models import Member  # noqa: E402
from dangbo.orgs.models import Organization  # noqa: E402
from dangbo.reports import selectors  # noqa: E402
from dangbo.reports.tallies import report_tallied, tallies_rebuild  # noqa: E402


def _summary(ms):
    return {"median_ms": round(statistics.median(ms), 1), "max_ms": round(max(ms), 1), "runs": len(ms)}


def timed(fn, runs):
    out, value = [], None
    for _ in range(runs):
        t = time.perf_counter()
        value = fn()
        out.append((time.perf_counter() - t) * 1000)
    return value, _summary(out)


def paired(ours, peer, runs):
    """Interleaved runs of two ways to the same result: their summaries and the ratio of medians."""
    a, b = [], []
    for _ in range(runs):
        for fn, out in ((ours, a), (peer, b)):
            t = time.perf_counter()
            fn()
            out.append((time.perf_counter() - t) * 1000)
    return _summary(a), _summary(b), round(statistics.median(b) / statistics.median(a), 1)


def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().split()[:3]


def past_days(result, root, province, district, days, args):
    """The past days from the snapshots: the nation alone, the province and a district against the replay."""
    result["province_code"], result["district_code"] = province.code, district.code
    c = Client()
    c.force_login(get_user_model().objects.get(username="bench-office"))
    for day in days:
        p = f"past_{day}"
        result[f"{p}_load"] = loadavg()
        t0 = time.process_time()
        _r, result[f"{p}_nation"] = timed(lambda day=day: selectors.members_report(root, day), args.runs)
        result[f"{p}_nation"]["cpu_ms_per_run"] = round((time.process_time() - t0) * 1000 / args.runs, 1)
        result[f"{p}_nation"]["total"] = _r["total"]
        for name, org in (("district", district), ("province", province)):
            ours = selectors.members_report(org, day)
            peer = selectors.report_replayed(org, day) if args.peer_runs else None
            if args.peer_runs == 0:  # no replay: ours alone
                _r, result[f"{p}_{name}_alone"] = timed(lambda org=org, day=day: selectors.members_report(org, day),
                                                       args.runs)
                continue
            result[f"{p}_{name}_equal_replay"] = ours == peer
            result[f"{p}_{name}_total"] = ours["total"]
            result[f"{p}_{name}"], result[f"{p}_{name}_peer"], result[f"{p}_{name}_ratio"] = paired(
                lambda org=org, day=day: selectors.members_report(org, day),
                lambda org=org, day=day: selectors.report_replayed(org, day), args.peer_runs)
            if args.runs > args.peer_runs:  # ours alone for the rest of the runs
                _r, more = timed(lambda org=org, day=day: selectors.members_report(org, day), args.runs)
                result[f"{p}_{name}_alone"] = more
        resp, result[f"{p}_page_province"] = timed(
            lambda day=day: c.get(f"/thong-ke/{province.pk}/?ngay={day:%d/%m/%Y}"), args.runs)
        assert resp.status_code == 200, resp.status_code


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--past", action="store_true", help="also the replayed reports of 31/12/2024")
    ap.add_argument("--rebuild", action="store_true", help="time tallies_rebuild() once first")
    ap.add_argument("--past-days", nargs="*", default=[], help="past days YYYY-MM-DD from the snapshots")
    ap.add_argument("--peer-runs", type=int, default=2, help="runs of the replay peer for --past-days (0: none)")
    ap.add_argument("--past-only", action="store_true", help="only --past-days")
    args = ap.parse_args(argv)
    settings.ALLOWED_HOSTS = ["*"]
    result = {"load_start": loadavg()}
    if args.rebuild:
        t0, c0 = time.perf_counter(), time.process_time()
        tallies_rebuild()
        result["rebuild_s"] = round(time.perf_counter() - t0, 1)
        result["rebuild_client_cpu_s"] = round(time.process_time() - c0, 2)
    root = Organization.objects.filter(parent__isnull=True).order_by("pk").first()
    provinces = list(Organization.objects.filter(parent=root))
    # the largest province by members (its own tallies' state rows)
    province = max(provinces, key=lambda p: selectors.members_report(p, date.today())["total"])
    district = Organization.objects.filter(parent=province).order_by("pk").first()
    today, past = date.today(), date(2024, 12, 31)
    result.update(members=Member.objects.count(), organisations=Organization.objects.count())
    if args.past_days:
        past_days(result, root, province, district, [date.fromisoformat(d) for d in args.past_days], args)
    if args.past_only:
        result["load_end"] = loadavg()
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    for name, org in (("nation", root), ("province", province)):
        ours, peer = selectors.members_report(org, today), selectors.report_current(org, today)
        result[f"{name}_total"] = ours["total"]
        result[f"{name}_tallies_equal_group_by"] = ours == peer
        result[f"{name}_today"], result[f"{name}_today_peer"], result[f"{name}_ratio"] = paired(
            lambda org=org: selectors.members_report(org, today),
            lambda org=org: selectors.report_current(org, today), args.runs)
    # the worst day for the boundary years: mid-year, half of each boundary year read by index
    mid = date(today.year, 7, 2)
    result["nation_midyear_tallied_equal_group_by"] = report_tallied(root, mid) == selectors.report_current(root, mid)
    result["nation_midyear"], result["nation_midyear_peer"], result["nation_midyear_ratio"] = paired(
        lambda: report_tallied(root, mid), lambda: selectors.report_current(root, mid), args.runs)
    c = Client()
    c.force_login(get_user_model().objects.get(username="bench-office"))
    for name, org in (("nation", root), ("province", province)):
        resp, result[f"stats_page_{name}"] = timed(lambda org=org: c.get(f"/thong-ke/{org.pk}/"), args.runs)
        assert resp.status_code == 200, resp.status_code
    _r, result["tree_page"] = timed(lambda: c.get("/to-chuc/"), args.runs)
    if args.past:
        _r, result["district_past"] = timed(lambda: selectors.report_replayed(district, past), args.runs)
        _r, result["province_past"] = timed(lambda: selectors.report_replayed(province, past), 1)
    result["load_end"] = loadavg()
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
