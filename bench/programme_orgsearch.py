"""Time the programme pages' organisation search (issue 12), typed without diacritics — not a test.

    DATABASE_URL=sqlite:////tmp/prog2_bench.sqlite3 .venv/bin/python bench/programme_orgsearch.py \
        "chi bo" "van phong" "xyz khong co" "a"

GET /chuong-trinh/?tim-to-chuc=<text> as htmx (the matches alone) by the root's office user, 9 times
each; prints the matches shown and the median in ms (wall, and this process's CPU time). Needs a database with a tree (bench/generate.py).
"""

import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from dangbo.accounts.models import Account  # noqa: E402
from dangbo.orgs.models import Organization  # noqa: E402


def main(queries: list[str]) -> None:
    root = Organization.objects.filter(parent=None, valid_to__isnull=True).order_by("id").first()
    office = Account.objects.filter(role="office", organization=root).select_related("user").first()
    client = Client()
    client.force_login(office.user)
    print(f"{Organization.objects.count()} organisations")
    for q in queries:
        ms, cpu = [], []
        for _ in range(9):
            t0, c0 = time.perf_counter(), time.process_time()
            r = client.get("/chuong-trinh/", {"tim-to-chuc": q}, HTTP_HX_REQUEST="true")
            ms.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        print(f"«{q}»: {r.content.decode().count('<li>')} shown, median {statistics.median(ms):.1f} ms "
              f"(CPU {statistics.median(cpu):.1f} ms)")


if __name__ == "__main__":
    main(sys.argv[1:] or ["chi bo", "van phong", "xyz khong co", "a"])
