"""dangbo cell warnings --attendance A.csv --payments P.csv --year YYYY [--json]

The removal warning of MTG-8 (Điều lệ Đảng, Điều 8.1) from two files; nothing is saved and no one is
removed — the list is for the cell to consider.

A.csv (UTF-8, a BOM allowed; `,` `;` or tab): `member,month,status` — status present | absent |
excused | exempt | away, month YYYY-MM; several rows of one member and month are allowed (several
meetings: the month counts once when any of them was missed without reason).
P.csv: `member,month,paid` — paid yes | no | excused; one row per member and month.

Output with --json:
    {"year": YYYY, "warnings": [{"member", "absent_months": [...], "unpaid_months": [...],
                                 "grounds": ["absence", "fees"]}, …]}
listing only members who meet a ground (`warning_months` distinct months of the year, default 3,
each ground on its own unless `warning_grounds_add_up`), members in the order they first appear
(attendance file, then payments), months sorted. Rows of other years are read (and checked) but not
counted. Without --json: a table in Vietnamese. Bad input: a Vietnamese CommandError naming the file,
the line and the column, non-zero exit, nothing on stdout.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import CommandError

from dangbo.core.command import DangboCommand
from dangbo.core.csvfile import CsvError, CsvRow, read_csv
from dangbo.core.rulesettings import configured
from dangbo.meetings import rules
from dangbo.meetings.rules import MeetingRuleSettings


def _month(row: CsvRow) -> str:
    text = row.text("month")
    try:
        rules.parse_month(text)
    except ValueError as e:
        raise row.error("month", str(e)) from None
    return text


def _member(row: CsvRow, checked: set[str]) -> str:
    text = row.text("member")
    if text not in checked:  # each member's id is checked once, not on each of their rows
        if not text.isprintable():
            raise row.error("member", "có ký tự điều khiển hoặc ký tự ẩn.")
        checked.add(text)
    return text


def read_attendance(path: Path) -> list[tuple[str, str, str]]:
    """(member, month, status) rows of A.csv; CsvError at the first problem."""
    out, checked = [], set()
    for row in read_csv(path, ("member", "month", "status")):
        member, month = _member(row, checked), _month(row)
        status = row.text("status").lower()
        if status not in rules.STATUSES:
            raise row.error("status", f"«{row['status']}» không hợp lệ (chọn {' | '.join(rules.STATUSES)}).")
        out.append((member, month, status))
    return out


def read_payments(path: Path) -> list[tuple[str, str, str]]:
    """(member, month, paid) rows of P.csv; a member and month given twice is refused."""
    out, seen, checked = [], {}, set()
    for row in read_csv(path, ("member", "month", "paid")):
        member, month = _member(row, checked), _month(row)
        paid = row.text("paid").lower()
        if paid not in rules.PAYMENTS:
            raise row.error("paid", f"«{row['paid']}» không hợp lệ (chọn {' | '.join(rules.PAYMENTS)}).")
        if (member, month) in seen:
            raise row.error("month", f"đảng viên «{member}» tháng {month} đã có ở dòng {seen[member, month]}.")
        seen[member, month] = row.line
        out.append((member, month, paid))
    return out


def warnings_json(attendance, payments, year: int, settings: MeetingRuleSettings = rules.DEFAULTS) -> dict:
    absent, unpaid = rules.absence_months(attendance), rules.unpaid_months(payments)
    order = list(dict.fromkeys([m for m, _x, _y in attendance] + [m for m, _x, _y in payments]))
    found = {w.member: w for w in rules.removal_warnings(
        {rules.GROUND_ABSENCE: absent, rules.GROUND_FEES: unpaid}, year, settings=settings)}
    return {"year": year, "warnings": [
        {"member": m, "absent_months": found[m].absent_months, "unpaid_months": found[m].unpaid_months,
         "grounds": list(found[m].grounds)} for m in order if m in found]}


class Command(DangboCommand):
    help = "Danh sách cảnh báo xoá tên (Điều lệ Đảng, Điều 8.1): vắng sinh hoạt, không đóng đảng phí 3 tháng trong năm."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="warnings")
        w = sub.add_parser("warnings", help="đảng viên vắng sinh hoạt hoặc không đóng đảng phí không có lý do "
                                            "đủ số tháng trong năm")
        w.add_argument("--attendance", required=True, metavar="A.csv", help="tệp điểm danh: member,month,status")
        w.add_argument("--payments", required=True, metavar="P.csv", help="tệp đảng phí: member,month,paid")
        w.add_argument("--year", required=True, type=int, metavar="YYYY", help="năm xét")
        w.add_argument("--json", action="store_true", help="in JSON")

    def handle(self, *args, **o):
        if o["action"] != "warnings":  # pragma: no cover - argparse only allows "warnings"
            raise CommandError("Chỉ có lệnh: warnings.")
        year = o["year"]
        if not 1930 <= year <= 2100:
            raise CommandError(f"Năm xét không hợp lệ: {year}.")
        settings = configured(MeetingRuleSettings)
        try:
            attendance = read_attendance(Path(o["attendance"]))
            payments = read_payments(Path(o["payments"]))
        except CsvError as e:
            raise CommandError(str(e)) from None
        data = warnings_json(attendance, payments, year, settings)
        if o["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        w = self.stdout.write
        w(f"Cảnh báo xoá tên năm {year} (Điều lệ Đảng, Điều 8.1): {settings.warning_months} tháng trở lên "
          "trong năm — để chi bộ xem xét, không tự động xoá tên.")
        if not data["warnings"]:
            w("Không có đảng viên nào.")
        for item in data["warnings"]:
            grounds = "; ".join(rules.GROUND_LABELS[g] for g in item["grounds"])
            w(f"- {item['member']}: {grounds}. Tháng vắng: {_months(item['absent_months'])}; "
              f"tháng chưa đóng: {_months(item['unpaid_months'])}.")


def _months(months: list[str]) -> str:
    return ", ".join(f"{m[5:]}/{m[:4]}" for m in months) or "không"
