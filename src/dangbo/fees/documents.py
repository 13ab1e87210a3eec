"""The year's fee settlement (quyết toán đảng phí) as Excel (openpyxl, every cell through
`core.safecells.xlsx_cell`) and Word (`core.wordfile`), from `selectors.settlement` rows; receipts
(biên lai thu đảng phí) as Word, one per payment or one for a member's range of months."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date

from dangbo.core.dates import vn_date
from dangbo.core.numbers import vn_number
from dangbo.core.safecells import xlsx_cell
from dangbo.core.wordfile import centered, grid_table, new_document, to_bytes
from dangbo.fees import rules

HEADER = ("Tổ chức đảng", "Tháng", "Quy định", "Số đảng viên", "Phải thu (đ)", "Tiền mặt (đ)", "Trực tuyến (đ)",
          "Đã thu (đ)", "Có lý do (lượt)", "Trích giữ lại (đ)", "Nộp cấp trên (đ)")
SUMMED = ("due", "cash", "online", "collected", "excused", "retained", "remitted")


def _month(i: int) -> str:
    y, m = rules.month_of_index(i)
    return f"{m:02d}/{y}"


def per_org(rows: list[dict]) -> list[dict]:
    out: dict[int, dict] = {}
    for r in rows:
        t = out.setdefault(r["org"].id, {"org": r["org"], "members": r["members"], **{k: 0 for k in SUMMED}})
        for k in SUMMED:
            t[k] += r[k]
    return list(out.values())


def totals(rows: list[dict]) -> dict:
    return {k: sum(r[k] for r in rows) for k in SUMMED}


def settlement_xlsx(org, year: int, rows: list[dict], *, today: date | None = None) -> bytes:
    """Two sheets: the year per organisation (totals), then every organisation's months."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    today = today or date.today()
    wb = Workbook()
    sheets = [(wb.active, "Tổng hợp", per_org(rows), False), (wb.create_sheet(), "Theo tháng", rows, True)]
    for ws, title, data, monthly in sheets:
        ws.title = title
        xlsx_cell(ws.cell(1, 1), f"QUYẾT TOÁN ĐẢNG PHÍ NĂM {year} — {org.name}").font = Font(bold=True, size=13)
        xlsx_cell(ws.cell(2, 1), f"Lập ngày {today:%d/%m/%Y}")
        header = HEADER if monthly else tuple(h for h in HEADER if h not in ("Tháng", "Quy định"))
        for j, h in enumerate(header, 1):
            xlsx_cell(ws.cell(4, j), h).font = Font(bold=True)
        for i, r in enumerate(data, 5):
            values = [r["org"].name]
            if monthly:
                values += [_month(r["month"]), r["regime"]]
            values += [r["members"], *(r[k] for k in SUMMED)]
            for j, v in enumerate(values, 1):
                cell = xlsx_cell(ws.cell(i, j), v)
                if isinstance(v, int):
                    cell.number_format = "#,##0"
        last = 5 + len(data)
        xlsx_cell(ws.cell(last, 1), "Tổng cộng").font = Font(bold=True)
        t = totals(data)
        first_sum = 4 if not monthly else 6
        for j, k in enumerate(SUMMED, first_sum + 1):
            c = xlsx_cell(ws.cell(last, j), t[k])
            c.font, c.number_format = Font(bold=True), "#,##0"
        ws.freeze_panes = "B5"
        ws.column_dimensions["A"].width = 42
        for col in "BCDEFGHIJK":
            ws.column_dimensions[col].width = 16
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def settlement_docx(org, year: int, rows: list[dict], *, today: date | None = None) -> bytes:
    """The settlement report in the house style: per organisation the year's totals, then per month
    the whole subtree's figures, and the regime of each month (FEE-1)."""
    today = today or date.today()
    doc = new_document()
    centered(doc, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True)
    centered(doc, org.name.upper(), bold=True)
    centered(doc, "Số     -BC/ĐU", size=12)
    centered(doc, f"ngày {today.day:02d} tháng {today.month:02d} năm {today.year}", italic=True, size=12)
    centered(doc, "BÁO CÁO", bold=True, size=15)
    centered(doc, f"Quyết toán thu, nộp đảng phí năm {year}", bold=True)
    centered(doc, "-----")
    doc.add_paragraph(f"Tháng 01/{year}–01/2026 tính theo Quy định 342-QĐ/TW, từ tháng 02/2026 theo Quy định 01-QĐ/TW."
                      if year == 2026 else f"Quy định áp dụng: {rules.regime_for_month(year, 12)}.")
    doc.add_paragraph("1. Theo tổ chức đảng:").runs[0].bold = True
    orgs = per_org(rows)
    n = vn_number
    grid_table(doc, ("Tổ chức đảng", "Đảng viên", "Phải thu", "Đã thu", "Giữ lại", "Nộp cấp trên"),
               [(r["org"].name, r["members"], n(r["due"]), n(r["collected"]), n(r["retained"]), n(r["remitted"]))
                for r in orgs] + [("Tổng cộng", "", *(n(totals(orgs)[k]) for k in
                                                          ("due", "collected", "retained", "remitted")))])
    doc.add_paragraph("2. Theo tháng (toàn đảng bộ):").runs[0].bold = True
    by_month: dict[int, dict] = defaultdict(lambda: {k: 0 for k in SUMMED})
    regime = {}
    for r in rows:
        for k in SUMMED:
            by_month[r["month"]][k] += r[k]
        regime[r["month"]] = r["regime"]
    grid_table(doc, ("Tháng", "Quy định", "Phải thu", "Tiền mặt", "Trực tuyến", "Đã thu"),
               [(_month(i), regime[i], n(v["due"]), n(v["cash"]), n(v["online"]), n(v["collected"]))
                for i, v in sorted(by_month.items())])
    centered(doc, "T/M BAN THƯỜNG VỤ", bold=True)
    return to_bytes(doc)


def receipt_docx(member, payments: list, *, today: date | None = None) -> bytes:
    """A receipt in the house style for one or several months paid by a member (excused months are
    not payments and are left out by the caller): the collecting organisation, the member told apart
    (name, birth year, cell), one row per month with the amount, how and when it was paid, the
    receipt numbers and the portal's references, the total, and the signatures of payer and collector.
    FEE-1 / FEE-10: cash to the cell or online with the portal's reference."""
    today = today or date.today()
    doc = new_document()
    org = payments[0].organization if payments else member.organization
    centered(doc, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True)
    centered(doc, org.name.upper(), bold=True)
    centered(doc, f"ngày {today.day:02d} tháng {today.month:02d} năm {today.year}", italic=True, size=12)
    centered(doc, "BIÊN LAI THU ĐẢNG PHÍ", bold=True, size=15)
    numbers = [f"{p.receipt_no}/{p.paid_on.year}" for p in payments if p.receipt_no]
    if numbers:
        centered(doc, ("Số " if len(numbers) == 1 else "Các số ") + ", ".join(numbers), size=12)
    centered(doc, "-----")
    born = f", sinh năm {member.birth_date.year}" if member.birth_date else ""
    doc.add_paragraph(f"Họ và tên đảng viên: {member.full_name}{born}.")
    doc.add_paragraph(f"Sinh hoạt tại: {member.organization.name}.")
    if payments:
        span = _month(payments[0].month) if len(payments) == 1 else \
            f"{_month(payments[0].month)} đến {_month(payments[-1].month)}"
        doc.add_paragraph(f"Đã nộp đảng phí tháng {span}:")
    grid_table(doc, ("Tháng", "Số tiền (đ)", "Hình thức", "Ngày nộp", "Số biên lai", "Mã giao dịch"),
               [(_month(p.month), vn_number(p.amount), p.get_method_display(), vn_date(p.paid_on),
                 f"{p.receipt_no}/{p.paid_on.year}" if p.receipt_no else "", p.reference) for p in payments]
               + [("Cộng", vn_number(sum(p.amount for p in payments)), "", "", "", "")])
    p = doc.add_paragraph("NGƯỜI NỘP" + " " * 40 + "NGƯỜI THU")
    p.runs[0].bold = True
    return to_bytes(doc)
