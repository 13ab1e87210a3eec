"""The documents register: the demo's step, and the register page and search on a large register.

    .venv/bin/python bench/documents_register.py [--docs 20000] [--reps 7] [--demo-step]

Works on the database named by DATABASE_URL (SQLite default under DANGBO_VAR; on PostgreSQL the
table is analysed after the load). `--docs N` loads N
documents (half incoming, half outgoing, a year each) into a fresh organisation «BENCH-DOCS» through
`documents_load` (timed), then times, as an office user of that organisation: the register's first
page with its count, a words search without diacritics, a number-symbol search, the last page, and
the Excel export of a search. `--demo-step` times `build_documents_demo` on the demo committee (build
it first with `dangbo demo`): its documents are removed and written again. Prints medians in seconds.
"""

import argparse
import os
import random
import statistics
import time
from datetime import date, timedelta


def median_time(fn, reps):
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--demo-step", action="store_true")
    a = ap.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from dangbo.accounts.services import account_create
    from dangbo.documents.demo import INCOMING, OUTGOING, build_documents_demo
    from dangbo.documents.models import Document
    from dangbo.documents.services import documents_load
    from dangbo.orgs.models import Organization
    from dangbo.orgs.services import org_found

    call_command("migrate", verbosity=0)
    if a.demo_step:
        root = Organization.objects.filter(parent=None, valid_to=None).order_by("id").first()
        Document.objects.filter(organization__path__startswith=root.path, source__in=("register", "issued")).delete()
        t = time.perf_counter()
        n = build_documents_demo(root=root, today=date.today(), rng=random.Random("2025:documents"))
        print(f"demo step: {n} documents in {time.perf_counter() - t:.2f} s")
        return
    root = Organization.objects.filter(code="BENCH-DOCS").first()
    if root is None:
        root = org_found(actor=None, code="BENCH-DOCS", name="Đảng bộ Đo hiệu năng", kind="committee", parent=None,
                         on=date(2025, 7, 1))
        account_create(actor=None, username="bench-docs", password="mat-khau-do-hieu-nang", role="office",
                       organization=root)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="bench-docs")
    rng = random.Random(14)
    today = date.today()
    rows = []
    for i in range(a.docs):
        day = today - timedelta(days=rng.randrange(365 * 5))
        if i % 2:
            type_, issuer, sender, subjects = rng.choice(INCOMING)
            rows.append({"holder": root, "direction": "incoming", "day": day, "number_symbol": f"{i}-{type_}/{issuer}",
                         "received_on": day, "sender": sender, "signer": "Nguyễn Văn Thành",
                         "subject": f"{rng.choice(subjects)} số {i}", "recipients": "Các chi bộ"})
        else:
            type_, subjects = rng.choice(OUTGOING)
            rows.append({"holder": root, "direction": "outgoing", "day": day, "doc_type": type_, "issuer": "ĐU",
                         "signer": "Trần Thị Minh Hà", "subject": f"{rng.choice(subjects)} số {i}",
                         "recipients": "Các chi bộ"})
    t = time.perf_counter()
    Document.objects.filter(organization=root).delete()
    n = documents_load(actor=None, root=root, rows=rows)
    print(f"load: {n} documents in {time.perf_counter() - t:.2f} s")
    from django.db import connection

    if connection.vendor == "postgresql":  # statistics as autovacuum would leave them (a fresh bulk
        with connection.cursor() as cur:   # insert has none: the planner guessed 9 rows and sorted all)
            cur.execute("ANALYZE documents_document")
    client = Client()
    client.force_login(user)
    symbol = Document.objects.filter(organization=root, direction="outgoing").order_by("id").first().number_symbol
    cases = {
        "register, first page + count": ("/van-ban/", {}),
        "words without diacritics («ke hoach hoc tap»)": ("/van-ban/", {"q": "ke hoach hoc tap"}),
        f"number-symbol («{symbol}»)": ("/van-ban/", {"q": symbol}),
        "last page": ("/van-ban/", {"page": "100000"}),
        "Excel export of a search («bao cao»)": ("/van-ban/xuat.xlsx", {"q": "bao cao"}),
    }
    for label, (url, params) in cases.items():
        r = client.get(url, params)
        assert r.status_code == 200, (url, r.status_code)
        print(f"{label}: median {median_time(lambda u=url, p=params: client.get(u, p), a.reps):.3f} s")


if __name__ == "__main__":
    main()
