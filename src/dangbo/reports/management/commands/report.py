"""dangbo report members --org CODE --as-of YYYY-MM-DD --json [--xlsx FILE]

The membership statistics of an organisation's subtree on a day, replayed from the member events
(`dangbo.reports.rules`; MEM-5 counting, as `dangbo stats`: temporary members at their permanent cell
only). Output with --json, one object:

    {"org", "as_of", "total", "official", "probationary", "by_sex": {"M", "F"},
     "by_age_band": {"≤30", "31–40", "41–50", "51–60", ">60"},
     "by_party_age_band": {"<10", "10–19", "20–29", "30–39", "≥40"},
     "by_ethnicity", "by_religion", "by_education", "by_theory_level", "by_professional_level"}

Each breakdown adds up to `total` (a blank value is counted under "Chưa rõ"). For the root
organisation today, total / official / probationary equal `dangbo stats --json`'s members /
official / probationary. --xlsx FILE also writes the workbook (one sheet per table; the file is
created owner-only). Without --json: the tables in Vietnamese. Bad input: a CommandError in
Vietnamese naming the option, nothing on stdout.

dangbo report tallies [--check]

Rebuilds the membership tallies (`reports.tallies`: per organisation and value, kept exact by the
member services) from the member rows, after a bulk load that bypassed the services; prints the
time. --check writes nothing and exits with an error naming how many rows were wrong.

dangbo report snapshots [--months N] [--before YYYY-MM-DD] [--min-members K] [--check]

Writes the monthly snapshots of the tallies (`reports.snapshots`) for the last days of the N months
before this one (default 12; --before: before that day's month) not written yet, for the organisations of at least K counted members
(default 1000); prints the days written and the time. A past day's statistics then start from the
first snapshot on or after it. --check writes nothing: it replays every member on each snapshot's day
and exits with an error naming how many rows differ (a small database's check).
"""

from __future__ import annotations

import json
import re
import time
from datetime import date
from pathlib import Path

from django.core.management.base import CommandError

from dangbo.core.command import DangboCommand
from dangbo.ops.files import create_owner_only
from dangbo.reports import rules, selectors, tables
from dangbo.reports.snapshots import MIN_MEMBERS, month_ends, snapshots_build, snapshots_check
from dangbo.reports.tallies import tallies_rebuild

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _day(value: str | None, option: str = "--as-of") -> date:
    if not value:
        raise CommandError(f"Thiếu {option} (ngày thống kê, dạng YYYY-MM-DD).")
    try:
        if not _DAY.fullmatch(value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} phải là một ngày dạng YYYY-MM-DD (nhận được «{value}»).") from None


class Command(DangboCommand):
    help = "Thống kê đảng viên của một tổ chức đảng tính đến một ngày."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{members,tallies,snapshots}")
        m = sub.add_parser("members", help="thống kê đảng viên tính đến một ngày")
        m.add_argument("--org", help="mã tổ chức đảng")
        m.add_argument("--as-of", dest="as_of", help="ngày thống kê YYYY-MM-DD")
        m.add_argument("--json", action="store_true", help="in JSON")
        m.add_argument("--xlsx", help="ghi thêm tệp Excel")
        t = sub.add_parser("tallies", help="tính lại bảng đếm đảng viên từ danh sách đảng viên")
        t.add_argument("--check", action="store_true", help="chỉ kiểm tra, không ghi; mã thoát 1 nếu có dòng sai")
        s = sub.add_parser("snapshots", help="ghi ảnh chụp bảng đếm cuối mỗi tháng")
        s.add_argument("--months", type=int, default=12, help="số tháng gần nhất (mặc định 12)")
        s.add_argument("--before", help="các tháng trước tháng của ngày này YYYY-MM-DD (mặc định hôm nay)")
        s.add_argument("--min-members", dest="min_members", type=int, default=MIN_MEMBERS,
                       help=f"chỉ các tổ chức có từ chừng này đảng viên (mặc định {MIN_MEMBERS})")
        s.add_argument("--check", action="store_true", help="chỉ kiểm tra, không ghi; mã thoát 1 nếu có dòng sai")

    def handle(self, *args, **o):
        if o["action"] == "tallies":
            return self._tallies(check=o["check"])
        if o["action"] == "snapshots":
            before = _day(o["before"], "--before") if o.get("before") else date.today()
            return self._snapshots(months=o["months"], before=before, min_members=o["min_members"], check=o["check"])
        if not o.get("org"):
            raise CommandError("Thiếu --org (mã tổ chức đảng).")
        day = _day(o.get("as_of"))
        org = selectors.org_by_code(o["org"])
        if org is None:
            raise CommandError(f"Không có tổ chức đảng mã «{o['org']}» (--org).")
        xlsx = Path(o["xlsx"]) if o.get("xlsx") else None
        if xlsx is not None and not xlsx.parent.is_dir():
            raise CommandError(f"--xlsx: không có thư mục «{xlsx.parent}».")
        report = selectors.members_report(org, day)
        if xlsx is not None:
            data = tables.workbook(tables.composition_tables(report), org_name=org.name, as_of=day)
            try:
                create_owner_only(xlsx)
                xlsx.write_bytes(data)
            except OSError as exc:
                raise CommandError(f"--xlsx: không ghi được tệp «{xlsx}» ({exc.strerror}).") from None
        if o["json"]:
            self.stdout.write(json.dumps(rules.contract(report, org=org.code, as_of=day), ensure_ascii=False))
            return
        self.stdout.write(f"{org.name} — tính đến ngày {day:%d/%m/%Y}")
        for t in tables.composition_tables(report):
            self.stdout.write(f"\n{t.title}")
            for row in t.rows + ([t.total] if t.total else []):
                self.stdout.write("  " + " | ".join(str(v) for v in row))

    def _tallies(self, *, check: bool) -> None:
        t0 = time.perf_counter()
        wrong = tallies_rebuild(check=check)
        ms = (time.perf_counter() - t0) * 1000
        if not check:
            self.stdout.write(f"Đã tính lại bảng đếm đảng viên ({ms:.0f} ms).")
        elif wrong:
            raise CommandError(f"{wrong} dòng của bảng đếm đảng viên sai; chạy «dangbo report tallies» để tính lại.")
        else:
            self.stdout.write(f"Bảng đếm đảng viên đúng ({ms:.0f} ms).")

    def _snapshots(self, *, months: int, before: date, min_members: int, check: bool) -> None:
        t0 = time.perf_counter()
        if check:
            wrong = snapshots_check()
            if wrong:
                raise CommandError(f"{wrong} dòng của ảnh chụp bảng đếm sai so với tính lại từ sự kiện.")
            self.stdout.write(f"Ảnh chụp bảng đếm đúng ({(time.perf_counter() - t0) * 1000:.0f} ms).")
            return
        if months < 0 or min_members < 0:
            raise CommandError("--months và --min-members phải là số không âm.")
        days = snapshots_build(month_ends(months, before), min_members=min_members)
        ms = (time.perf_counter() - t0) * 1000
        written = ", ".join(f"{d:%d/%m/%Y}" for d in days) or "không có ngày mới"
        self.stdout.write(f"Đã ghi ảnh chụp bảng đếm: {written} ({ms:.0f} ms).")
