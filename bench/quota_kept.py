"""APR-4 quota boxes of a province from the kept counts, against the code before (issue 14; not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:54390/dangbo nice -n 5 .venv/bin/python \\
        bench/quota_kept.py --runs 9 --peer /tmp/s9q-before/src

In one transaction rolled back at the end: a campaign for the largest province's committee (T00011 on
the generated 5.9 M database) with one review per member written in SQL as bench/quota_explain.sql
does (unit = the member's organisation, three peer groups by id, grades proposed at random, a tenth
decided), `appraisal.kept.rebuild` of that campaign (the backfill's statement, timed) and ANALYZE;
then `quota_boxes` for the province's office, ours and the peer's (`appraisal/selectors.py` of
--peer), interleaved, with and without a preview of 20 reviews: wall and this process's CPU
(time.process_time: the database server's CPU is not in it). Both must give the same boxes.
"""

import argparse
import importlib.util
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
import django  # noqa: E402

django.setup()
from django.db import connection, transaction  # noqa: E402

from dangbo.accounts.services import account_create  # noqa: E402
from dangbo.appraisal import kept, selectors  # noqa: E402
from dangbo.appraisal.models import Campaign  # noqa: E402
from dangbo.orgs.models import Organization  # noqa: E402

REVIEWS = """
INSERT INTO appraisal_review (org_path, peer_group, role, shortcomings_fixed, discipline, degradation, self_comment,
  status, proposed_grade, decided_grade, reasons, note, override_reason, regulation, campaign_id, member_id,
  organization_id, unit_id, host_commented_by, host_comments, host_name, host_path, temporary, leave_months, maternity)
SELECT m.org_path, (ARRAY['Đảng viên','Cán bộ lãnh đạo','Hưu trí'])[1 + (m.id %% 3)], 'member', false, 'none', false,
  '', 'proposed', CASE WHEN random() < 0.25 THEN 'excellent' WHEN random() < 0.8 THEN 'good' ELSE 'completed' END,
  '', '[]', '', '', '366-QĐ/TW', %s, m.id, m.organization_id, m.organization_id, '', '', '', '', false, 0, false
FROM members_member m WHERE m.org_path LIKE %s
"""


def load_peer(src: str):
    spec = importlib.util.spec_from_file_location("peer_appraisal_selectors",
                                                  os.path.join(src, "dangbo/appraisal/selectors.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def timed(fn) -> tuple[float, float, object]:
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return (time.perf_counter() - w) * 1000, (time.process_time() - c) * 1000, out


def main() -> None:
    ap = argparse.ArgumentParser(description="quota boxes from kept counts")
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--province", default="T00011")
    ap.add_argument("--peer", required=True, help="src directory of the code before")
    args = ap.parse_args()
    peer = load_peer(args.peer)
    prov = Organization.objects.get(code=args.province)
    load = [open("/proc/loadavg").read().split()[:3]]
    times: dict[str, list[tuple[float, float]]] = {}
    with transaction.atomic():
        user = account_create(actor=None, username="bench-quota-kept", password="x", role="office",
                              organization=prov, check_password=False)
        c = Campaign.objects.create(year=2025, organization=prov, org_path=prov.path, review_date="2025-12-01",
                                    deadline="2025-12-31", regulation="366-QĐ/TW")
        t0 = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(REVIEWS, [c.pk, prov.path + "%"])
            n = cur.rowcount
            cur.execute("UPDATE appraisal_review SET status = 'decided', decided_grade = proposed_grade "
                        "WHERE campaign_id = %s AND id %% 10 = 0", [c.pk])
            cur.execute("ANALYZE appraisal_review")
        written = time.perf_counter() - t0
        t0 = time.perf_counter()
        kept.rebuild(campaign_id=c.pk)
        rebuilt = time.perf_counter() - t0
        with connection.cursor() as cur:
            cur.execute("ANALYZE appraisal_quotacount")
            cur.execute("SELECT count(*) FROM appraisal_quotacount WHERE campaign_id = %s", [c.pk])
            kept_rows = cur.fetchone()[0]
        some = list(c.reviews.order_by("pk").values_list("pk", flat=True)[:2000:100])
        preview = {pk: ("excellent" if i % 2 else "good") for i, pk in enumerate(some)}
        ours = selectors.quota_boxes(user=user, campaign=c)
        assert ours == sorted(peer.quota_boxes(user=user, campaign=c), key=lambda r: (r["unit"], r["peer_group"],
                                                                                      r["unit_id"]))
        assert selectors.quota_boxes(user=user, campaign=c, preview=preview) == \
            peer.quota_boxes(user=user, campaign=c, preview=preview)
        for _ in range(args.runs):
            for label, fn in (("ours", selectors.quota_boxes), ("peer", peer.quota_boxes)):
                times.setdefault(f"quota_boxes, whole province ({label})", []).append(
                    timed(lambda fn=fn: fn(user=user, campaign=c))[:2])
                times.setdefault(f"quota_boxes, preview of 20 ({label})", []).append(
                    timed(lambda fn=fn: fn(user=user, campaign=c, preview=preview))[:2])
        transaction.set_rollback(True)
    load.append(open("/proc/loadavg").read().split()[:3])
    print(f"reviews {n} (written in {written:.1f} s), kept rows {kept_rows}, boxes {len(ours)}, "
          f"rebuild of the campaign {rebuilt * 1000:.0f} ms, loadavg {load[0]} → {load[1]}")
    print(f"{'what':<44}{'n':>4}{'median wall ms':>16}{'median CPU ms':>15}")
    for name, v in times.items():
        print(f"{name:<44}{len(v):>4}{statistics.median(w for w, _ in v):>16.1f}"
              f"{statistics.median(c for _, c in v):>15.1f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
