"""dangbo probationcounts [--check]: recompute the MEM-1 probation counts kept per organisation's
subtree and start-of-probation day (procedures.kept) from the members and the tree.

The member services keep them in the same transaction as each write; this is for a bulk write that
bypasses them (the benchmarks' generators), or to check. Prints how many counts were wrong; with
--check writes nothing and exits 1 if any.
"""

import time

from django.core.management.base import CommandError
from django.db import transaction

from dangbo.core.command import DangboCommand
from dangbo.procedures.kept import rebuild


class Command(DangboCommand):
    help = "Tính lại số đảng viên dự bị của từng tổ chức đảng (cả cấp dưới) theo ngày bắt đầu dự bị (việc cần làm)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true",
                            help="chỉ kiểm tra, không ghi; mã thoát 1 nếu có số đếm sai")

    def handle(self, *args, **o):
        t0 = time.perf_counter()
        with transaction.atomic():
            wrong = rebuild(dry_run=o["check"])
        ms = (time.perf_counter() - t0) * 1000
        if o["check"]:
            if wrong:
                raise CommandError(f"{wrong} số đếm đảng viên dự bị sai; chạy «dangbo probationcounts» để tính lại.")
            self.stdout.write(f"Số đếm đảng viên dự bị theo ngày đều đúng ({ms:.0f} ms).")
        else:
            self.stdout.write(f"Đã tính lại: {wrong} số đếm được sửa ({ms:.0f} ms).")
