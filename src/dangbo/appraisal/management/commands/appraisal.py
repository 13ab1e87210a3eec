"""dangbo appraisal grade --input FILE.csv --year YYYY [--review-date YYYY-MM-DD] [--exception GROUP] [--json]

Grades the rows of a CSV file with the appraisal rules (APR-1..APR-7, `dangbo.appraisal.rules`) and
checks the excellent quota of each peer group (APR-4). Nothing is saved and nothing is downgraded:
a group over its quota is reported with `"exceeded": true` for the deciding level to act on.

FILE.csv (UTF-8, a BOM is allowed; delimiter `,` or `;`; header row first, extra columns ignored):

    id,peer_group,role,score,tasks_done_pct,tasks_late_pct,tasks_beyond_pct,shortcomings_fixed,
    discipline,degradation,admitted,exempt,suspended

- role: leader | member | collective; discipline (in the year, duty-related): none | reprimand |
  warning | dismissal | expulsion; shortcomings_fixed, degradation, exempt, suspended: yes | no;
- score and the *_pct columns: numbers 0–100 (a decimal comma is accepted); they may be left empty
  for a row that is not reviewed (APR-1), and the score for a year before 2025 (APR-7: no scale);
- admitted: yyyy-mm-dd or empty, compared with the review date (default 31/12 of the year); it,
  exempt and suspended only apply to individuals (not to role collective).

Output with --json:
    {"results": [{"id", "grade", "reasons"}, …],
     "quota": [{"peer_group", "good", "excellent", "max_excellent", "exceeded"}, …]}
grade: excellent | good | completed | not_completed | not_reviewed; reasons: the DOMAIN rule ids
that decided. Without --json: a table in Vietnamese. Bad input: a CommandError naming the file, the
row (as a spreadsheet shows it, the header being row 1) and the column; nothing on stdout.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.core.management.base import CommandError

from dangbo.appraisal import rules
from dangbo.appraisal.rules import DISCIPLINES, GRADE_LABELS, ROLES, AppraisalRuleSettings, Grading
from dangbo.core.command import DangboCommand
from dangbo.core.csvfile import CsvError, read_csv
from dangbo.core.rulesettings import configured

COLUMNS: tuple[str, ...] = (
    "id", "peer_group", "role", "score", "tasks_done_pct", "tasks_late_pct", "tasks_beyond_pct",
    "shortcomings_fixed", "discipline", "degradation", "admitted", "exempt", "suspended",
)
NUMBER_COLUMNS = ("score", "tasks_done_pct", "tasks_late_pct", "tasks_beyond_pct")
YES_NO_COLUMNS = ("shortcomings_fixed", "degradation", "exempt", "suspended")
YES = {"yes", "có", "co"}
NO = {"no", "không", "khong"}
ROUNDING_LABELS = {"floor": "xuống", "round": "đến số gần nhất", "ceil": "lên"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")


@dataclass
class Row:
    line: int
    id: str
    peer_group: str
    role: str
    score: float | None
    tasks_done_pct: float | None
    tasks_late_pct: float | None
    tasks_beyond_pct: float | None
    shortcomings_fixed: bool
    discipline: str
    degradation: bool
    admitted: date | None
    exempt: bool
    suspended: bool


class _RowError(Exception):
    def __init__(self, column: str, message: str):
        self.column, self.message = column, message


def _parse_date(text: str, what: str) -> date:
    try:
        if not _DATE.fullmatch(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{what}: «{text}» không phải ngày hợp lệ dạng yyyy-mm-dd.") from None


def read_rows(path: Path, *, year: int, review_date: date,
              settings: AppraisalRuleSettings = rules.DEFAULTS) -> list[Row]:
    """Read and check FILE.csv; CommandError (Vietnamese: file, row, column) at the first problem."""
    name = str(path)
    try:
        records = read_csv(path, COLUMNS)
    except CsvError as e:
        raise CommandError(str(e)) from None
    rows: list[Row] = []
    seen: dict[str, int] = {}
    for cells in records:
        line = cells.line
        try:
            row = _parse_row(line, cells, year=year, review_date=review_date, settings=settings)
        except _RowError as e:
            raise CommandError(f"Tệp «{name}», dòng {line}, cột «{e.column}»: {e.message}") from None
        if row.id in seen:
            raise CommandError(f"Tệp «{name}», dòng {line}, cột «id»: mã «{row.id}» trùng với dòng {seen[row.id]}.")
        seen[row.id] = line
        rows.append(row)
    return rows


def _number(col: str, text: str) -> float | None:
    if text == "":
        return None
    t = text.removesuffix("%").strip()
    if not _NUMBER.fullmatch(t):
        raise _RowError(col, f"«{text}» không phải là số.")
    value = float(t.replace(",", "."))
    if math.isnan(value) or not 0 <= value <= 100:
        raise _RowError(col, f"{text} nằm ngoài khoảng 0–100.")
    return value


def _yes_no(col: str, text: str) -> bool:
    t = text.lower()
    if t in YES:
        return True
    if t in NO:
        return False
    raise _RowError(col, f"«{text}» không hợp lệ; ghi «yes» hoặc «no».")


def _parse_row(line: int, c: dict[str, str], *, year: int, review_date: date,
               settings: AppraisalRuleSettings) -> Row:
    if not c["id"]:
        raise _RowError("id", "thiếu mã.")
    if not c["peer_group"]:
        raise _RowError("peer_group", "thiếu nhóm đối tượng (nhóm có vị trí, vai trò tương đồng).")
    role = c["role"].lower()
    if role not in ROLES:
        raise _RowError("role", f"«{c['role']}» không hợp lệ; ghi một trong: {', '.join(ROLES)}.")
    numbers = {col: _number(col, c[col]) for col in NUMBER_COLUMNS}
    flags = {col: _yes_no(col, c[col]) for col in YES_NO_COLUMNS}
    discipline = c["discipline"].lower()
    if discipline not in DISCIPLINES:
        raise _RowError("discipline", f"«{c['discipline']}» không hợp lệ; ghi một trong: {', '.join(DISCIPLINES)}.")
    admitted = None
    if c["admitted"]:
        try:
            admitted = _parse_date(c["admitted"], "ngày kết nạp")
        except CommandError as e:
            raise _RowError("admitted", str(e)) from None
    row = Row(line=line, id=c["id"], peer_group=c["peer_group"], role=role, discipline=discipline,
              admitted=admitted, **numbers, **flags)
    reviewed = role == "collective" or rules.not_reviewed_reason(
        exempt=row.exempt, suspended=row.suspended, admitted=admitted, review_date=review_date,
        settings=settings) is None
    if reviewed:
        old = rules.regulation_for_year(year, settings=settings) == rules.REGULATION_124
        for col in NUMBER_COLUMNS:
            if numbers[col] is None and not (col == "score" and old):
                raise _RowError(col, "bỏ trống; cần một số từ 0 đến 100.")
    return row


def grade_rows(rows: list[Row], *, year: int, review_date: date,
               settings: AppraisalRuleSettings = rules.DEFAULTS) -> dict[str, Grading]:
    out = {}
    for r in rows:
        out[r.id] = rules.grade_member(
            role=r.role, score=r.score, tasks_done_pct=r.tasks_done_pct or 0, tasks_late_pct=r.tasks_late_pct or 0,
            tasks_beyond_pct=r.tasks_beyond_pct or 0, shortcomings_fixed=r.shortcomings_fixed,
            discipline=r.discipline, degradation=r.degradation, admitted=r.admitted, exempt=r.exempt,
            suspended=r.suspended, year=year, review_date=review_date, settings=settings)
    return out


class Command(DangboCommand):
    help = "Đánh giá, xếp loại chất lượng đảng viên, tập thể từ tệp CSV (Quy định 366-QĐ/TW; trước 2025: 124-QĐ/TW)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="grade")
        g = sub.add_parser("grade", help="xếp loại các dòng của tệp CSV và kiểm tra tỷ lệ xuất sắc theo nhóm")
        g.add_argument("--input", required=True, metavar="FILE.csv", help="tệp CSV (xem các cột ở đầu mã nguồn)")
        g.add_argument("--year", required=True, type=int, metavar="YYYY", help="năm đánh giá")
        g.add_argument("--review-date", metavar="YYYY-MM-DD", help="ngày đánh giá (mặc định 31/12 của năm)")
        g.add_argument("--exception", action="append", default=[], metavar="PEER_GROUP",
                       help="nhóm được cấp có thẩm quyền cho phép tỷ lệ xuất sắc 25%% (lặp lại được)")
        g.add_argument("--json", action="store_true", help="in JSON")

    def handle(self, *args, **o):
        if o["action"] != "grade":  # pragma: no cover - argparse only allows "grade"
            raise CommandError("Chỉ có lệnh: grade.")
        year = o["year"]
        if not 1930 <= year <= 2100:
            raise CommandError(f"Năm đánh giá không hợp lệ: {year}.")
        review_date = rules.default_review_date(year)
        if o.get("review_date"):
            review_date = _parse_date(o["review_date"], "--review-date")
        settings = configured(AppraisalRuleSettings)
        rows = read_rows(Path(o["input"]), year=year, review_date=review_date, settings=settings)
        results = grade_rows(rows, year=year, review_date=review_date, settings=settings)
        quotas = rules.apply_quota(results, {r.id: r.peer_group for r in rows}, exceptions=set(o["exception"]),
                                   settings=settings)
        if o["json"]:
            data = {
                "results": [{"id": r.id, "grade": results[r.id].grade, "reasons": list(results[r.id].reasons)}
                            for r in rows],
                "quota": [q._asdict() for q in quotas],
            }
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self._table(rows, results, quotas, year=year, review_date=review_date, exceptions=set(o["exception"]),
                    settings=settings)

    def _table(self, rows, results, quotas, *, year, review_date, exceptions, settings):
        w = self.stdout.write
        w(f"Đánh giá, xếp loại chất lượng năm {year} — Quy định {rules.regulation_for_year(year, settings=settings)} "
          f"(ngày đánh giá {review_date:%d/%m/%Y})")
        id_w = max([len("Mã"), *(len(r.id) for r in rows)])
        grp_w = max([len("Nhóm"), *(len(r.peer_group) for r in rows)])
        lab_w = max(len(s) for s in GRADE_LABELS.values())
        w(f"{'Mã':<{id_w}}  {'Nhóm':<{grp_w}}  {'Xếp loại':<{lab_w}}  Căn cứ")
        for r in rows:
            g = results[r.id]
            note = f" — {g.note}" if g.note else ""
            w(f"{r.id:<{id_w}}  {r.peer_group:<{grp_w}}  {g.label:<{lab_w}}  {', '.join(g.reasons)}{note}")
        w("")
        w(f"Tỷ lệ xuất sắc theo nhóm (APR-4): tối đa {settings.quota_pct:g}% số hoàn thành tốt "
          f"({settings.quota_exception_pct:g}% khi được cho phép), làm tròn {ROUNDING_LABELS[settings.quota_rounding]}")
        w(f"{'Nhóm':<{grp_w}}  {'Tốt':>4}  {'Xuất sắc':>8}  {'Tối đa':>6}")
        for q in quotas:
            flag = "  VƯỢT TỶ LỆ — cấp có thẩm quyền phải xem xét lại" if q.exceeded else ""
            extra = " (25%)" if q.peer_group in exceptions else ""
            w(f"{q.peer_group:<{grp_w}}  {q.good:>4}  {q.excellent:>8}  {q.max_excellent:>6}{extra}{flag}")
