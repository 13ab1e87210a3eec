"""The bounded .xlsx reader gives what openpyxl's read-only reader gives, cell by cell (values and
fonts), on the fixture rolls and on generated workbooks (Hypothesis)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Font

from dangbo.registry import xlsx

from . import make_files as M

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench import registry_synth  # noqa: E402


def openpyxl_grids(path: Path) -> list[tuple[str, list]]:
    """What the reader built before issue 9: openpyxl read-only, rows out to their last cell."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    out = []
    try:
        for ws in wb.worksheets:
            ws.reset_dimensions()
            grid = []
            for row in ws.iter_rows():
                cells = []
                for c in row:
                    v = getattr(c, "value", None)
                    font = None
                    if isinstance(v, str):
                        try:
                            font = c.font.name
                        except (AttributeError, IndexError, TypeError):
                            font = None
                    cells.append((v, font))
                grid.append(cells)
            out.append((ws.title, grid))
    finally:
        wb.close()
    return out


def normal(grid: list) -> list:
    """Trailing empty cells and rows dropped (they carry nothing)."""
    out = []
    for row in grid:
        r = list(row)
        while r and r[-1][0] is None:
            r.pop()
        out.append(r)
    while out and not out[-1]:
        out.pop()
    return out


def assert_same(path: Path) -> None:
    ours = [(name, normal(grid)) for name, grid in xlsx.sheets(str(path))]
    theirs = [(name, normal(grid)) for name, grid in openpyxl_grids(path)]
    assert ours == theirs


@pytest.mark.parametrize("builder", [M.legacy_xlsx, M.two_column_xlsx, M.empty_xlsx, M.headerless_xlsx,
                                     M.header_only_xlsx])
def test_fixture_rolls(tmp_path, builder):
    assert_same(builder(tmp_path))


def test_synthetic_rolls(tmp_path):
    paths, _ = registry_synth.write_rolls(tmp_path, 300, seed=5)
    for p in paths:
        if p.suffix == ".xlsx":
            assert_same(p)


FONTS = [None, ".VnTime", ".VnTimeH", "VNI-Times", "Calibri"]
FORMATS = ["General", "dd/mm/yyyy", "d-mmm-yy", "yyyy-mm-dd hh:mm", "0.00", "@", "[h]:mm:ss", "mm:ss", "0%",
           "#,##0", 'dd"/"mm"/"yyyy']
texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12) | st.sampled_from(
    ["", " ", "  x  ", "_x005F_x000D_", "a\nb", "Nguyễn Văn Hùng", "#N/A", "=1+2", "0123"])
values = st.one_of(
    texts, st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(), st.dates(dt.date(1900, 3, 1), dt.date(2100, 1, 1)),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2100, 1, 1)).map(lambda d: d.replace(microsecond=0)),
    st.none(), st.just("rich"),
)
cells = st.tuples(st.integers(1, 40), st.integers(1, 30), values, st.sampled_from(FONTS), st.sampled_from(FORMATS))


@pytest.mark.filterwarnings("ignore:Cell .* is marked as a date:UserWarning")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(cells, max_size=60), st.booleans())
def test_generated_workbooks(tmp_path, cells, two_sheets):
    wb = openpyxl.Workbook()
    sheets = [wb.active] + ([wb.create_sheet("Trang 2")] if two_sheets else [])
    for k, (r, c, v, font, fmt) in enumerate(cells):
        ws = sheets[k % len(sheets)]
        if v == "rich":
            v = CellRichText("Trần ", TextBlock(InlineFont(b=True), "Thị"), " Lan")
        cell = ws.cell(row=r, column=c, value=v)
        if font:
            cell.font = Font(name=font)
        cell.number_format = fmt
    path = tmp_path / "sinh.xlsx"
    wb.save(path)
    assert_same(path)
