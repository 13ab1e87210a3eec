"""The register as an Excel workbook (UI.md «Output files»): the organisation and date in the header
rows, a frozen header, column widths set, dates as dates; every cell through `core.safecells.xlsx_cell`
(a subject starting with «=» stays text, never a formula)."""

from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from dangbo.core.safecells import xlsx_cell

COLUMNS = (("Sổ", 12), ("Số đến", 10), ("Số, ký hiệu", 16), ("Ngày văn bản", 13), ("Ngày đến", 13), ("Cơ quan gửi", 28),
           ("Trích yếu", 60), ("Người ký", 22), ("Nơi nhận", 30), ("Tổ chức vào sổ", 30), ("Nhiệm kỳ", 11),
           ("Nguồn", 22), ("Tệp đính kèm", 24))
MAX_ROWS = 100_000


def register_xlsx(rows, *, title: str, today: date, recipients: dict[int, list[str]] | None = None) -> bytes:
    """`recipients`: the names of the organisations each document was sent to (by document id), listed
    before its other recipients in the «Nơi nhận» cell, one a line."""
    recipients = recipients or {}
    wb = Workbook()
    ws = wb.active
    ws.title = "Sổ văn bản"
    xlsx_cell(ws.cell(row=1, column=1), title).font = Font(bold=True, size=13)
    xlsx_cell(ws.cell(row=2, column=1), f"Ngày xuất: {today:%d/%m/%Y}")
    for col, (name, width) in enumerate(COLUMNS, start=1):
        xlsx_cell(ws.cell(row=4, column=col), name).font = Font(bold=True)
        ws.column_dimensions[ws.cell(row=4, column=col).column_letter].width = width
    ws.freeze_panes = "A5"
    for r, d in enumerate(rows, start=5):
        arrival = f"{d.arrival_number}/{d.arrival_year}" if d.arrival_number else ""
        values = (d.get_direction_display(), arrival, d.number_symbol, d.date, d.received_on, d.sender, d.subject, d.signer,
                  "\n".join([*recipients.get(d.pk, ()), *d.recipient_lines()]), d.organization.name, d.term, d.get_source_display(), d.file_name)
        for col, value in enumerate(values, start=1):
            cell = xlsx_cell(ws.cell(row=r, column=col), value if value not in (None,) else "")
            if isinstance(value, date):
                cell.number_format = "DD/MM/YYYY"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
