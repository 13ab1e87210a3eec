"""dangbo badgedays [--check]: recompute every member's stored next-badge day (MEM-3, members.badgedays).

The services keep it in the same transaction as each member change; this is for a bulk load that
bypasses them (bench/national_generate.py), or to check. The stored day uses no setting, so a change
of DANGBO_RULES needs no recompute. Then the same for the counts per organisation and award day that
«Việc cần làm» reads (procedures.badgekept). Prints how many were wrong; with --check exits 1 if any.
"""

import time

from django.core.management.base import CommandError
from django.db import transaction

from dangbo.core.command import DangboCommand
from dangbo.members.badgedays import badge_days_rebuild


class Command(DangboCommand):
    help = "Tính lại ngày đến mốc Huy hiệu Đảng tiếp theo của từng đảng viên (dùng cho «việc cần làm»)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true",
                            help="chỉ kiểm tra, không ghi; mã thoát 1 nếu có đảng viên sai")

    def handle(self, *args, **o):
        t0 = time.perf_counter()
        from dangbo.procedures import badgekept

        wrong = badge_days_rebuild(dry_run=o["check"])
        with transaction.atomic():
            counts = badgekept.rebuild(dry_run=o["check"])
        ms = (time.perf_counter() - t0) * 1000
        if o["check"]:
            if wrong or counts:
                raise CommandError(f"{wrong} đảng viên có ngày đến mốc Huy hiệu sai, {counts} số đếm theo đợt sai; "
                                   "chạy «dangbo badgedays» để tính lại.")
            self.stdout.write(f"Ngày đến mốc Huy hiệu của mọi đảng viên và số đếm theo đợt đều đúng ({ms:.0f} ms).")
        else:
            self.stdout.write(f"Đã tính lại: {wrong} đảng viên được sửa, {counts} số đếm theo đợt được sửa ({ms:.0f} ms).")
