"""GET /api/orgs/ as the root's office at 5.9 M, ours beside the same request plus the per-row
validation against list[OrgOut] that django-ninja did before (issue 14, third round; not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:54390/dangbo nice -n 5 .venv/bin/python bench/api_tree_peer.py
"""

import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
import django  # noqa: E402

django.setup()
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from pydantic import TypeAdapter  # noqa: E402

from dangbo.accounts.services import account_create  # noqa: E402
from dangbo.orgs import api as orgs_api  # noqa: E402
from dangbo.orgs.models import Organization  # noqa: E402


def main() -> None:
    print("load", open("/proc/loadavg").read().split()[:3])
    schema = TypeAdapter(list[orgs_api.OrgOut])
    with transaction.atomic():
        root = Organization.objects.get(parent=None, depth=0, code__startswith="TW")
        user = account_create(actor=None, username="s9d-api", password="x", role="office", organization=root,
                              check_password=False)
        client = Client()
        client.force_login(user)
        times = {"ours": [], "ours+validation (old way)": []}
        for _ in range(6):
            for name, v in times.items():
                c0, t0 = time.process_time(), time.perf_counter()
                r = client.get("/api/orgs/")
                if name != "ours":
                    schema.validate_python(r.json())
                v.append(((time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000))
        for name, v in times.items():
            v = v[1:]  # the first request warms the caches
            print(f"{name}: {len(r.json())} rows; median wall {statistics.median(w for w, _ in v):.0f} ms, "
                  f"CPU {statistics.median(c for _, c in v):.0f} ms (n={len(v)})")
        transaction.set_rollback(True)
    print("load", open("/proc/loadavg").read().split()[:3])


if __name__ == "__main__":
    main()
