"""Word tables and the appraisal decision document: `core.wordfile.grid_table` against python-docx's
own `add_row` + `cell.text` (the peer, in the same process), and the decision download on the demo.

    .venv/bin/python bench/word_tables.py [--rows 2700] [--reps 5] [--demo]

`--demo` also times GET /danh-gia/<2025 campaign>/quyet-dinh.docx for the demo's office user on the
database named by DATABASE_URL (build it first with `dangbo demo`). Prints medians in seconds and the
ratio ours / python-docx.
"""

import argparse
import os
import statistics
import sys
import time


def plain_table(doc, header, rows):
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, value in zip(table.rows[0].cells, header, strict=True):
        cell.text = value
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = str(value)


def median_time(fn, reps, cpu=False):
    clock = time.process_time if cpu else time.perf_counter
    times = []
    for _ in range(reps):
        t = clock()
        fn()
        times.append(clock() - t)
    return statistics.median(times)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=2700)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--demo", action="store_true")
    a = ap.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
    import django

    django.setup()
    from dangbo.core.wordfile import grid_table, new_document, to_bytes

    header = ("STT", "Họ và tên", "Chi bộ")
    rows = [(i, f"Nguyễn Văn Hùng {i}", "Chi bộ Văn phòng Tỉnh ủy") for i in range(1, a.rows + 1)]
    ours = median_time(lambda: to_bytes((d := new_document()) and grid_table(d, header, rows) and d), a.reps)
    peer = median_time(lambda: to_bytes((d := new_document()) and plain_table(d, header, rows) or d), a.reps)
    print(f"table of {a.rows} rows + save: grid_table {ours:.3f} s, python-docx add_row {peer:.3f} s, "
          f"ratio {ours / peer:.3f}")
    if a.demo:
        from django.contrib.auth.models import User
        from django.test import Client

        from dangbo.appraisal.models import Campaign

        c = Client()
        c.force_login(User.objects.get(username="vanphong"))
        camp = Campaign.objects.filter(year=2025).order_by("pk").first()
        url = f"/danh-gia/{camp.id}/quyet-dinh.docx"
        c.get(url)  # warm-up
        t = median_time(lambda: c.get(url), a.reps)
        cpu = median_time(lambda: c.get(url), a.reps, cpu=True)
        print(f"GET {url} (office, {camp.reviews.filter(status='decided').count()} decided reviews): "
              f"median {t:.3f} s wall, {cpu:.3f} s CPU; load {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
