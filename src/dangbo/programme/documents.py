"""The programme's yearly report (Word, python-docx) and its figures (Excel, openpyxl): built from
`selectors.programme_status` rows the views read in the user's scope; every Excel cell through
`core.safecells.xlsx_cell` (formula injection)."""

from io import BytesIO

from openpyxl import Workbook

from dangbo.core.numbers import vn_figure
from dangbo.core.safecells import xlsx_cell
from dangbo.core.wordfile import centered, grid_table, new_document, to_bytes


def _n(value) -> str:
    return "—" if value is None else vn_figure(value)


def _orgs(row) -> str:
    t = row["organizations"]
    return f"{t.meeting}/{t.counted}" if t is not None else ""


def report_docx(data: dict, children: list[dict]) -> bytes:
    """The yearly report: each target's goal, actual, verdict and how obtained; each key task's items
    done; the figures of the organisations directly under."""
    org, year = data["org"], data["year"]
    doc = new_document()
    centered(doc, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True)
    centered(doc, org.name.upper(), bold=True)
    centered(doc, "BÁO CÁO", bold=True, size=15)
    centered(doc, f"Kết quả thực hiện Nghị quyết Đại hội nhiệm kỳ {data['term']} năm {year}", bold=True)
    centered(doc, "-----")
    doc.add_paragraph(f"Căn cứ {data['programme'].title}"
                      + (f" ({data['programme'].document_number})" if data["programme"].document_number else "")
                      + ", báo cáo kết quả thực hiện các chỉ tiêu và nhiệm vụ trọng tâm như sau:")
    doc.add_paragraph("1. Các chỉ tiêu").runs[0].bold = True
    grid_table(doc, ("Mã", "Chỉ tiêu", "Đơn vị", "Mục tiêu", "Thực hiện", "Tổ chức đạt", "Đánh giá", "Cách có số liệu"),
               [(r["code"], r["title"], r["unit"], _n(r["goal"]), _n(r["actual"]), _orgs(r), r["colour_label"], r["how"])
                for r in data["targets"]])
    doc.add_paragraph("2. Các nhiệm vụ trọng tâm").runs[0].bold = True
    grid_table(doc, ("Mã", "Nhiệm vụ", f"Việc năm {year}", "Đã xong"),
               [(t["code"], t["title"], t["items"], t["done"]) for t in data["tasks"]])
    if children:
        doc.add_paragraph("3. Kết quả theo tổ chức trực thuộc").runs[0].bold = True
        header = ("Tổ chức", *[r["code"] for r in data["targets"]])
        grid_table(doc, header, [(c["org"].name, *[_n(s["actual"]) for s in c["cells"]]) for c in children])
    centered(doc, "T/M BAN THƯỜNG VỤ", bold=True)
    return to_bytes(doc)


def figures_xlsx(data: dict, children: list[dict]) -> bytes:
    """The figures: one sheet for the organisation, one row per target; one sheet per organisation
    directly under it, target by target."""
    wb = Workbook()
    ws = wb.active
    ws.title = f"Chỉ tiêu {data['year']}"
    header = ("Mã", "Chỉ tiêu", "Đơn vị", "Mục tiêu", "Thực hiện", "Số tổ chức tính", "Số tổ chức đạt", "Đánh giá",
              "Cách có số liệu")
    for col, value in enumerate(header, 1):
        xlsx_cell(ws.cell(row=1, column=col), value)
    for i, r in enumerate(data["targets"], 2):
        t = r["organizations"]
        values = (r["code"], r["title"], r["unit"], _float(r["goal"]), _float(r["actual"]),
                  t.counted if t else None, t.meeting if t else None,
                  r["colour_label"], r["how"])
        for col, value in enumerate(values, 1):
            xlsx_cell(ws.cell(row=i, column=col), value)
    if children:
        ws2 = wb.create_sheet("Tổ chức trực thuộc")
        xlsx_cell(ws2.cell(row=1, column=1), "Tổ chức")
        for col, r in enumerate(data["targets"], 2):
            xlsx_cell(ws2.cell(row=1, column=col), f"{r['code']} ({r['unit']})")
        for i, c in enumerate(children, 2):
            xlsx_cell(ws2.cell(row=i, column=1), c["org"].name)
            for col, s in enumerate(c["cells"], 2):
                xlsx_cell(ws2.cell(row=i, column=col), _float(s["actual"]))
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _float(value):
    return None if value is None else float(value)
