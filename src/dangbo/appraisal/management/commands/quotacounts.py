"""dangbo quotacounts [--check] [--campaign ID]: recompute the APR-4 counts kept per campaign, grassroots
unit, peer group and standing grade (appraisal.kept) from the reviews.

The services keep them in the same transaction as each write of a review; this is for a bulk write
that bypasses them (the benchmarks), or to check. Prints how many counts were wrong; with --check
writes nothing and exits 1 if any.
"""

import time

from django.core.management.base import CommandError
from django.db import transaction

from dangbo.appraisal.kept import rebuild
from dangbo.core.command import DangboCommand


class Command(DangboCommand):
    help = "Tính lại số phiếu theo xếp loại của từng tổ chức cơ sở và nhóm đối tượng (tỷ lệ xuất sắc)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true",
                            help="chỉ kiểm tra, không ghi; mã thoát 1 nếu có số đếm sai")
        parser.add_argument("--campaign", type=int, help="chỉ một đợt đánh giá (mã số)")

    def handle(self, *args, **o):
        t0 = time.perf_counter()
        with transaction.atomic():
            wrong = rebuild(campaign_id=o["campaign"], dry_run=o["check"])
        ms = (time.perf_counter() - t0) * 1000
        if o["check"]:
            if wrong:
                raise CommandError(f"{wrong} số đếm xếp loại sai; chạy «dangbo quotacounts» để tính lại.")
            self.stdout.write(f"Số đếm xếp loại của mọi đợt đánh giá đều đúng ({ms:.0f} ms).")
        else:
            self.stdout.write(f"Đã tính lại: {wrong} số đếm được sửa ({ms:.0f} ms).")
