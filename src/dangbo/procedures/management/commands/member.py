"""dangbo member dates --input FILE.csv --today YYYY-MM-DD --json

The dates of each member's procedures (issue 13; MEM-1, MEM-3 in `dangbo.procedures.rules`).
Nothing is read from or written to the registry; the working days are the holiday calendar's
(`dangbo.workdays`: the office's calendar where it has the year, the `holidays` package otherwise).

FILE.csv (UTF-8, a BOM is allowed; delimiter `,` `;` or tab; header row first, extra columns ignored):

    id,decision_date,ceremony_date,discipline,discipline_date

dates yyyy-mm-dd; discipline none | reprimand | warning | dismissal (empty = none); discipline_date
required with a discipline, empty without one; the ceremony is not before the decision.

Output with --json:
    {"results": [{"id", "probation_end", "recognition_deadline", "party_age_years",
                  "next_badge": {"years", "reached", "award_date"}}, …]}
dates as yyyy-mm-dd; next_badge is null past the last tier (90 years). Without --json: a table in
Vietnamese. Bad input: a CommandError naming the file, the line (as a spreadsheet shows it, the
header being line 1) and the column; non-zero exit, nothing on stdout.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

from django.core.management.base import CommandError

from dangbo.core.command import DangboCommand
from dangbo.core.csvfile import CsvError, read_csv
from dangbo.core.rulesettings import configured
from dangbo.members.rules import DISCIPLINE_LABELS, MemberRuleSettings
from dangbo.procedures import rules
from dangbo.workdays.selectors import calendar_days

COLUMNS = ("id", "decision_date", "ceremony_date", "discipline", "discipline_date")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _day(text: str) -> date | None:
    if not _DATE.fullmatch(text):
        return None
    try:
        d = date.fromisoformat(text)
    except ValueError:
        return None
    return d if 1900 <= d.year <= 2200 else None


def read_rows(path: Path) -> list[dict]:
    """Read and check FILE.csv; CsvError (Vietnamese: file, line, column) at the first problem."""
    rows, seen = [], {}
    for c in read_csv(path, COLUMNS):
        ident = c.text("id")
        if ident in seen:
            raise c.error("id", f"mã «{ident}» trùng với dòng {seen[ident]}.")
        seen[ident] = c.line
        days = {}
        for col in ("decision_date", "ceremony_date"):
            value = c.text(col)
            days[col] = _day(value)
            if days[col] is None:
                raise c.error(col, f"«{value}» không phải ngày hợp lệ dạng yyyy-mm-dd (năm 1900–2200).")
        if days["ceremony_date"] < days["decision_date"]:
            raise c.error("ceremony_date", f"ngày lễ kết nạp ({days['ceremony_date']:%d/%m/%Y}) trước ngày quyết định "
                                           f"kết nạp ({days['decision_date']:%d/%m/%Y}).")
        discipline = (c.get("discipline") or "none").lower()
        if discipline not in rules.DISCIPLINES:
            raise c.error("discipline", f"«{c.get('discipline')}» không hợp lệ; ghi một trong: "
                                        f"{', '.join(rules.DISCIPLINES)}.")
        when = c.get("discipline_date") or ""
        discipline_date = None
        if discipline == "none":
            if when:
                raise c.error("discipline_date", "có ngày kỷ luật nhưng cột discipline ghi «none».")
        else:
            if not when:
                raise c.error("discipline_date", f"thiếu ngày quyết định kỷ luật "
                                                 f"({DISCIPLINE_LABELS.get(discipline, discipline).lower()}).")
            discipline_date = _day(when)
            if discipline_date is None:
                raise c.error("discipline_date", f"«{when}» không phải ngày hợp lệ dạng yyyy-mm-dd (năm 1900–2200).")
        rows.append({"id": ident, "line": c.line, **days, "discipline": discipline,
                     "discipline_date": discipline_date})
    return rows


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


class Command(DangboCommand):
    help = "Các mốc thời gian của đảng viên: hết dự bị, hạn xét công nhận chính thức, tuổi Đảng, Huy hiệu Đảng kế tiếp."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="dates")
        d = sub.add_parser("dates", help="tính các mốc thời gian cho từng dòng của tệp CSV")
        d.add_argument("--input", required=True, metavar="FILE.csv", help="tệp CSV (xem các cột ở đầu mã nguồn)")
        d.add_argument("--today", required=True, metavar="YYYY-MM-DD", help="ngày tính tuổi Đảng và Huy hiệu")
        d.add_argument("--json", action="store_true", help="in JSON")

    def handle(self, *args, **o):
        today = _day(o["today"])
        if today is None:
            raise CommandError(f"--today: «{o['today']}» không phải ngày hợp lệ dạng yyyy-mm-dd (năm 1900–2200).")
        try:
            rows = read_rows(Path(o["input"]))
        except CsvError as e:
            raise CommandError(str(e)) from None
        settings = configured(MemberRuleSettings)
        out = []
        if rows:
            ends = [rules.mr.probation_end(r["ceremony_date"], settings=settings) for r in rows]
            span = 2 * settings.recognition_working_days + 60
            off, worked = calendar_days(min(ends), max(ends) + timedelta(days=span))
        for r in rows:
            dates = rules.member_dates(decision_date=r["decision_date"], ceremony_date=r["ceremony_date"], today=today,
                                       discipline=r["discipline"], discipline_date=r["discipline_date"],
                                       off=off, worked=worked, settings=settings)
            badge = dates.next_badge
            out.append({
                "id": r["id"],
                "probation_end": _iso(dates.probation_end),
                "recognition_deadline": _iso(dates.recognition_deadline),
                "party_age_years": dates.party_age_years,
                "next_badge": None if badge is None else {
                    "years": badge.years, "reached": _iso(badge.reached), "award_date": _iso(badge.award_date)},
            })
        if o["json"]:
            self.stdout.write(json.dumps({"results": out}, ensure_ascii=False))
            return
        w = self.stdout.write
        w(f"Các mốc thời gian tính đến ngày {today:%d/%m/%Y}")
        w("Mã | Hết dự bị | Hạn xét chính thức | Tuổi Đảng | Huy hiệu kế tiếp")
        for r in out:
            b = r["next_badge"]
            badge = (f"{b['years']} năm, trao ngày {date.fromisoformat(b['award_date']):%d/%m/%Y}" if b else "—")
            w(f"{r['id']} | {date.fromisoformat(r['probation_end']):%d/%m/%Y} | "
              f"{date.fromisoformat(r['recognition_deadline']):%d/%m/%Y} | {r['party_age_years']} | {badge}")
