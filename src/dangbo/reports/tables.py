"""The statistics as titled tables in Vietnamese, and their Excel and Word files (issue 14).

One table per breakdown, a summary table first and the period's changes when a comparison is asked
for; the page, the workbook (one sheet per table, `core.safecells.xlsx_cell` for every cell) and the
Word report (`core.wordfile`) read the same tables, so they always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from dangbo.core.dates import vn_date
from dangbo.core.numbers import vn_percent
from dangbo.core.safecells import xlsx_cell
from dangbo.core.wordfile import centered, grid_table, new_document, to_bytes
from dangbo.reports import rules


@dataclass
class Table:
    title: str  # also the sheet name (≤ 31 characters, no []:*?/\)
    header: tuple[str, ...]
    rows: list[tuple]  # (label, count, share) or (label, start, end, difference)
    total: tuple | None = None


def _share(n: int, total: int) -> str:
    return vn_percent(100 * n / total) if total else "—"


def _label(name: str, key: str) -> str:
    return rules.SEX_LABELS.get(key, key) if name == "by_sex" else key


def _ordered(name: str, counts: dict) -> list[str]:
    fixed = {"by_sex": rules.SEXES, "by_age_band": rules.AGE_BANDS, "by_party_age_band": rules.PARTY_AGE_BANDS}
    if name in fixed:
        keys = list(fixed[name])
        return keys + sorted(k for k in counts if k not in keys)
    return sorted(counts, key=lambda k: (k == rules.UNKNOWN, -counts[k], k))


def composition_tables(report: dict) -> list[Table]:
    total = report["total"]
    out = [Table("Tổng số", ("Chỉ tiêu", "Số đảng viên", "Tỷ lệ"), [
        ("Tổng số đảng viên", total, _share(total, total)),
        ("Đảng viên chính thức", report["official"], _share(report["official"], total)),
        ("Đảng viên dự bị", report["probationary"], _share(report["probationary"], total)),
    ])]
    for name, title in rules.BREAKDOWNS:
        counts = report[name]
        rows = [(_label(name, k), counts.get(k, 0), _share(counts.get(k, 0), total)) for k in _ordered(name, counts)]
        out.append(Table(title, (title, "Số đảng viên", "Tỷ lệ"), rows, ("Cộng", total, _share(total, total))))
    return out


def comparison_tables(start: dict, end: dict, changes: dict, start_day: date, end_day: date) -> list[Table]:
    """The two days side by side and the period's changes (which carry the first total to the second)."""
    a, b = vn_date(start_day), vn_date(end_day)
    head = ("Chỉ tiêu", f"Ngày {a}", f"Ngày {b}", "Chênh lệch")
    rows = [(label, start[k], end[k], end[k] - start[k]) for k, label in
            (("total", "Tổng số đảng viên"), ("official", "Chính thức"), ("probationary", "Dự bị"))]
    for name, title in rules.BREAKDOWNS[:3]:
        for k in _ordered(name, {**start[name], **end[name]}):
            x, y = start[name].get(k, 0), end[name].get(k, 0)
            rows.append((f"{title}: {_label(name, k)}", x, y, y - x))
    moves = [(label, changes[k]) for k, label in rules.CHANGES]
    return [Table("So sánh hai ngày", head, rows),
            Table("Biến động trong kỳ", ("Biến động", "Số đảng viên"), moves)]


def _sheet_name(title: str) -> str:
    return "".join(c for c in title if c not in "[]:*?/\\")[:31]


def workbook(tables: list[Table], *, org_name: str, as_of: date, note: str = "") -> bytes:
    """One formatted sheet per table: the organisation and the day in the header, then the table."""
    wb = Workbook()
    wb.remove(wb.active)
    bold, thin = Font(bold=True), Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    fill = PatternFill("solid", fgColor="DDE6F0")
    for t in tables:
        ws = wb.create_sheet(_sheet_name(t.title))
        xlsx_cell(ws.cell(1, 1), org_name).font = Font(bold=True, size=13)
        xlsx_cell(ws.cell(2, 1), f"{t.title} — tính đến ngày {vn_date(as_of)}").font = bold
        if note:
            xlsx_cell(ws.cell(3, 1), note).font = Font(italic=True)
        top = 5
        for j, h in enumerate(t.header, start=1):
            c = xlsx_cell(ws.cell(top, j), h)
            c.font, c.fill, c.border = bold, fill, box
            c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        rows = t.rows + ([t.total] if t.total else [])
        for i, row in enumerate(rows, start=top + 1):
            for j, v in enumerate(row, start=1):
                c = xlsx_cell(ws.cell(i, j), v)
                c.border = box
                if isinstance(v, int):
                    c.number_format = "#,##0"
                if t.total and row is t.total:
                    c.font = bold
        ws.column_dimensions["A"].width = 42
        for col in "BCD":
            ws.column_dimensions[col].width = 16
        ws.freeze_panes = ws.cell(top + 1, 1)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(v) -> str:
    return f"{v:,}".replace(",", ".") if isinstance(v, int) else str(v)


def word_report(tables: list[Table], *, org_name: str, as_of: date, note: str = "") -> bytes:
    """The report in the house style: heading, one titled table per statistic."""
    doc = new_document()
    centered(doc, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True)
    centered(doc, org_name.upper(), bold=True)
    centered(doc, "BÁO CÁO", bold=True, size=15)
    centered(doc, f"Thống kê đảng viên tính đến ngày {vn_date(as_of)}", bold=True)
    if note:
        doc.add_paragraph(note)
    for t in tables:
        doc.add_paragraph().add_run(t.title).bold = True
        rows = t.rows + ([t.total] if t.total else [])
        grid_table(doc, t.header, [tuple(_cell(v) for v in r) for r in rows])
    return to_bytes(doc)
