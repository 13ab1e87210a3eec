"""dangbo recount [--check]: rebuild the organisations' member counters from the member rows.

The counters (`Organization.official_count`, `probationary_count`) are kept by the services in the
same transaction as each member change; this recomputes them with one grouped query (orgs.counts):
after a bulk load that bypasses the services, or to check them. Prints how many were wrong.
"""

import time

from django.core.management.base import CommandError

from dangbo.core.command import DangboCommand
from dangbo.orgs.counts import counts_rebuild


class Command(DangboCommand):
    help = "Tính lại số đảng viên chính thức / dự bị của từng tổ chức từ danh sách đảng viên."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true",
                            help="chỉ kiểm tra, không ghi; mã thoát 1 nếu có tổ chức đếm sai")

    def handle(self, *args, **o):
        t0 = time.perf_counter()
        wrong = counts_rebuild(dry_run=o["check"])
        ms = (time.perf_counter() - t0) * 1000
        if o["check"]:
            if wrong:
                raise CommandError(f"{len(wrong)} tổ chức có số đảng viên sai (ví dụ id {wrong[:10]}); "
                                   "chạy «dangbo recount» để tính lại.")
            self.stdout.write(f"Số đảng viên của mọi tổ chức đều đúng ({ms:.0f} ms).")
        else:
            self.stdout.write(f"Đã tính lại: {len(wrong)} tổ chức được sửa ({ms:.0f} ms).")
