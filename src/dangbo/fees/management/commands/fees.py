"""dangbo fees due --input FILE.csv --month YYYY-MM [--json]

Computes each row's party fee for the month with the rules in force for that month (FEE-1..FEE-9,
`dangbo.fees.rules`). Nothing is saved.

FILE.csv (UTF-8, a BOM is allowed; delimiter `,` `;` or tab; header row first, extra columns ignored):

    id,category,base,decision_date,reduction_pct,exempt

- category: insured | benefit | pension | student | other;
- base: the monthly amount in đồng the rate applies to (whole đồng; "5000000" or "5.000.000"); needed
  for insured / benefit / pension, ignored for student / other (their sums come from the settings);
- decision_date: the admission decision, yyyy-mm-dd (party age, FEE-4's 50 years); may be empty;
- reduction_pct: 0 | 30 | 50 | 70 (empty = 0); exempt: none | social_pension | hardship (empty = none).

Output with --json:
    {"month": "YYYY-MM", "regime": "342-QĐ/TW" | "01-QĐ/TW",
     "results": [{"id", "due", "reasons": [...]}, …]}
`due` in whole đồng; `reasons` the DOMAIN rule ids that decided. Without --json: a table in
Vietnamese. Bad input: a CommandError naming the file, the row (as a spreadsheet shows it, the header
being row 1) and the column; nothing on stdout.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from django.core.management.base import CommandError

from dangbo.core.command import DangboCommand
from dangbo.core.csvfile import CsvError, CsvRow, read_csv
from dangbo.core.numbers import vn_number
from dangbo.core.rulesettings import configured
from dangbo.fees import rules
from dangbo.fees.rules import Declaration, FeeRuleSettings

COLUMNS = ("id", "category", "base", "decision_date", "reduction_pct", "exempt")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WHOLE = re.compile(r"\d+|\d{1,3}(\.\d{3})+")


class _RowError(Exception):
    def __init__(self, column: str, message: str):
        self.column, self.message = column, message


def _declaration(c: CsvRow) -> Declaration:
    category = c["category"].lower()
    if category not in rules.CATEGORIES:
        raise _RowError("category", f"«{c['category']}» không hợp lệ; ghi một trong: {', '.join(rules.CATEGORIES)}.")
    base = None
    text = c["base"].replace(" ", "")
    if category in rules.BASED:
        if not text:
            raise _RowError("base", "bỏ trống; cần số tiền (đồng) làm căn cứ đóng đảng phí.")
        if not _WHOLE.fullmatch(text):
            raise _RowError("base", f"«{c['base']}» không phải số đồng nguyên (ví dụ 5000000).")
        base = int(text.replace(".", ""))
        if base > 10_000_000_000:
            raise _RowError("base", f"«{c['base']}» lớn hơn 10 tỷ đồng.")
    decision = None
    if c["decision_date"]:
        try:
            if not _DATE.fullmatch(c["decision_date"]):
                raise ValueError
            decision = date.fromisoformat(c["decision_date"])
        except ValueError:
            raise _RowError("decision_date", f"«{c['decision_date']}» không phải ngày hợp lệ dạng yyyy-mm-dd.") from None
    reduction_text = c["reduction_pct"].removesuffix("%").strip() or "0"
    if not reduction_text.isdigit() or int(reduction_text) not in rules.REDUCTIONS:
        raise _RowError("reduction_pct", f"«{c['reduction_pct']}» không hợp lệ; ghi 0, 30, 50 hoặc 70.")
    exempt = c["exempt"].lower() or "none"
    if exempt not in rules.EXEMPTIONS:
        raise _RowError("exempt", f"«{c['exempt']}» không hợp lệ; ghi một trong: {', '.join(rules.EXEMPTIONS)}.")
    return Declaration(category=category, base=base, decision_date=decision,
                       reduction_pct=int(reduction_text), exempt=exempt)


def read_rows(path: Path) -> list[tuple[str, Declaration]]:
    """Read and check FILE.csv; CommandError (Vietnamese: file, row, column) at the first problem."""
    name = str(path)
    try:
        records = read_csv(path, COLUMNS)
    except CsvError as e:
        raise CommandError(str(e)) from None
    rows: list[tuple[str, Declaration]] = []
    seen: dict[str, int] = {}
    for c in records:
        if not c["id"]:
            raise CommandError(f"Tệp «{name}», dòng {c.line}, cột «id»: thiếu mã.")
        if c["id"] in seen:
            raise CommandError(f"Tệp «{name}», dòng {c.line}, cột «id»: mã «{c['id']}» trùng với dòng {seen[c['id']]}.")
        try:
            decl = _declaration(c)
        except _RowError as e:
            raise CommandError(f"Tệp «{name}», dòng {c.line}, cột «{e.column}»: {e.message}") from None
        seen[c["id"]] = c.line
        rows.append((c["id"], decl))
    return rows


class Command(DangboCommand):
    help = "Tính đảng phí hằng tháng từ tệp CSV (Quy định 342-QĐ/TW đến tháng 01/2026, 01-QĐ/TW từ tháng 02/2026)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="due")
        d = sub.add_parser("due", help="số đảng phí phải đóng của mỗi dòng trong tháng")
        d.add_argument("--input", required=True, metavar="FILE.csv", help="tệp CSV (xem các cột ở đầu mã nguồn)")
        d.add_argument("--month", required=True, metavar="YYYY-MM", help="tháng đóng đảng phí")
        d.add_argument("--json", action="store_true", help="in JSON")

    def handle(self, *args, **o):
        if o["action"] != "due":  # pragma: no cover - argparse only allows "due"
            raise CommandError("Chỉ có lệnh: due.")
        try:
            year, month = rules.parse_month(o["month"])
        except ValueError:
            raise CommandError(f"--month: «{o['month']}» không phải tháng hợp lệ dạng YYYY-MM.") from None
        try:
            settings = configured(FeeRuleSettings)
        except ValueError as e:
            raise CommandError(f"Cài đặt đảng phí (DANGBO_RULES) không hợp lệ: {e}") from None
        rows = read_rows(Path(o["input"]))
        dues = [(i, rules.monthly_due(d, year, month, settings=settings)) for i, d in rows]
        regime = rules.regime_for_month(year, month, settings=settings)
        if o["json"]:
            data = {"month": rules.month_text(year, month), "regime": regime,
                    "results": [{"id": i, "due": d.due, "reasons": list(d.reasons)} for i, d in dues]}
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        w = self.stdout.write
        w(f"Đảng phí tháng {month:02d}/{year} — Quy định {regime}")
        id_w = max([len("Mã"), *(len(i) for i, _ in dues)])
        w(f"{'Mã':<{id_w}}  {'Phải đóng (đ)':>14}  Căn cứ")
        for i, d in dues:
            w(f"{i:<{id_w}}  {vn_number(d.due):>14}  {', '.join(d.reasons)}")
        w(f"{'Cộng':<{id_w}}  {vn_number(sum(d.due for _, d in dues)):>14}")
