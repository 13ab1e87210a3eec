"""Downloads of an import batch's report: every issue (rows refused, values not read and what was kept,
values repaired, invisible characters removed, problems that stopped the import) as Excel or CSV.

Every cell goes through `core.safecells` (a value from a roll starting with ``=`` stays text) and
`core.textcheck.xml_safe` (Excel cannot hold control characters). Excel: one sheet, the organisation,
batch and date in the header rows, the table's header frozen, column widths set; written row by row
(openpyxl's write-only mode) so a long report does not sit in memory twice.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone

from dangbo.core.safecells import SafeWriter, xlsx_cell
from dangbo.core.textcheck import xml_safe
from dangbo.registry.models import ImportBatch, ImportIssue

ISSUE_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Loại", 22), ("Tệp", 22), ("Dòng", 8), ("Các dòng", 28), ("Họ và tên", 24), ("Cột", 20),
    ("Giá trị trong tệp", 24), ("Đã giữ", 18), ("Ghi chú", 60), ("Mã đảng viên", 12),
)


def kept_words(issue: ImportIssue) -> str:
    """What the registry kept of the cell, in words."""
    if issue.kind in (ImportIssue.REJECTED, ImportIssue.ERROR):
        return "không nhập dòng này"
    return issue.kept or "để trống"


def issue_rows(issues: Iterable[ImportIssue]) -> Iterable[list[Any]]:
    labels = dict(ImportIssue.KIND_CHOICES)
    for i in issues:
        yield [labels.get(i.kind, i.kind), i.file, i.row, i.refs, i.name, i.column, i.value, kept_words(i),
               i.message, i.member_id]


def _title(batch: ImportBatch) -> list[str]:
    made = timezone.localtime(batch.created_at)
    return [f"{batch.organization.name} — lần nhập danh sách #{batch.pk}",
            f"Tệp: {', '.join(batch.files)}; nhập lúc {made:%H:%M} ngày {made:%d/%m/%Y}, {batch.get_status_display()}"]


def xlsx_bytes(sheet: str, title: Sequence[str], columns: Sequence[tuple[str, int]],
               rows: Iterable[Sequence[Any]]) -> bytes:
    """A one-sheet workbook: `title` lines, then the table (header frozen, widths set), every cell safe."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet[:31])
    for n, (_label, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(n)].width = width
    ws.freeze_panes = f"A{len(title) + 3}"
    bold = Font(bold=True)

    def cell(value, font=None):
        c = WriteOnlyCell(ws)
        xlsx_cell(c, xml_safe(value) if isinstance(value, str) else value)
        if font is not None:
            c.font = font
        return c

    for line in title:
        ws.append([cell(line, bold)])
    ws.append([])
    ws.append([cell(label, bold) for label, _w in columns])
    for row in rows:
        ws.append([cell(v) for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_text(columns: Sequence[tuple[str, int]], rows: Iterable[Sequence[Any]]) -> str:
    """UTF-8 CSV text (a BOM added by the caller's response) with the same content, every cell safe."""
    buf = io.StringIO()
    w = SafeWriter(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow([label for label, _w in columns])
    for row in rows:
        w.writerow(["" if v is None else v for v in row])
    return buf.getvalue()


def issues_xlsx(batch: ImportBatch, issues: Iterable[ImportIssue]) -> bytes:
    return xlsx_bytes("Báo cáo nhập", _title(batch), ISSUE_COLUMNS, issue_rows(issues))


def issues_csv(batch: ImportBatch, issues: Iterable[ImportIssue]) -> str:
    return csv_text(ISSUE_COLUMNS, issue_rows(issues))


# ---------------------------------------------------------------- the review queue, for checking on paper

_PAIR_FIELDS = (("name", "Họ và tên", 24), ("birth_date", "Ngày sinh", 12), ("admission_date", "Ngày vào Đảng", 13),
                ("national_id", "Số CCCD", 15), ("party_card_no", "Số thẻ", 11), ("sex", "Giới tính", 8),
                ("home_town", "Quê quán", 26))
QUEUE_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Mã cặp", 9), ("Loại", 30), ("Lý do", 48),
    *((f"{label} {side}", width) for _f, label, width in _PAIR_FIELDS for side in ("A", "B")),
    ("Chi bộ A", 24), ("Chi bộ B", 24), ("Dòng A", 18), ("Dòng B", 18), ("Trạng thái", 13), ("Quyết định", 14),
)
_DECISION = {"merged": "Hợp nhất", "kept_apart": "Giữ riêng"}


def _date_text(value: str) -> str:
    return f"{value[8:10]}/{value[5:7]}/{value[:4]}" if value and len(value) == 10 else value or ""


def queue_rows(pairs: Iterable) -> Iterable[list[Any]]:
    from dangbo.registry.queue import KIND_LABELS

    for p in pairs:
        c = p.comparison
        cells = []
        for f, _label, _w in _PAIR_FIELDS:
            v = c.get(f, {})
            a, b = v.get("a") or "", v.get("b") or ""
            if f in ("birth_date", "admission_date"):
                a, b = _date_text(a), _date_text(b)
            cells += [a, b]
        ma, mb = p.record_a.member, p.record_b.member
        yield [p.pk, KIND_LABELS.get(p.kind, p.kind), p.reason, *cells,
               ma.organization.name if ma else "", mb.organization.name if mb else "",
               p.record_a.ref, p.record_b.ref, p.get_status_display(), _DECISION.get(p.status, "")]


def queue_xlsx(batch: ImportBatch, pairs: Iterable) -> bytes:
    """The review queue for checking on paper: each pair's fields side by side, its class and reason,
    and a «Quyết định» column to fill in ("Hợp nhất" / "Giữ riêng") and upload back."""
    title = [*_title(batch), "Ghi «Hợp nhất» hoặc «Giữ riêng» vào cột «Quyết định» (để trống: chưa quyết định), "
                             "rồi tải tệp này lên lại ở trang lần nhập. Không sửa cột «Mã cặp»."]
    return xlsx_bytes("Cặp cần xem xét", title, QUEUE_COLUMNS, queue_rows(pairs))
