"""Party fees for a year of a large committee: the fee computation and the year's settlement.

    DATABASE_URL=… .venv/bin/dangbo migrate
    DATABASE_URL=… .venv/bin/python bench/generate.py --members 1000000 --orgs 5000
    DATABASE_URL=… .venv/bin/python bench/fees_year.py [--year 2026] [--json]

Fills (once; `--refill` to start again) every member's declaration and a year of payments in bulk
(raw INSERT … SELECT on PostgreSQL, executemany on SQLite: 12 rows per member, ~3 % unpaid), then
times, each as wall and CPU seconds:

- `compute_s`: `fees.selectors.due_totals` — every member's 12 months under the regime of each month
  (342-QĐ/TW for January, 01-QĐ/TW from February), summed per organisation and month;
- `settlement_s`: `fees.selectors.settlement` — the above plus the ledger's sums per organisation,
  month and method, and each organisation's retained share (what the settlement page and files read);
- `xlsx_s`: the settlement workbook (`fees.documents.settlement_xlsx`) from those rows.
"""

import argparse
import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from dangbo.fees import documents, rules, selectors  # noqa: E402
from dangbo.fees.models import Declaration, Payment  # noqa: E402
from dangbo.orgs.models import Organization  # noqa: E402

# category by member id modulo 20: 11 insured, 1 benefit, 4 pension, 1 student, 3 other
CATEGORY_SQL = ("CASE WHEN m.id % 20 < 11 THEN 'insured' WHEN m.id % 20 < 12 THEN 'benefit' "
                "WHEN m.id % 20 < 16 THEN 'pension' WHEN m.id % 20 < 17 THEN 'student' ELSE 'other' END")
BASE_SQL = "CASE WHEN m.id % 20 < 16 THEN 4000000 + (m.id * 7919 % 16000) * 1000 ELSE NULL END"


def fill(year: int) -> dict:
    """Declarations from January of `year` and the year's payments (amount = the rules' due at the
    flat 1 % / 0.5 % rates; the figures matter less than the row count)."""
    t = time.perf_counter()
    first = rules.month_index(year, 1)
    with transaction.atomic(), connection.cursor() as c:
        c.execute(f"""INSERT INTO fees_declaration (member_id, org_path, from_month, category, base, created_at)
                      SELECT m.id, m.org_path, {first}, {CATEGORY_SQL}, {BASE_SQL}, CURRENT_TIMESTAMP
                      FROM members_member m WHERE m.state IN ('probationary', 'official', 'exempt')""")
        due = ("CASE d.category WHEN 'insured' THEN d.base / 100 WHEN 'benefit' THEN d.base / 100 "
               "WHEN 'pension' THEN d.base / 200 WHEN 'student' THEN 5000 ELSE 15930 END")
        for k in range(12):  # bases are whole thousands: the integer division is exact
            c.execute(f"""INSERT INTO fees_payment (member_id, organization_id, org_path, month, due, amount, method,
                                                    reference, paid_on, receipt_no, created_at)
                          SELECT m.id, m.organization_id, m.org_path, {first + k}, {due}, {due},
                                 CASE WHEN m.id % 7 = 0 THEN 'online' ELSE 'cash' END, '', CURRENT_DATE, 0,
                                 CURRENT_TIMESTAMP
                          FROM members_member m JOIN fees_declaration d ON d.member_id = m.id
                          WHERE (m.id * 31 + {k}) % 33 <> 0""")
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("ANALYZE fees_declaration")
            c.execute("ANALYZE fees_payment")
    return {"fill_s": round(time.perf_counter() - t, 1), "declarations": Declaration.objects.count(),
            "payments": Payment.objects.count()}


def timed(fn):
    t, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, round(time.perf_counter() - t, 2), round(time.process_time() - c, 2)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--year", type=int, default=2026)
    ap.add_argument("--refill", action="store_true")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    root = Organization.objects.filter(parent=None).order_by("id").first()
    out = {"engine": connection.vendor, "year": a.year}
    if a.refill:
        Payment.objects.all().delete()
        Declaration.objects.all().delete()
    if not Payment.objects.exists():
        out.update(fill(a.year))
    first, last = rules.month_index(a.year, 1), rules.month_index(a.year, 12)
    (totals, counts), out["compute_s"], out["compute_cpu_s"] = timed(lambda: selectors.due_totals(root, first, last))
    out["members"] = sum(counts.values())
    out["due_total"] = sum(totals.values())
    rows, out["settlement_s"], out["settlement_cpu_s"] = timed(lambda: selectors.settlement(org=root, year=a.year))
    out["settlement_rows"] = len(rows)
    out["collected"] = sum(r["collected"] for r in rows)
    body, out["xlsx_s"], out["xlsx_cpu_s"] = timed(lambda: documents.settlement_xlsx(root, a.year, rows))
    out["xlsx_bytes"] = len(body)
    out["load_avg"] = os.getloadavg()[0]
    print(json.dumps(out, ensure_ascii=False) if a.json else "\n".join(f"{k}: {v}" for k, v in out.items()))


if __name__ == "__main__":
    main()
