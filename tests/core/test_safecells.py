"""Formula injection (core/safecells.py): no cell the platform writes is run as a formula."""

import csv
import io

import openpyxl
from hypothesis import given
from hypothesis import strategies as st

from dangbo.core.safecells import DANGEROUS_START, SafeDictWriter, SafeWriter, safe_cell, xlsx_cell


def test_dangerous_starts_get_an_apostrophe():
    for s in ("=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"):
        assert safe_cell(s) == "'" + s
    assert safe_cell("Nguyễn Văn Hùng") == "Nguyễn Văn Hùng"
    assert safe_cell(-5) == -5 and safe_cell(None) is None


@given(st.lists(st.text(max_size=20), min_size=1, max_size=5))
def test_csv_cells_read_back_never_start_a_formula(row):
    buf = io.StringIO()
    SafeWriter(buf).writerow(row)
    w = SafeDictWriter(buf, fieldnames=["a"])
    w.writerow({"a": row[0]})
    for read in csv.reader(io.StringIO(buf.getvalue())):
        assert not any(cell.startswith(DANGEROUS_START) for cell in read)


def test_xlsx_text_is_never_a_formula(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    xlsx_cell(ws.cell(1, 1), "=1+1")
    xlsx_cell(ws.cell(1, 2), 42)
    xlsx_cell(ws.cell(1, 3), "Hùng")
    wb.save(tmp_path / "x.xlsx")
    back = openpyxl.load_workbook(tmp_path / "x.xlsx").active
    assert back.cell(1, 1).data_type == "s" and back.cell(1, 1).value == "=1+1" and back.cell(1, 1).quotePrefix
    assert back.cell(1, 2).value == 42 and back.cell(1, 3).value == "Hùng"
