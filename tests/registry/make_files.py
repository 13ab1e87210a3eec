"""Builders of messy member-roll files, as party offices keep them, for the reader tests.

Each builder writes one file under the given directory and returns its path.
The ``EXPECTED_*`` constants say what the reader must find in them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dangbo.text.encodings import encode

TITLE = "ĐẢNG BỘ XÃ THỬ NGHIỆM"
SUBTITLE = "DANH SÁCH ĐẢNG VIÊN (cập nhật tháng 6/2025)"


def excel_serial(d: dt.date) -> int:
    return (d - dt.date(1899, 12, 30)).days


def legacy_bytes(text: str) -> bytes:
    """A legacy string as :func:`encode` writes it (cp1252 characters) back to the file's bytes."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            out.append(ord(ch))  # bytes cp1252 leaves undefined arrive as chr(b)
    return bytes(out)


# ---------------------------------------------------------------- xlsx

#: The legacy xlsx: title rows, header on row 3 in TCVN3, column numbering on row 4, data from row 5.
LEGACY_XLSX_HEADERS = [
    "STT", "Họ và tên", "Ngày, tháng, năm sinh", "Giới tính", "Số CCCD", "Số thẻ đảng viên",
    "Quê quán", "Ngày vào Đảng", "Ngày chính thức", "Chi bộ", "Ghi chú riêng",
]
EXPECTED_LEGACY_XLSX = {
    "header_row": 3,
    "columns": {
        "STT": "ignore", "Họ và tên": "full_name", "Ngày, tháng, năm sinh": "birth_date", "Giới tính": "sex",
        "Số CCCD": "national_id", "Số thẻ đảng viên": "party_card_no", "Quê quán": "home_town",
        "Ngày vào Đảng": "admission_date", "Ngày chính thức": "official_date", "Chi bộ": "organization",
    },
    "encodings": {
        "Họ và tên": "tcvn3", "Ngày, tháng, năm sinh": "unicode", "Giới tính": "tcvn3", "Số CCCD": "unicode",
        "Số thẻ đảng viên": "unicode", "Quê quán": "vni", "Ngày vào Đảng": "unicode",
        "Ngày chính thức": "unicode", "Chi bộ": "tcvn3",
    },
    "rows": {
        "5": {"full_name": "NGUYỄN VĂN HÙNG", "birth_date": dt.datetime(1975, 5, 5), "sex": "Nam",
              "national_id": 25075000123, "party_card_no": "12.345.678", "home_town": "Vĩnh Phúc",
              "admission_date": excel_serial(dt.date(2000, 3, 2)), "official_date": "2/3/2001",
              "organization": "Chi bộ A1"},
        "6": {"full_name": "Trần Thị Lan", "birth_date": "05/05/1980", "sex": "Nữ", "national_id": "001180000456",
              "party_card_no": "12 345 679", "home_town": "Hòa Bình", "admission_date": "1999-12-31",
              "official_date": "2001", "organization": "Chi bộ A2"},
        "7": {"full_name": "LÊ THỊ HOÀ", "birth_date": 1975, "sex": "nữ", "national_id": None,
              "party_card_no": None, "home_town": "Phú Thọ", "admission_date": "1-9-2025",
              "official_date": None, "organization": "Chi bộ B"},
    },
    "rejected": {"4": "đánh số cột", "10": "tổng cộng"},
}


def legacy_xlsx(directory: Path, name: str = "tinh-cu.xlsx") -> Path:
    """Title rows, a TCVN3 header (.VnTime) on row 3, cells in .VnTime, .VnTimeH, VNI-Times and Calibri."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "DS dang vien"
    vn, vnh, vni = Font(name=".VnTime"), Font(name=".VnTimeH"), Font(name="VNI-Times")

    def put(row: int, col: int, value, font=None, number_format=None):
        cell = ws.cell(row=row, column=col)
        if font is not None and isinstance(value, str):
            enc = {".VnTime": "tcvn3", ".VnTimeH": "tcvn3_upper", "VNI-Times": "vni"}[font.name]
            value = encode(value, enc)
        cell.value = value
        if font is not None:
            cell.font = font
        if number_format:
            cell.number_format = number_format

    put(1, 1, TITLE, vnh)
    put(2, 1, SUBTITLE, vn)
    for c, h in enumerate(LEGACY_XLSX_HEADERS, start=1):
        put(3, c, h, vn)
    for c in range(1, len(LEGACY_XLSX_HEADERS) + 1):
        put(4, c, f"({c})")
    # row 5: ALL CAPS name in a capitals font, Excel date cell, ID that lost its leading zero, serial date
    put(5, 1, 1)
    put(5, 2, "Nguyễn Văn Hùng", vnh)
    put(5, 3, dt.datetime(1975, 5, 5), None, "dd/mm/yyyy")
    put(5, 4, "Nam", vn)
    put(5, 5, 25075000123)
    put(5, 6, "12.345.678")
    put(5, 7, "Vĩnh Phúc", vni)
    put(5, 8, excel_serial(dt.date(2000, 3, 2)))
    put(5, 9, "2/3/2001")
    put(5, 10, "Chi bộ A1", vn)
    # row 6: VNI name, text dates, ID as text
    put(6, 1, 2)
    put(6, 2, "Trần Thị Lan", vni)
    put(6, 3, "05/05/1980")
    put(6, 4, "Nữ", vn)
    put(6, 5, "001180000456")
    put(6, 6, "12 345 679")
    put(6, 7, "Hòa Bình", vni)
    put(6, 8, "1999-12-31")
    put(6, 9, "2001")
    put(6, 10, "Chi bộ A2", vn)
    # row 7: Unicode ALL CAPS, old-style tone, year only
    put(7, 1, 3)
    put(7, 2, "LÊ THỊ HOÀ")
    put(7, 3, 1975)
    put(7, 4, "nữ", vn)
    put(7, 7, "Phú Thọ", vni)
    put(7, 8, "1-9-2025")
    put(7, 10, "Chi bộ B", vn)
    put(7, 11, "dự bị")
    # row 8, 9: empty, then a numbered template line with nothing else
    put(9, 1, 4)
    # row 10: the total
    put(10, 2, "Tổng cộng: 3 đồng chí", vn)
    wb.save(directory / name)
    return directory / name


def two_column_xlsx(directory: Path, name: str = "tinh-b.xlsx") -> Path:
    """Header on row 1: "Họ và đệm" | "Tên", sex as x marks in "Nam" | "Nữ" columns, "Năm sinh"."""
    from openpyxl import Workbook

    wb = Workbook()
    notes = wb.active
    notes.title = "Hướng dẫn"
    notes["A1"] = "Điền danh sách ở trang sau."
    ws = wb.create_sheet("Danh sách")
    ws.append(["TT", "Họ và đệm", "Tên", "Nam", "Nữ", "Năm sinh", "Số định danh cá nhân", "Số thẻ ĐV", "Đơn vị"])
    ws.append([1, "Nguyễn Văn", "Hùng", "x", None, 1975, "025075000123", "36-012-345", "Chi bộ 1"])
    ws.append([2, "Trần Thị", "Lan", None, "X", "1980", None, None, "Chi bộ 2"])
    ws.append([3, "Lê Thị Minh", "Khai", None, "x", 1990, 1080000456, None, "Chi bộ 2"])
    wb.save(directory / name)
    return directory / name


def empty_xlsx(directory: Path, name: str = "trong.xlsx") -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.save(directory / name)
    return directory / name


def headerless_xlsx(directory: Path, name: str = "khong-tieu-de.xlsx") -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Danh sách đảng viên"])
    ws.append(["Nguyễn Văn Hùng", "05/05/1975", "Nam"])
    ws.append(["Trần Thị Lan", "01/01/1980", "Nữ"])
    wb.save(directory / name)
    return directory / name


def header_only_xlsx(directory: Path, name: str = "chi-tieu-de.xlsx") -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH"])
    ws.append(["STT", "Họ và tên", "Ngày sinh"])
    wb.save(directory / name)
    return directory / name


def password_xlsx(directory: Path, name: str = "mat-khau.xlsx") -> Path:
    """What Excel writes for a password-protected workbook: an OLE compound file, not a zip."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[0x18:0x1A] = b"\x3e\x00"
    header[0x1A:0x1C] = b"\x03\x00"
    header[0x1C:0x1E] = b"\xfe\xff"
    body = bytearray(1024)
    entry = "EncryptionInfo".encode("utf-16-le")
    body[: len(entry)] = entry
    (directory / name).write_bytes(bytes(header) + bytes(body))
    return directory / name


def custom_xlsx(directory: Path, name: str, rows: list[list], fonts: dict[tuple[int, int], str] | None = None) -> Path:
    """Any rows; ``fonts`` {(row, col) 1-based: font name} with the text encoded for that font."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            font = (fonts or {}).get((r, c))
            if font and isinstance(value, str):
                from dangbo.text.encodings import encoding_from_font

                value = encode(value, encoding_from_font(font))
            cell = ws.cell(row=r, column=c, value=value)
            if font:
                cell.font = Font(name=font)
    wb.save(directory / name)
    return directory / name


# ---------------------------------------------------------------- xls

EXPECTED_XLS = {
    "header_row": 2,
    "rows": {
        "3": {"full_name": "Phạm Văn Hùng", "birth_date": dt.datetime(1968, 12, 1), "sex": "Nam",
              "national_id": 1068000777, "home_town": "Thái Bình"},
        "4": {"full_name": "Đỗ Thị Thuỷ", "birth_date": "3/4/1970", "sex": "Nữ", "national_id": "036170000888",
              "home_town": "Nam Định"},
    },
}


def legacy_xls(directory: Path, name: str = "tinh-c.xls") -> Path:
    """An old .xls (xlwt): a title row, a TCVN3 header in .VnTime on row 2, names in .VnTime, a date cell."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Sheet1")
    vn = xlwt.easyxf("font: name .VnTime")
    date_style = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    ws.write(0, 0, encode("DANH SÁCH ĐẢNG VIÊN", "tcvn3"), vn)
    for c, h in enumerate(["Số TT", "Họ tên", "Ngày sinh", "Nam/Nữ", "Số căn cước", "Nguyên quán"]):
        ws.write(1, c, encode(h, "tcvn3"), vn)
    ws.write(2, 0, 1)
    ws.write(2, 1, encode("Phạm Văn Hùng", "tcvn3"), vn)
    ws.write(2, 2, dt.datetime(1968, 12, 1), date_style)
    ws.write(2, 3, encode("Nam", "tcvn3"), vn)
    ws.write(2, 4, 1068000777)
    ws.write(2, 5, encode("Thái Bình", "tcvn3"), vn)
    ws.write(3, 0, 2)
    ws.write(3, 1, encode("Đỗ Thị Thuỷ", "tcvn3"), vn)
    ws.write(3, 2, "3/4/1970")
    ws.write(3, 3, encode("Nữ", "tcvn3"), vn)
    ws.write(3, 4, "036170000888")
    ws.write(3, 5, encode("Nam Định", "tcvn3"), vn)
    wb.save(str(directory / name))
    return directory / name


def plain_xls(directory: Path, name: str = "unicode.xls") -> Path:
    """A Unicode .xls with no special fonts: header on row 1."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("DS")
    for c, h in enumerate(["HỌ VÀ TÊN", "NĂM SINH", "GIỚI TÍNH", "CHI BỘ"]):
        ws.write(0, c, h)
    ws.write(1, 0, "VŨ THỊ HỒNG")
    ws.write(1, 1, 1985)
    ws.write(1, 2, "Nữ")
    ws.write(1, 3, "Chi bộ 3")
    wb.save(str(directory / name))
    return directory / name


# ---------------------------------------------------------------- csv

CSV_ROWS = [
    ["ho_ten", "ngay_sinh", "gioi_tinh", "so_cccd", "so_the_dang", "que_quan", "ngay_ket_nap", "chi_bo"],
    ["Nguyễn Văn Hùng", "5/5/1975", "Nam", "25075000123", "12.345.678", "Vĩnh Phúc", "02/03/2000", "Chi bộ A1"],
    ["Hoàng Thị Thuỷ", "1982", "Nữ", "", "", "Phú Thọ", "2010-05-19", "Chi bộ A2"],
]


def bom_csv(directory: Path, name: str = "tinh-d.csv", delimiter: str = ";", bom: bool = True,
            multiline: bool = False) -> Path:
    """UTF-8 with a BOM, ``;``-delimited, header on line 1; ``multiline`` puts a newline inside a quoted cell."""
    import csv
    import io

    rows = [list(r) for r in CSV_ROWS]
    if multiline:
        rows[1][5] = "Vĩnh Phúc\n(nay là Phú Thọ)"
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    (directory / name).write_bytes((b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode("utf-8"))
    return directory / name


def legacy_csv(directory: Path, encoding: str = "tcvn3", name: str | None = None) -> Path:
    """A CSV of legacy bytes (no fonts to tell): a title line, then the header, all in ``encoding``."""
    name = name or f"{encoding}.csv"
    lines = [
        "DANH SÁCH ĐẢNG VIÊN CHI BỘ THÔN ĐÔNG",
        "Họ và tên,Ngày sinh,Giới tính,Quê quán",
        "Nguyễn Văn Hùng,05/05/1975,Nam,Vĩnh Phúc",
        "Trần Thị Lan,01/01/1980,Nữ,Hòa Bình",
        "Lê Thị Hoà,1975,Nữ,Phú Thọ",
        "Đặng Quốc Việt,12/12/1966,Nam,Hà Nội",
    ]
    data = b"\r\n".join(legacy_bytes(encode(line, encoding)) for line in lines) + b"\r\n"
    (directory / name).write_bytes(data)
    return directory / name
