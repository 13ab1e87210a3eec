"""Hostile rolls: refused with a Vietnamese message naming the file, sheet and the limit crossed, or
read in bounded memory — never gigabytes for kilobytes (issue 9, item 1).

The memory bound is a behaviour: a child process runs `dangbo registry merge` on the file and its
peak resident size (``getrusage(RUSAGE_CHILDREN).ru_maxrss`` of a wrapper that runs only it) must
stay under 300 MB."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dangbo.registry import limits as L
from dangbo.registry.readers import RegistryInputError, read_file

from . import bombs as B
from . import make_files as M

DANGBO = str(Path(sys.executable).with_name("dangbo"))
PEAK_MB = 300

_WRAPPER = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stderr.write(done.stderr)
print(done.stdout)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(done.returncode)
"""


def merge_peak(files: list[Path], out: Path) -> tuple[int, int, str, str]:
    """(peak MB, exit status, stdout, stderr) of `dangbo registry merge FILES --out OUT` in a child."""
    done = subprocess.run([sys.executable, "-c", _WRAPPER, DANGBO, "registry", "merge", *map(str, files),
                           "--out", str(out)], capture_output=True, text=True, timeout=600, env=dict(os.environ))
    *stdout, peak = done.stdout.rstrip("\n").split("\n")
    return int(peak) // 1024, done.returncode, "\n".join(stdout).strip(), done.stderr


def refused(path: Path) -> str:
    with pytest.raises(RegistryInputError) as e:
        read_file(path)
    message = str(e.value)
    assert message.startswith(f'Tệp "{path.name}"'), message
    assert "Traceback" not in message
    return message


# ---------------------------------------------------------------- xlsx


def test_a_filled_cell_in_column_xfd_is_refused_at_once(tmp_path):
    path = B.xfd_rows(tmp_path, rows=20_000, value="x")
    assert path.stat().st_size < 300_000
    message = refused(path)
    assert 'trang "DS1"' in message and "XFD2" in message and "256 cột" in message and "cột IV" in message


def test_blank_cells_far_right_are_skipped_without_building_them(tmp_path):
    path = B.xfd_rows(tmp_path, rows=20_000, value=" ")
    fr = read_file(path)
    assert len(fr.rows) == 20_000
    first = fr.rows[0].values
    assert (first["full_name"], first["birth_date"]) == ("Nguyễn Văn An Bình", B.birth(2))


def test_whitespace_between_rows_streams_by(tmp_path):
    path = B.whitespace(tmp_path, megabytes=300)
    assert path.stat().st_size < 3_000_000
    fr = read_file(path)
    assert [r.row for r in fr.rows] == [2, 3]


def test_a_part_declaring_more_than_the_limit_is_refused_before_inflating(tmp_path):
    path = B.set_declared_size(B.xfd_rows(tmp_path, rows=10, value=" "), "xl/worksheets/sheet1.xml",
                               L.MAX_PART_BYTES + 1)
    message = refused(path)
    assert "xl/worksheets/sheet1.xml" in message and "512 MB" in message and "zip bomb" in message


def test_a_zip_that_lies_about_its_size_is_refused(tmp_path):
    path = B.set_declared_size(B.whitespace(tmp_path, megabytes=20), "xl/worksheets/sheet1.xml", 10_000)
    message = refused(path)
    assert "xl/worksheets/sheet1.xml" in message and "hỏng" in message


def test_one_huge_shared_string_is_refused_while_streaming(tmp_path):
    path = B.huge_shared_string(tmp_path, megabytes=64)
    message = refused(path)
    assert "chuỗi dùng chung thứ 1" in message and "32.767 ký tự" in message


def test_shared_string_table_limits(tmp_path, monkeypatch):
    path = B.many_shared_strings(tmp_path, 1_001)
    monkeypatch.setattr(L, "MAX_SHARED_STRINGS", 1_000)
    assert "hơn 1.000 chuỗi" in refused(path)
    monkeypatch.setattr(L, "MAX_SHARED_STRINGS", 10_000)
    monkeypatch.setattr(L, "MAX_SHARED_CHARS", 500)
    assert "dài hơn 500 ký tự" in refused(path)


def test_too_many_filled_cells_in_one_sheet(tmp_path, monkeypatch):
    path = B.xfd_rows(tmp_path, rows=200, value=" ")
    monkeypatch.setattr(L, "MAX_CELLS", 100)
    message = refused(path)
    assert "hơn 100 ô có dữ liệu" in message and "tách danh sách thành nhiều tệp" in message


def test_a_row_number_beyond_the_limit(tmp_path):
    path = B.write_xlsx(tmp_path / "dong.xlsx", B.sheet([B.HEADER_ROW, B.data_row(L.MAX_ROWS + 1)]))
    message = refused(path)
    assert "1.048.577" in message and "giới hạn 1.048.576 dòng" in message


def test_too_many_sheets(tmp_path):
    path = B.write_xlsx(tmp_path / "trang.xlsx", B.sheet([B.HEADER_ROW, B.data_row(2)]), sheets=L.MAX_SHEETS + 1)
    assert "hơn 1.000 trang tính" in refused(path)


def test_too_many_zip_entries(tmp_path, monkeypatch):
    path = B.many_entries(tmp_path, 50)
    monkeypatch.setattr(L, "MAX_ZIP_ENTRIES", 40)
    assert "phần, vượt giới hạn 40" in refused(path)


def test_entities_are_refused(tmp_path):
    assert "DTD" in refused(B.entity_sheet(tmp_path))


def test_a_cell_longer_than_excel_allows(tmp_path):
    long_cell = B.inline("C2", "9" * (L.MAX_CELL_CHARS + 1))
    path = B.write_xlsx(tmp_path / "o-dai.xlsx", B.sheet([B.HEADER_ROW, B.data_row(2, long_cell)]))
    message = refused(path)
    assert "dòng 2" in message and "cột C" in message and "32.767 ký tự" in message


# ---------------------------------------------------------------- xls


def test_an_xls_larger_than_the_limit_is_refused_before_opening(tmp_path):
    path = B.sparse_file(tmp_path / "lon.xls", L.MAX_XLS_BYTES + 1, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    message = refused(path)
    assert "16 MB" in message and ".xlsx" in message


def test_an_xls_whose_rows_reach_the_last_column(tmp_path):
    path = B.wide_xls(tmp_path)
    message = refused(path)
    assert 'trang "DS"' in message and "ô trống tới ô cuối mỗi dòng" in message


def test_xls_cells_limit(tmp_path, monkeypatch):
    path = M.plain_xls(tmp_path)
    monkeypatch.setattr(L, "MAX_CELLS", 5)
    assert "hơn 5 ô có dữ liệu" in refused(path)


# ---------------------------------------------------------------- csv


def test_a_csv_larger_than_the_limit(tmp_path):
    path = B.sparse_file(tmp_path / "lon.csv", L.MAX_CSV_BYTES + 1, "Họ và tên;Ngày sinh\n".encode())
    assert "256 MB" in refused(path)


def test_a_csv_line_longer_than_the_limit(tmp_path):
    path = tmp_path / "dong-dai.csv"
    path.write_text("Họ và tên;Ngày sinh\nNguyễn Văn An;1970\n" + " " * 1_000_000 + "\n", encoding="utf-8")
    message = refused(path)
    assert "dòng 3" in message and "100.000 ký tự" in message


def test_csv_cell_column_row_and_cell_count_limits(tmp_path, monkeypatch):
    path = tmp_path / "o-dai.csv"
    path.write_text("Họ và tên;Ngày sinh;Ghi chú\nNguyễn Văn An;1970;" + "x" * (L.MAX_CELL_CHARS + 1) + "\n",
                    encoding="utf-8")
    assert "dòng 2" in refused(path) and "32.767 ký tự" in refused(path)
    wide = tmp_path / "rong.csv"
    wide.write_text("Họ và tên;Ngày sinh\nNguyễn Văn An;1970" + ";" * 300 + "x\n", encoding="utf-8")
    message = refused(wide)
    assert "ô thứ 302" in message and "256 cột" in message
    blank_far = tmp_path / "rong-trong.csv"
    blank_far.write_text("Họ và tên;Ngày sinh\nNguyễn Văn An;1970" + "; " * 300 + "\n", encoding="utf-8")
    assert [r.values["full_name"] for r in read_file(blank_far).rows] == ["Nguyễn Văn An"]
    many = tmp_path / "nhieu.csv"
    many.write_text("Họ và tên;Ngày sinh\n" + "Nguyễn Văn An;1970\n" * 60, encoding="utf-8")
    monkeypatch.setattr(L, "MAX_CELLS", 100)
    assert "hơn 100 ô có dữ liệu" in refused(many)
    monkeypatch.setattr(L, "MAX_CELLS", 1000)
    monkeypatch.setattr(L, "MAX_ROWS", 50)
    assert "hơn 50 bản ghi" in refused(many)


# ---------------------------------------------------------------- matching


def test_one_row_pasted_twenty_thousand_times_is_refused_not_compared(tmp_path):
    from dangbo.registry.merge import merge_files

    path = B.repeated_rows(tmp_path, rows=20_000)
    with pytest.raises(RegistryInputError) as e:
        merge_files([path])
    message = str(e.value)
    assert "20.000 dòng giống nhau" in message and "«Nguyễn Văn An», sinh 01/01/1970" in message
    assert "lap.csv:2, lap.csv:3" in message and "dán lặp lại" in message


# ---------------------------------------------------------------- memory, measured


@pytest.mark.parametrize("build, outcome", [
    (lambda d: B.xfd_rows(d, rows=20_000, value="x"), "refused"),
    (lambda d: B.xfd_rows(d, rows=20_000, value=" "), "read"),
    (lambda d: B.whitespace(d, megabytes=300), "read"),
    (lambda d: B.huge_shared_string(d, megabytes=64), "refused"),
    (lambda d: B.wide_xls(d), "refused"),
    (lambda d: B.repeated_rows(d, rows=20_000), "refused"),
], ids=["xfd-filled", "xfd-blank", "whitespace-300MB", "shared-string-64MB", "xls-last-column", "pasted-rows"])
def test_peak_memory_of_the_merge_stays_bounded(tmp_path, build, outcome):
    path = build(tmp_path)
    peak, status, stdout, stderr = merge_peak([path], tmp_path / "out")
    assert peak < PEAK_MB, f"{peak} MB"
    if outcome == "refused":
        assert status != 0 and stdout == "" and path.name in stderr and "Traceback" not in stderr
    else:
        assert status == 0, stderr
        assert (tmp_path / "out" / "persons.csv").exists()
