"""dangbo congress allocate: share a congress's delegate seats among the subordinate organisations (CON-2).

    dangbo congress allocate --orgs ORGS.csv --seats N [--ex-officio E] [--base-per-org K]
                             [--level committee|grassroots_committee] [--json]

ORGS.csv: columns `org,members` and optionally `bonus` (UTF-8, BOM and `;` accepted). Each organisation
gets K + bonus; the rest of N − E is shared by members, largest remainder first (see
congress.rules.allocate). `--json` prints {"allocations": {"<org>": seats, …}, "total": N - E}, the
organisations in file order. `--level` checks N against the cap of Chỉ thị 45-CT/TW (setting).
Bad input: a Vietnamese message naming the file, line and column on stderr, status 1, nothing on stdout.
"""

from __future__ import annotations

import json

from django.core.management.base import CommandError

from dangbo.congress import rules
from dangbo.core.command import DangboCommand
from dangbo.core.csvfile import CsvError, read_csv
from dangbo.core.rulesettings import configured


def read_orgs(path: str) -> list[tuple[str, int, int]]:
    rows = read_csv(path, ("org", "members"), ("bonus",))
    out, seen = [], {}
    for row in rows:
        name = row.text("org")
        if name in seen:
            raise row.error("org", f"tổ chức «{name}» trùng với dòng {seen[name]}.")
        seen[name] = row.line
        out.append((name, row.integer("members"), row.integer("bonus", default=0)))
    if not out:
        raise CsvError(f"Tệp {path}: danh sách tổ chức trống.")
    return out


class Command(DangboCommand):
    help = "Đại hội: phân bổ đại biểu cho các tổ chức trực thuộc (allocate)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{allocate}")
        a = sub.add_parser("allocate", help="phân bổ số đại biểu theo số đảng viên (CON-2)")
        a.add_argument("--orgs", required=True, help="CSV: org,members[,bonus]")
        a.add_argument("--seats", required=True, type=int, help="tổng số đại biểu của đại hội")
        a.add_argument("--ex-officio", type=int, default=0, help="số đại biểu đương nhiên (cấp ủy triệu tập)")
        a.add_argument("--base-per-org", type=int, default=0, help="số đại biểu cố định mỗi tổ chức")
        a.add_argument("--level", choices=rules.LEVELS,
                       help="cấp tổ chức triệu tập, để kiểm tra số đại biểu tối đa")
        a.add_argument("--json", action="store_true", help="in JSON")

    def handle(self, *args, **o):
        try:
            return self.allocate(o)
        except (CsvError, ValueError) as e:
            raise CommandError(str(e)) from None

    def allocate(self, o):
        for name, label in (("seats", "--seats"), ("ex_officio", "--ex-officio"), ("base_per_org", "--base-per-org")):
            if o[name] < 0:
                raise CommandError(f"{label} không được âm.")
        orgs = read_orgs(o["orgs"])
        allocations = rules.allocate(orgs, o["seats"], ex_officio=o["ex_officio"], base_per_org=o["base_per_org"],
                                     level=o.get("level"), settings=configured(rules.CongressRuleSettings))
        total = o["seats"] - o["ex_officio"]
        if o["json"]:
            self.stdout.write(json.dumps({"allocations": allocations, "total": total}, ensure_ascii=False))
            return
        members = {name: m for name, m, _ in orgs}
        bonus = {name: b for name, _, b in orgs}
        width = max(len("Tổ chức"), *(len(n) for n in allocations))
        self.stdout.write(f"Tổng số đại biểu: {o['seats']} — đương nhiên: {o['ex_officio']} — "
                          f"phân bổ cho các tổ chức: {total}")
        self.stdout.write(f"{'Tổ chức':<{width}}  {'Đảng viên':>9}  {'Cộng thêm':>9}  {'Đại biểu':>8}")
        for name, seats in allocations.items():
            self.stdout.write(f"{name:<{width}}  {members[name]:>9}  {bonus[name]:>9}  {seats:>8}")
        self.stdout.write(f"{'Cộng':<{width}}  {sum(members.values()):>9}  {sum(bonus.values()):>9}  "
                          f"{sum(allocations.values()):>8}")
