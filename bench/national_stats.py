"""Time the statistics and the pages on the database bench/national_generate.py filled (not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:54344/dangbo .venv/bin/python bench/national_stats.py --runs 5

Each measure runs --runs times (medians and maxima printed as JSON):
  nation_today     reports.selectors.members_report(root, today): the GROUP BY over the cached states
  province_today   the same for the largest province
  district_past    report_replayed(a district, 31/12/2024): every member's events replayed
  province_past    report_replayed(the largest province, 31/12/2024) (--runs 1: it is the slow path)
  stats_page       GET /thong-ke/<province>/ as the office user (statistics + charts + template)
  tree_page        GET /to-chuc/ as the office user
The replayed and the GROUP BY reports of the same day are compared once (they must be equal).
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
from django.db.models import F  # noqa: E402
from django.test import Client  # noqa: E402

from dangbo.members.models import Member  # noqa: E402
from dangbo.orgs.models import Organization  # noqa: E402
from dangbo.reports import selectors  # noqa: E402


def timed(fn, runs):
    out, value = [], None
    for _ in range(runs):
        t = time.perf_counter()
        value = fn()
        out.append((time.perf_counter() - t) * 1000)
    return value, {"median_ms": round(statistics.median(out), 1), "max_ms": round(max(out), 1), "runs": runs}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    settings.ALLOWED_HOSTS = ["*"]
    root = Organization.objects.filter(parent__isnull=True).order_by("pk").first()
    provinces = Organization.objects.filter(parent=root).annotate(n=F("official_count"))
    # the largest province by members (counted from the member rows' paths, once)
    sizes = {p: Member.objects.filter(org_path__startswith=p.path, state__in=("official", "probationary")).count()
             for p in provinces[:63]}
    province = max(sizes, key=sizes.get)
    district = Organization.objects.filter(parent=province).order_by("pk").first()
    today, past = date.today(), date(2024, 12, 31)
    result = {"members": Member.objects.count(), "organisations": Organization.objects.count(),
              "province_members": sizes[province]}
    nation, result["nation_today"] = timed(lambda: selectors.members_report(root, today), args.runs)
    result["nation_total"] = nation["total"]
    _r, result["province_today"] = timed(lambda: selectors.members_report(province, today), args.runs)
    _r, result["district_past"] = timed(lambda: selectors.report_replayed(district, past), args.runs)
    result["district_today_replay_equals_group_by"] = (
        selectors.report_replayed(district, today) == selectors.report_current(district, today))
    _r, result["province_past"] = timed(lambda: selectors.report_replayed(province, past), 1)
    c = Client()
    c.force_login(get_user_model().objects.get(username="bench-office"))
    _r, result["stats_page"] = timed(lambda: c.get(f"/thong-ke/{province.pk}/"), args.runs)
    _r, result["tree_page"] = timed(lambda: c.get("/to-chuc/"), args.runs)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
