"""The web import a clerk can trust (issue 10 #9): nothing dropped silently. The batch page shows per
file what the command line's report.json holds — rows read, merged, refused with reasons, values that
could not be read and what was kept, invisible characters removed — paged, downloadable as a
formula-safe Excel / CSV; a failed re-upload names every conflict once and says what to do."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from dangbo.members.models import Member
from dangbo.registry.models import ImportBatch, ImportIssue
from tests.registry.test_import import HEAD, roll_files, run_import, write_csv
from tests.web.test_registry_pages import _in, _upload, client_for


@pytest.fixture
def worker(settings, tmp_path):
    """Runs the queued jobs as `dangbo worker` does, in this process (see test_registry_pages)."""
    from dangbo.jobs.worker import Worker

    settings.VAR_DIR = tmp_path / "var"
    w = Worker(heartbeat=3600)

    def drain():
        while w.run_once():
            pass
    return drain


BAD_BIRTH = ["Trần Thị Mai", "31/02/1985", "Nữ", "", "", "Xã Bảo Đức, Phú Thọ", "03/02/2010", "", "Chi bộ A1"]
FORMULA = ["Lê Văn Hòa", "=1+2", "Nam", "", "", "Phú Thọ", "05/06/2011", "", "Chi bộ A1"]
MONTH_FIRST = ["Phan Văn Tú", "12/25/1980", "Nam", "", "", "Phú Thọ", "05/06/2011", "", "Chi bộ A1"]
INVISIBLE = ["Ngô Văn Khải\u200b", "01/01/1980", "Nam", "", "", "Phú Thọ", "05/06/2011", "", "Chi bộ A1"]
NO_NAME = ["12345", "01/01/1980", "Nam", "", "", "", "05/06/2011", "", "Chi bộ A1"]


def _done_batch(c, tmp_path, worker, rows):
    r = _upload(c, [write_csv(_in(tmp_path), "moi.csv", rows)], _root())
    worker()
    batch = ImportBatch.objects.latest("id")
    assert r.status_code == 302 and batch.status == "done", batch.error
    return batch


def _root():
    from dangbo.orgs.models import Organization

    return Organization.objects.get(code="ROOT")


def test_a_date_that_does_not_exist_is_reported_with_what_was_kept(world, worker, tmp_path):
    c = client_for(world.office)
    batch = _done_batch(c, tmp_path, worker, [BAD_BIRTH, MONTH_FIRST, INVISIBLE, NO_NAME])
    mai = Member.objects.get(full_name="Trần Thị Mai")
    assert mai.birth_date is None  # left empty, as before — but now said
    issue = ImportIssue.objects.get(batch=batch, kind="unread")
    assert (issue.refs, issue.column, issue.value, issue.kept, issue.member) == ("moi.csv:2", "Ngày sinh",
                                                                                  "31/02/1985", "", mai)
    assert "ngày không có thật" in issue.message
    body = c.get(f"/nhap-danh-sach/{batch.pk}/").content.decode()
    assert "Kết quả đọc từng tệp" in body
    row = body[body.index("moi.csv:2</th>"):]
    row = row[:row.index("</tr>")]
    assert "31/02/1985" in row and "để trống" in row and "Ngày sinh" in row and "Trần Thị Mai" in row
    # read month first, with the day kept; invisible characters removed; the refused row and its reason
    assert ImportIssue.objects.get(batch=batch, kind="repaired").kept == "25/12/1980"
    assert ImportIssue.objects.get(batch=batch, kind="stripped").refs == "moi.csv:4"
    rejected = ImportIssue.objects.get(batch=batch, kind="rejected")
    assert rejected.refs == "moi.csv:5" and "họ tên có chữ số" in rejected.message
    assert "Dòng bị loại (1)" in body and "Giá trị không đọc được (1)" in body and "Giá trị đã sửa (1)" in body
    # the per-file figures: 4 rows read, 3 taken, 1 refused, 1 value unread, 1 repaired, 1 stripped
    figures = body[body.index("<th scope=\"row\">moi.csv</th>"):]
    figures = figures[:figures.index("</tr>")]
    cells = [c.split(">", 1)[1].split("<")[0] for c in figures.split('<td class="num"')[1:]]
    assert cells == ["4", "3", "1", "0", "1", "1", "1"]


def test_report_json_of_the_command_line_holds_the_same_notes(world, tmp_path):
    out = tmp_path / "out"
    call_command("registry", "merge", str(write_csv(tmp_path, "moi.csv", [BAD_BIRTH, MONTH_FIRST])), "--out",
                 str(out), stdout=io.StringIO(), stderr=io.StringIO())
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    notes = [(n["ref"], n["column"], n["value"], n["kept"], n["kind"]) for n in report["notes"]]
    assert notes == [("moi.csv:2", "Ngày sinh", "31/02/1985", "", "unread"),
                     ("moi.csv:3", "Ngày sinh", "12/25/1980", "25/12/1980", "repaired")]
    assert report["files"][0]["values_unread"] == report["totals"]["values_unread"] == 1
    assert report["files"][0]["rows_merged"] == 0


def test_the_report_downloads_as_formula_safe_excel_and_csv(world, worker, tmp_path):
    c = client_for(world.office)
    batch = _done_batch(c, tmp_path, worker, [BAD_BIRTH, FORMULA])
    r = c.get(f"/nhap-danh-sach/{batch.pk}/bao-cao.xlsx")
    assert r.status_code == 200 and "bao-cao-nhap" in r["Content-Disposition"]
    ws = load_workbook(io.BytesIO(r.content)).active
    cells = {cell.value: cell for row in ws.iter_rows() for cell in row if cell.value is not None}
    assert cells["=1+2"].data_type == "s" and cells["=1+2"].quotePrefix  # text, never a formula
    assert "31/02/1985" in cells and "để trống" in cells and "Giá trị trong tệp" in cells
    assert ws.freeze_panes == "A5" and "Đảng bộ Thử nghiệm" in str(ws["A1"].value)
    text = c.get(f"/nhap-danh-sach/{batch.pk}/bao-cao.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    cells = [v for r in rows for v in r]
    assert rows[0][:3] == ["Loại", "Tệp", "Dòng"] and "'=1+2" in cells and "=1+2" not in cells


def test_a_long_report_is_paged_and_filtered(world, worker, tmp_path):
    rows = [[f"Người Số {chr(65 + i % 26)}{chr(65 + i // 26)}", "31/02/1985", "Nam", "", "", "", "03/02/2010", "",
             "Chi bộ A1"] for i in range(60)]
    c = client_for(world.office)
    batch = _done_batch(c, tmp_path, worker, rows)
    body = c.get(f"/nhap-danh-sach/{batch.pk}/").content.decode()
    assert "60 dòng, trang 1/2" in body and "moi.csv:51</th>" in body and "moi.csv:52</th>" not in body
    second = c.get(f"/nhap-danh-sach/{batch.pk}/?loai=unread&trang=2").content.decode()
    assert "moi.csv:61</th>" in second and "moi.csv:2</th>" not in second


def test_a_failed_reupload_names_every_conflict_once_and_says_what_to_do(world, worker, tmp_path):
    first = run_import(roll_files(tmp_path))
    many = [[f"Người Thứ {chr(65 + i % 26)}{chr(65 + i // 26)}", "01/01/1980", "Nam", f"0010800{i:05d}",
             f"9{i:07d}", "", "03/02/2010", "", "Chi bộ A1"] for i in range(25)]
    run_import([write_csv(tmp_path, "dot-2.csv", many)])
    members = Member.objects.count()
    c = client_for(world.office)
    again = roll_files(_in(tmp_path)) + [write_csv(_in(tmp_path), "dot-2.csv", many)]
    r = _upload(c, again, _root())
    worker()
    batch = ImportBatch.objects.latest("id")
    assert batch.status == "failed" and Member.objects.count() == members
    errors = list(ImportIssue.objects.filter(batch=batch, kind="error"))
    # Đỗ Văn Minh (two rows, ID and card) once, Bùi Văn Nam (card) once, the 25 of dot-2 once each
    assert len(errors) == 27 and len({e.refs for e in errors}) == 27
    minh = next(e for e in errors if e.name == "Đỗ Văn Minh")
    assert minh.refs == "dv-tinh-a.xlsx:2, dv-tinh-b.csv:2"
    assert minh.message.startswith("số định danh cá nhân và số thẻ đảng viên đã có trong danh sách đảng viên")
    body = c.get(r["Location"]).content.decode()
    assert "Không nhập được — chưa lưu gì." in body and "27 lỗi cần sửa" in body
    assert "Cần làm gì:" in body and f"lần nhập #{first['batch']}" in body and "Tải lên lại" in body
    assert body.count(">dv-tinh-a.xlsx:2, dv-tinh-b.csv:2<") == 1  # once in the list
    assert "… và" not in body  # every conflict listed (paged), not the first 20
    assert f"lần nhập #{first['batch']}" in batch.error  # the command line says it too


def test_conflicts_inside_the_rolls_are_found_before_writing(world, tmp_path):
    """Two different people of the rolls with one card number: refused before anything is written
    (before, the second member failed half-way, naming only the first conflict)."""
    from django.core.management import CommandError

    rows = [["Hà Văn Một", "01/01/1980", "Nam", "", "7777777", "", "03/02/2010", "", "Chi bộ A1"],
            ["Hà Thị Hai", "02/02/1982", "Nữ", "", "7777777", "", "03/02/2011", "", "Chi bộ A1"]]
    before = Member.objects.count()
    with pytest.raises(CommandError) as err:
        run_import([write_csv(tmp_path, "trung.csv", rows)])
    text = str(err.value)
    assert "trung.csv:2 (Hà Văn Một): số thẻ đảng viên trùng với trung.csv:3 (Hà Thị Hai)" in text
    assert "trung.csv:3 (Hà Thị Hai): số thẻ đảng viên trùng với trung.csv:2 (Hà Văn Một)" in text
    assert Member.objects.count() == before


def test_the_upload_page_speaks_of_columns_not_field_codes(world):
    body = client_for(world.office).get("/nhap-danh-sach/tai-len/").content.decode()
    main = body.split("<main", 1)[-1]
    for code in ("full_name", "national_id", "birth_date", "party_card_no", "=trường"):
        assert code not in main
    assert "Đồng chí=Họ và tên, D=Số CCCD" in main and "31/02/1985" in main


def test_a_column_map_in_vietnamese_words(world, worker, tmp_path):
    from dangbo.registry.management.commands.registry import parse_map

    assert parse_map("Đồng chí=Họ và tên, D=so cccd,Sinh=Ngày sinh") == {
        "Đồng chí": "full_name", "D": "national_id", "Sinh": "birth_date"}
    path = _in(tmp_path) / "la.csv"
    path.write_text(";".join(["Đồng chí", *HEAD[1:]]) + "\n" + ";".join(
        ["Đinh Văn Lạ", "01/01/1980", "Nam", "", "", "", "03/02/2010", "", "Chi bộ A1"]) + "\n", encoding="utf-8")
    c = client_for(world.office)
    with open(path, "rb") as f:
        r = c.post("/nhap-danh-sach/tai-len/", {"organization": _root().pk, "files": [f], "mapping": "Đồng chí=Họ và tên"})
    assert r.status_code == 302
    worker()
    assert ImportBatch.objects.latest("id").status == "done" and Member.objects.filter(full_name="Đinh Văn Lạ").exists()
    with open(path, "rb") as f:
        r = c.post("/nhap-danh-sach/tai-len/", {"organization": _root().pk, "files": [f], "mapping": "Đồng chí=tên lạ"})
    assert r.status_code == 422 and "không phải trường hợp lệ (chọn một trong: Họ và tên" in r.content.decode()
