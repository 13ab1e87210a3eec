"""Builders of hostile spreadsheets — tiny on disk, huge once read naively (issue 9, item 1).

Each writes one file under the given folder and returns its path. The .xlsx ones are written part by
part with zipfile (openpyxl would refuse to write most of them)."""

from __future__ import annotations

import datetime as dt
import struct
import zipfile
from collections.abc import Iterable
from pathlib import Path

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '</Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)


def workbook_xml(sheets: int = 1) -> str:
    entries = "".join(f'<sheet name="DS{i}" sheetId="{i}" r:id="rId{i}"/>' for i in range(1, sheets + 1))
    return f'<?xml version="1.0"?><workbook xmlns="{NS}" xmlns:r="{REL_NS}"><sheets>{entries}</sheets></workbook>'


def workbook_rels(sheets: int = 1) -> str:
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{min(i, 1)}.xml"/>'
        for i in range(1, sheets + 1))
    rels += f'<Relationship Id="rIdS" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
    return ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships">{rels}</Relationships>')


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER_ROW = ('<row r="1">' + inline("A1", "Họ và tên") + inline("B1", "Ngày sinh") + inline("C1", "Số CCCD")
              + "</row>")


def birth(n: int) -> str:
    d = dt.date(1950, 1, 1) + dt.timedelta(days=n)
    return f"{d.day}/{d.month}/{d.year}"


def data_row(n: int, extra: str = "") -> str:
    """Data row ``n``: a name and a birth date (one day apart from row to row: different people)."""
    return (f'<row r="{n}">' + inline(f"A{n}", f"Nguyễn Văn An{'' if n % 2 else ' Bình'}")
            + inline(f"B{n}", birth(n)) + extra + "</row>")


def write_xlsx(path: Path, sheet_parts: Iterable[str | bytes], *, strings: Iterable[str | bytes] = (),
               sheets: int = 1, level: int = 9, members: dict[str, str] | None = None) -> Path:
    """An .xlsx whose first sheet's XML (and shared strings) are streamed from the given pieces."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", workbook_xml(sheets))
        z.writestr("xl/_rels/workbook.xml.rels", workbook_rels(sheets))
        for name, text in (members or {}).items():
            z.writestr(name, text)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            for piece in sheet_parts:
                f.write(piece.encode() if isinstance(piece, str) else piece)
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0"?><sst xmlns="{NS}">'.encode())
            for piece in strings:
                f.write(piece.encode() if isinstance(piece, str) else piece)
            f.write(b"</sst>")
    return path


def sheet(rows: Iterable[str]) -> Iterable[str]:
    yield f'<?xml version="1.0"?><worksheet xmlns="{NS}"><sheetData>'
    yield from rows
    yield "</sheetData></worksheet>"


def xfd_rows(directory: Path, rows: int = 20_000, value: str = "x", name: str = "xfd.xlsx") -> Path:
    """A roll whose every data row also holds one cell in column XFD (16,384): 15 KB on disk; read
    with rows built out to their last cell, 20,000 × 16,384 cells (2.4 GB for 2,000 rows)."""
    xfd = inline("XFD{n}", value)
    body = (data_row(n, xfd.replace("{n}", str(n))) for n in range(2, rows + 2))
    return write_xlsx(directory / name, sheet([HEADER_ROW, *body]))


def whitespace(directory: Path, megabytes: int = 300, name: str = "khoang-trang.xlsx") -> Path:
    """A sheet with ``megabytes`` MB of whitespace between two rows (≈ 1.4 MB on disk at 300)."""
    chunk = b" " * (1 << 20)
    parts = [HEADER_ROW, data_row(2), *([chunk] * megabytes), data_row(3)]
    return write_xlsx(directory / name, sheet(parts), level=1)


def huge_shared_string(directory: Path, megabytes: int = 64, name: str = "chuoi-dai.xlsx") -> Path:
    """One shared string of ``megabytes`` MB ('a' repeated), used by one cell."""
    chunk = b"a" * (1 << 20)
    strings = [b"<si><t>", *([chunk] * megabytes), b"</t></si>"]
    cell = '<c r="C2" t="s"><v>0</v></c>'
    return write_xlsx(directory / name, sheet([HEADER_ROW, data_row(2, cell)]), strings=strings, level=1)


def many_shared_strings(directory: Path, count: int, name: str = "nhieu-chuoi.xlsx") -> Path:
    strings = (f"<si><t>{i % 10}</t></si>" for i in range(count))
    return write_xlsx(directory / name, sheet([HEADER_ROW, data_row(2)]), strings=strings)


def set_declared_size(path: Path, member: str, size: int) -> Path:
    """Rewrite the uncompressed size the central directory declares for ``member`` (a zip that lies)."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    pos = 0
    while True:
        pos = data.find(b"PK\x01\x02", pos)
        if pos < 0:
            raise ValueError(member)
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46: pos + 46 + name_len]) == name:
            extra_len = struct.unpack_from("<H", data, pos + 30)[0]
            if struct.unpack_from("<I", data, pos + 24)[0] == 0xFFFFFFFF:  # zip64: the size is in the extra field
                extra = pos + 46 + name_len
                end = extra + extra_len
                while extra < end:
                    tag, length = struct.unpack_from("<HH", data, extra)
                    if tag == 0x0001:
                        struct.pack_into("<Q", data, extra + 4, size)
                        break
                    extra += 4 + length
            else:
                struct.pack_into("<I", data, pos + 24, size)
            path.write_bytes(bytes(data))
            return path
        pos += 4


def many_entries(directory: Path, entries: int, name: str = "nhieu-phan.xlsx") -> Path:
    path = write_xlsx(directory / name, sheet([HEADER_ROW, data_row(2)]))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as z:
        for i in range(entries):
            z.writestr(f"x/{i}", b"")
    return path


def entity_sheet(directory: Path, name: str = "thuc-the.xlsx") -> Path:
    """A sheet with an internal DTD and nested entities ("billion laughs")."""
    dtd = ('<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
           + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)) + "]>")
    parts = [dtd, f'<worksheet xmlns="{NS}"><sheetData>', HEADER_ROW,
             '<row r="2">' + inline("A2", "&i;") + "</row>", "</sheetData></worksheet>"]
    return write_xlsx(directory / name, parts)


def sparse_file(path: Path, size: int, head: bytes) -> Path:
    """A file of ``size`` bytes that takes no room on disk: ``head`` then a hole."""
    with path.open("wb") as f:
        f.write(head)
        f.truncate(size)
    return path


def wide_xls(directory: Path, rows: int = 65_536, name: str = "rong.xls") -> Path:
    """An .xls whose every row holds one number in the last column (IV): ~1 MB; xlrd sets aside
    65,536 × 256 cells for it."""
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("DS")
    ws.write(0, 0, "Họ và tên")
    ws.write(0, 1, "Ngày sinh")
    for r in range(1, rows):
        ws.write(r, 255, 1)
    path = directory / name
    wb.save(str(path))
    return path


def repeated_rows(directory: Path, rows: int = 20_000, name: str = "lap.csv") -> Path:
    """One row pasted ``rows`` times (≈ 0.5 MB): compared pairwise, 200 million pairs for review."""
    path = directory / name
    path.write_text("Họ và tên;Ngày sinh\n" + "Nguyễn Văn An;1/1/1970\n" * rows, encoding="utf-8")
    return path
