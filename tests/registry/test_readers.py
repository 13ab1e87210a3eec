import datetime as dt
import json
import unicodedata

import pytest

from dangbo.registry.readers import RegistryInputError, column_index, column_letter, read_file
from dangbo.registry.values import normalize_name, parse_date, parse_national_id
from dangbo.text.encodings import encode
from dangbo.text.vietnamese import split_marks

from . import make_files as M


def rows_by_number(result):
    return {str(r.row): r.values for r in result.rows}


# ---------------------------------------------------------------- xlsx


def test_legacy_xlsx(tmp_path):
    path = M.legacy_xlsx(tmp_path)
    result = read_file(path)
    expected = M.EXPECTED_LEGACY_XLSX
    assert result.format == "xlsx"
    assert result.file == "tinh-cu.xlsx"
    assert result.sheet == "DS dang vien"
    assert result.header_row == expected["header_row"]
    assert result.columns == expected["columns"]
    assert result.encodings == expected["encodings"]
    assert result.unmapped == ["Ghi chú riêng"]
    got = rows_by_number(result)
    assert got == expected["rows"]
    assert [r.ref for r in result.rows] == ["tinh-cu.xlsx:5", "tinh-cu.xlsx:6", "tinh-cu.xlsx:7"]
    rejected = {str(r.row): r.reason for r in result.rejected}
    assert set(rejected) == set(expected["rejected"])
    for row, word in expected["rejected"].items():
        assert word in rejected[row]
    assert result.rows_read == 5


def test_legacy_xlsx_values_parse(tmp_path):
    result = read_file(M.legacy_xlsx(tmp_path))
    hung, lan, hoa = result.rows
    assert normalize_name(hung["full_name"]) == "Nguyễn Văn Hùng"
    assert normalize_name(hoa["full_name"]) == "Lê Thị Hòa"
    assert parse_date(hung["birth_date"])[:2] == ("1975-05-05", "day")
    assert parse_date(hung["admission_date"])[:2] == ("2000-03-02", "day")
    assert parse_date(hung["official_date"])[:2] == ("2001-03-02", "day")
    assert parse_date(hoa["birth_date"])[:2] == ("1975", "year")
    assert parse_national_id(hung["national_id"])[0] == "025075000123"
    assert parse_national_id(lan["national_id"])[0] == "001180000456"


def test_every_string_is_nfc(tmp_path):
    for path in (M.legacy_xlsx(tmp_path), M.legacy_xls(tmp_path), M.legacy_csv(tmp_path, "vni")):
        for row in read_file(path).rows:
            for v in row.values.values():
                if isinstance(v, str):
                    assert unicodedata.is_normalized("NFC", v) and v == v.strip()


def test_report_is_json_ready(tmp_path):
    report = read_file(M.legacy_xlsx(tmp_path)).report()
    assert json.loads(json.dumps(report, ensure_ascii=False)) == report
    assert report["header_row"] == 3
    assert report["sheet"] == "DS dang vien"
    assert report["rows_read"] == 5 and report["rows_accepted"] == 3 and report["rows_rejected"] == 2
    assert report["columns"]["Họ và tên"] == "full_name"
    assert report["encodings"]["Quê quán"] == "vni"
    assert {r["ref"] for r in report["rejected"]} == {"tinh-cu.xlsx:4", "tinh-cu.xlsx:10"}


def test_two_column_names_marks_and_second_sheet(tmp_path):
    result = read_file(M.two_column_xlsx(tmp_path))
    assert result.sheet == "Danh sách"  # the first sheet only holds instructions
    assert result.header_row == 1
    assert result.columns["Họ và đệm"] == "surname_middle" and result.columns["Tên"] == "given_name"
    rows = rows_by_number(result)
    assert rows["2"]["full_name"] == "Nguyễn Văn Hùng"
    assert rows["2"]["sex"] == "Nam" and rows["3"]["sex"] == "Nữ" and rows["4"]["sex"] == "Nữ"
    assert rows["4"]["full_name"] == "Lê Thị Minh Khai"
    assert rows["4"]["surname_middle"] == "Lê Thị Minh" and rows["4"]["given_name"] == "Khai"
    assert parse_national_id(rows["4"]["national_id"])[0] == "001080000456"


def test_birth_date_in_the_sex_columns_under_a_two_row_header(tmp_path):
    path = M.custom_xlsx(tmp_path, "hai-dong.xlsx", [
        ["STT", "Họ và tên", "Ngày sinh", None, "Quê quán"],
        [None, None, "Nam", "Nữ", None],
        [1, "Nguyễn Văn Hùng", "05/05/1975", None, "Hà Nội"],
        [2, "Trần Thị Lan", None, dt.datetime(1980, 1, 1), "Hà Nam"],
    ])
    result = read_file(path)
    assert result.header_row == 1
    rows = rows_by_number(result)
    assert rows["3"]["sex"] == "Nam" and rows["3"]["birth_date"] == "05/05/1975"
    assert rows["4"]["sex"] == "Nữ" and rows["4"]["birth_date"] == dt.datetime(1980, 1, 1)
    assert not result.rejected
    assert result.notes


def test_repeated_header_rows_are_rejected(tmp_path):
    path = M.custom_xlsx(tmp_path, "lap.xlsx", [
        ["Họ và tên", "Ngày sinh", "Chi bộ"],
        ["Nguyễn Văn Hùng", "1975", "Chi bộ 1"],
        ["Họ và tên", "Ngày sinh", "Chi bộ"],
        ["Trần Thị Lan", "1980", "Chi bộ 2"],
        [None, "1990", "Chi bộ 2"],
    ])
    result = read_file(path)
    assert [r.ref for r in result.rows] == ["lap.xlsx:2", "lap.xlsx:4"]
    reasons = {r.row: r.reason for r in result.rejected}
    assert "tiêu đề" in reasons[3] and "họ tên" in reasons[5]


def test_tcvn3_without_font_is_detected_per_column(tmp_path):
    rows = [["Họ và tên", "Quê quán"]] + [[encode(n, "tcvn3"), encode(q, "tcvn3")] for n, q in [
        ("Nguyễn Văn Hùng", "Vĩnh Phúc"), ("Trần Thị Lan", "Hòa Bình"), ("Đỗ Quang Khải", "Phú Thọ")]]
    result = read_file(M.custom_xlsx(tmp_path, "khong-font.xlsx", rows))
    assert [r["full_name"] for r in result.rows] == ["Nguyễn Văn Hùng", "Trần Thị Lan", "Đỗ Quang Khải"]
    assert result.encodings == {"Họ và tên": "tcvn3", "Quê quán": "tcvn3"}


def test_vntime_h_header(tmp_path):
    rows = [["Họ và tên", "Năm sinh"], ["Nguyễn Văn Hùng", 1975]]
    fonts = {(1, 1): ".VnTimeH", (1, 2): ".VnTimeH", (2, 1): ".VnTimeH"}
    result = read_file(M.custom_xlsx(tmp_path, "hoa.xlsx", rows, fonts))
    assert result.columns == {"HỌ VÀ TÊN": "full_name", "NĂM SINH": "birth_date"}
    assert result.rows[0]["full_name"] == "NGUYỄN VĂN HÙNG"


# ---------------------------------------------------------------- xls


def test_legacy_xls(tmp_path):
    result = read_file(M.legacy_xls(tmp_path))
    assert result.format == "xls"
    assert result.header_row == M.EXPECTED_XLS["header_row"]
    assert result.columns == {"Số TT": "ignore", "Họ tên": "full_name", "Ngày sinh": "birth_date",
                              "Nam/Nữ": "sex", "Số căn cước": "national_id", "Nguyên quán": "home_town"}
    assert result.encodings["Họ tên"] == "tcvn3"
    assert rows_by_number(result) == M.EXPECTED_XLS["rows"]
    assert result.rows[0].ref == "tinh-c.xls:3"


def test_plain_xls(tmp_path):
    result = read_file(M.plain_xls(tmp_path))
    assert result.header_row == 1
    assert rows_by_number(result) == {"2": {"full_name": "VŨ THỊ HỒNG", "birth_date": 1985, "sex": "Nữ",
                                            "organization": "Chi bộ 3"}}
    assert set(result.encodings.values()) == {"unicode"}


# ---------------------------------------------------------------- csv


def test_bom_semicolon_csv(tmp_path):
    result = read_file(M.bom_csv(tmp_path))
    assert result.format == "csv" and result.sheet is None
    assert result.delimiter == ";" and result.text_encoding == "utf-8-sig"
    assert result.header_row == 1
    assert result.columns["ho_ten"] == "full_name"
    assert [r.ref for r in result.rows] == ["tinh-d.csv:2", "tinh-d.csv:3"]
    first = result.rows[0]
    assert first["full_name"] == "Nguyễn Văn Hùng"  # the BOM is not part of the first header
    assert first["national_id"] == "25075000123" and first["party_card_no"] == "12.345.678"


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("bom", [True, False])
def test_csv_delimiters(tmp_path, delimiter, bom):
    result = read_file(M.bom_csv(tmp_path, "d.csv", delimiter=delimiter, bom=bom))
    assert result.delimiter == delimiter
    assert [r["full_name"] for r in result.rows] == ["Nguyễn Văn Hùng", "Hoàng Thị Thuỷ"]


def test_csv_line_numbers_count_physical_lines(tmp_path):
    result = read_file(M.bom_csv(tmp_path, "ml.csv", delimiter=",", multiline=True))
    assert [r.ref for r in result.rows] == ["ml.csv:2", "ml.csv:4"]  # record 2 spans lines 2–3


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_csv(tmp_path, encoding):
    result = read_file(M.legacy_csv(tmp_path, encoding))
    assert result.text_encoding == "cp1252"
    assert result.header_row == 2  # a title line above
    assert result.columns == {"Họ và tên": "full_name", "Ngày sinh": "birth_date", "Giới tính": "sex",
                              "Quê quán": "home_town"}
    assert result.encodings["Họ và tên"] == encoding
    assert [r["full_name"] for r in result.rows] == ["Nguyễn Văn Hùng", "Trần Thị Lan", "Lê Thị Hoà",
                                                      "Đặng Quốc Việt"]
    assert [r.ref for r in result.rows] == [f"{encoding}.csv:{n}" for n in (3, 4, 5, 6)]


def test_cp1258_csv(tmp_path):
    text = "Họ và tên;Năm sinh\r\nNguyễn Văn Hùng;1975\r\n"
    path = tmp_path / "cp1258.csv"
    data = bytearray()
    for ch in text:  # cp1258: letters with their hat/horn/breve precomposed, the tone as a combining mark
        try:
            data += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, tone = split_marks(ch)
            data += (base + tone).encode("cp1258")
    path.write_bytes(bytes(data))
    result = read_file(path)
    assert result.text_encoding == "cp1258"
    assert result.rows[0]["full_name"] == "Nguyễn Văn Hùng"


# ---------------------------------------------------------------- mapping override


def test_mapping_override_by_letter_and_header(tmp_path):
    path = M.custom_xlsx(tmp_path, "map.xlsx", [
        ["Họ và tên", "Ngày sinh", "Mã số", "Sinh hoạt tại"],
        ["Nguyễn Văn Hùng", "1975", "025075000123", "Chi bộ 1"],
    ])
    result = read_file(path, mapping={"C": "national_id", "Sinh hoạt tại": "organization", "Ngày sinh": "ignore"})
    assert result.columns == {"Họ và tên": "full_name", "Ngày sinh": "ignore", "Mã số": "national_id",
                              "Sinh hoạt tại": "organization"}
    assert result.rows[0].values == {"full_name": "Nguyễn Văn Hùng", "national_id": "025075000123",
                                     "organization": "Chi bộ 1"}


def test_mapping_override_finds_an_unusual_header(tmp_path):
    path = M.custom_xlsx(tmp_path, "la.xlsx", [
        ["Danh sách"],
        ["Đồng chí", "Sinh"],
        ["Nguyễn Văn Hùng", "1975"],
    ])
    with pytest.raises(RegistryInputError):
        read_file(path)
    result = read_file(path, mapping={"Đồng chí": "full_name", "Sinh": "birth_date"})
    assert result.header_row == 2
    assert result.rows[0].values == {"full_name": "Nguyễn Văn Hùng", "birth_date": "1975"}


def test_mapping_override_errors_name_the_column(tmp_path):
    path = M.legacy_xlsx(tmp_path)
    with pytest.raises(RegistryInputError, match="tinh-cu.xlsx") as e:
        read_file(path, mapping={"Không có cột này": "full_name"})
    assert "Không có cột này" in str(e.value) and "dòng 3" in str(e.value)
    with pytest.raises(RegistryInputError, match="không phải trường hợp lệ") as e:
        read_file(path, mapping={"B": "ten_lung_tung"})
    assert e.value.column == "B"


# ---------------------------------------------------------------- errors


def test_password_protected_xlsx(tmp_path):
    with pytest.raises(RegistryInputError, match="mật khẩu") as e:
        read_file(M.password_xlsx(tmp_path))
    assert "mat-khau.xlsx" in str(e.value)


def test_bare_ole_header_with_xlsx_extension_is_password_protected(tmp_path):
    path = tmp_path / "khoa.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(RegistryInputError, match="tệp có mật khẩu"):
        read_file(path)


def test_empty_sheet(tmp_path):
    with pytest.raises(RegistryInputError, match="trống") as e:
        read_file(M.empty_xlsx(tmp_path))
    assert "trong.xlsx" in str(e.value)


def test_empty_csv(tmp_path):
    (tmp_path / "rong.csv").write_bytes(b"\xef\xbb\xbf\r\n;;\r\n")
    with pytest.raises(RegistryInputError, match="rong.csv.*trống"):
        read_file(tmp_path / "rong.csv")
    (tmp_path / "zero.csv").write_bytes(b"")
    with pytest.raises(RegistryInputError, match="zero.csv"):
        read_file(tmp_path / "zero.csv")


def test_no_header(tmp_path):
    with pytest.raises(RegistryInputError, match="không tìm thấy dòng tiêu đề") as e:
        read_file(M.headerless_xlsx(tmp_path))
    assert "khong-tieu-de.xlsx" in str(e.value)


def test_header_without_data_names_sheet_and_row(tmp_path):
    with pytest.raises(RegistryInputError) as e:
        read_file(M.header_only_xlsx(tmp_path))
    msg = str(e.value)
    assert "chi-tieu-de.xlsx" in msg and "dòng 2" in msg and "trang \"Sheet\"" in msg
    assert e.value.row == 2


def test_corrupt_xlsx(tmp_path):
    path = tmp_path / "hong.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(RegistryInputError, match="hong.xlsx.*không đọc được"):
        read_file(path)


def test_html_renamed_xls(tmp_path):
    path = tmp_path / "web.xls"
    path.write_bytes(b"<html><table><tr><td>Ho ten</td></tr></table></html>")
    with pytest.raises(RegistryInputError, match="web.xls.*không đọc được"):
        read_file(path)


@pytest.mark.parametrize("name", ["ds.ods", "ds.docx", "ds"])
def test_unsupported_extension(tmp_path, name):
    (tmp_path / name).write_bytes(b"x")
    with pytest.raises(RegistryInputError, match="không hỗ trợ"):
        read_file(tmp_path / name)


def test_missing_file(tmp_path):
    with pytest.raises(RegistryInputError, match="không tìm thấy tệp"):
        read_file(tmp_path / "khong-co.xlsx")


def test_xls_content_with_xlsx_extension(tmp_path):
    src = M.plain_xls(tmp_path)
    renamed = tmp_path / "doi-duoi.xlsx"
    renamed.write_bytes(src.read_bytes())
    result = read_file(renamed)
    assert result.format == "xls" and result.rows[0]["full_name"] == "VŨ THỊ HỒNG"


def test_column_letters():
    for i in (0, 25, 26, 51, 52, 701, 702, 16383):
        assert column_index(column_letter(i)) == i
    assert column_letter(0) == "A" and column_letter(26) == "AA" and column_letter(16383) == "XFD"


def test_mapping_by_letters_without_any_header(tmp_path):
    path = M.custom_xlsx(tmp_path, "tron.xlsx", [
        ["Nguyễn Văn Hùng", "05/05/1975", "Nam"],
        ["Trần Thị Lan", "01/01/1980", "Nữ"],
    ])
    result = read_file(path, mapping={"A": "full_name", "B": "birth_date", "C": "sex"})
    assert result.header_row is None
    assert [r.ref for r in result.rows] == ["tron.xlsx:1", "tron.xlsx:2"]
    assert result.column_letters == {"A": "full_name", "B": "birth_date", "C": "sex"}


def test_reads_a_few_thousand_rows_quickly(tmp_path):
    import time

    rows = [["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Quê quán", "Chi bộ"]]
    for i in range(2700):
        rows.append([i + 1, "Nguyễn Văn Hùng", "05/05/1975", "Nam", 25075000000 + i, "Vĩnh Phúc", "Chi bộ 1"])
    fonts = {(r, 2): ".VnTime" for r in range(2, len(rows) + 1)}
    path = M.custom_xlsx(tmp_path, "lon.xlsx", rows, fonts)
    start = time.perf_counter()
    result = read_file(path)
    elapsed = time.perf_counter() - start
    assert len(result.rows) == 2700 and result.rows[-1].ref == "lon.xlsx:2701"
    assert result.rows[0]["full_name"] == "Nguyễn Văn Hùng"
    assert elapsed < 10  # generous; the budget for the whole merge is 2 s (measured in the benchmarks)


def test_a_nameless_data_row_below_the_header_is_not_a_second_header(tmp_path):
    path = M.custom_xlsx(tmp_path, "thieu.xlsx", [
        ["Họ và tên", "Giới tính", "Năm sinh"],
        [None, "Nam", 1975],
        ["Trần Thị Lan", "Nữ", 1980],
    ])
    result = read_file(path)
    assert result.columns == {"Họ và tên": "full_name", "Giới tính": "sex", "Năm sinh": "birth_date"}
    assert [r.row for r in result.rejected] == [2] and "họ tên" in result.rejected[0].reason
    assert result.rows[0].values == {"full_name": "Trần Thị Lan", "sex": "Nữ", "birth_date": 1980}


def test_surname_tong_is_a_member_not_a_totals_row(tmp_path):
    """Tòng is a Thái surname; only «Tổng cộng», «Tổng số» … rows are totals."""
    path = tmp_path / "roll.csv"
    path.write_text("Họ và tên,Ngày sinh\nTòng Hương Hằng,1980\nTòng Văn Minh,1975\nTổng cộng: 2,\n", encoding="utf-8")
    read = read_file(path)
    assert [r["full_name"] for r in read.rows] == ["Tòng Hương Hằng", "Tòng Văn Minh"]
    assert len(read.rejected) == 1 and "tổng cộng" in read.rejected[0].reason
