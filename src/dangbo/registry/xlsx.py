"""Read the sheets of an .xlsx row by row, in bounded memory (pure Python, no Django).

Why not openpyxl's reader (it is still the reference: :mod:`tests.registry.test_xlsx` checks that
the values here are openpyxl's, cell by cell): in read-only mode it builds every row out to its last
cell — a row holding one cell in column XFD becomes 16,384 cells, so a 15 KB file took 2.4 GB — and
its ElementTree parsers gather all text between two tags into one string, so 1 MB of compressed
whitespace or one shared string inflated to 1 GB before anything could be checked.  Here the zip
parts are inflated chunk by chunk (their declared and actual sizes checked against
:mod:`dangbo.registry.limits`), parsed by expat handlers that keep only cell values and shared
strings (text elsewhere is dropped as it streams by; DTDs and entities refused), and each row keeps
only its non-empty cells.  Values follow openpyxl's ``data_only`` reading exactly, through openpyxl's
own number-format and date helpers: numbers ``int``/``float``, dates ``datetime``, booleans, shared
and inline strings, formula cells as their cached value, errors as their text (``#N/A``).
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Callable, Iterator
from typing import Any
from xml.parsers import expat

from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601

from dangbo.registry import limits as L

Cell = tuple[Any, str | None]  # (value, font name or None)
EMPTY: Cell = (None, None)
#: A row without any cell (missing rows of a sheet share it).
NO_CELLS: tuple = ()
_CHUNK = 1 << 20


class XlsxError(Exception):
    """A workbook that cannot be read, or crosses a limit; the message is Vietnamese, without the file."""

    def __init__(self, message: str, *, sheet: str | None = None, row: int | None = None,
                 column: str | None = None):
        super().__init__(message)
        self.message, self.sheet, self.row, self.column = message, sheet, row, column


class _Refused(Exception):
    """Raised inside an expat handler; carried out of the parser unchanged."""

    def __init__(self, error: XlsxError):
        super().__init__(error.message)
        self.error = error


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(n: int) -> str:
    """1 → "A", 16384 → "XFD"."""
    s = ""
    while n:
        n, rem = divmod(n - 1, 26)
        s = chr(65 + rem) + s
    return s


def _forbid(*_args) -> None:
    raise _Refused(XlsxError("tệp Excel chứa khai báo DTD / thực thể XML — không đọc (có thể là tệp độc hại)"))


def _parser() -> expat.XMLParserType:
    p = expat.ParserCreate()
    p.buffer_text = True
    p.buffer_size = 65_536
    p.StartDoctypeDeclHandler = _forbid
    p.EntityDeclHandler = _forbid
    p.UnparsedEntityDeclHandler = _forbid
    p.ExternalEntityRefHandler = _forbid
    p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return p


def _entries(path: str) -> int | None:
    """How many entries the zip's end record declares (None when it cannot be read here)."""
    end = getattr(zipfile, "_EndRecData", None)
    if end is None:
        return None
    try:
        with open(path, "rb") as f:
            rec = end(f)
    except (OSError, zipfile.BadZipFile, ValueError):
        return None
    return int(rec[4]) if rec else None  # _ECD_ENTRIES_TOTAL


class Workbook:
    """An open .xlsx: its sheets (name, part) in workbook order, read one at a time by :meth:`rows`."""

    def __init__(self, path: str):
        n = _entries(path)
        if n is not None and n > L.MAX_ZIP_ENTRIES:
            raise XlsxError(f"tệp nén chứa {L.number(n)} phần, vượt giới hạn {L.number(L.MAX_ZIP_ENTRIES)} — "
                            "không phải bảng tính thông thường")
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as e:
            raise XlsxError(f"không đọc được tệp Excel (.xlsx) — tệp hỏng hoặc không phải Excel ({e})") from e
        self.inflated = 0
        try:
            self._names = set(self.zip.namelist())
            book = self._office_document()
            self.epoch = CALENDAR_WINDOWS_1900
            sheets = self._workbook(book)
            rels = self._rels(book)
            self.sheets: list[tuple[str, str]] = []
            for name, rid in sheets:
                rel = rels.get(rid)
                if rel is None or rel[0].endswith("/chartsheet") or rel[1] not in self._names:
                    continue
                self.sheets.append((name, rel[1]))
            strings = next((t for typ, t in rels.values() if typ.endswith("/sharedStrings")), None)
            if strings is None and "xl/sharedStrings.xml" in self._names:
                strings = "xl/sharedStrings.xml"
            self._styles()
            self.strings: list[str] = self._shared_strings(strings) if strings in self._names else []
        except BaseException:
            self.zip.close()
            raise

    def close(self) -> None:
        self.zip.close()

    # ------------------------------------------------------------ parts

    def _parse(self, part: str, setup: Callable[[expat.XMLParserType], None]) -> None:
        """Inflate ``part`` chunk by chunk into a fresh expat parser that ``setup`` gave handlers,
        counting bytes against the part's declared size and the limits."""
        try:
            info = self.zip.getinfo(part)
        except KeyError:
            raise XlsxError(f"tệp Excel thiếu phần \"{part}\" — tệp hỏng") from None
        if info.file_size > L.MAX_PART_BYTES or self.inflated + info.file_size > L.MAX_UNCOMPRESSED_BYTES:
            raise XlsxError(
                f"phần \"{part}\" khai báo {L.human_bytes(info.file_size)} khi giải nén, vượt giới hạn "
                f"{L.human_bytes(L.MAX_PART_BYTES)} một phần / {L.human_bytes(L.MAX_UNCOMPRESSED_BYTES)} cả tệp "
                "— tệp quá lớn hoặc là tệp nén độc hại (zip bomb)")
        parser = _parser()
        setup(parser)
        read = 0
        try:
            with self.zip.open(info) as f:
                while True:
                    chunk = f.read(_CHUNK)
                    if not chunk:
                        break
                    read += len(chunk)
                    self.inflated += len(chunk)
                    if read > info.file_size or self.inflated > L.MAX_UNCOMPRESSED_BYTES:
                        raise XlsxError(f"phần \"{part}\" giải nén ra nhiều hơn kích thước khai báo — tệp nén "
                                        "độc hại (zip bomb) hoặc hỏng")
                    parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except _Refused as e:
            raise e.error from None
        except expat.ExpatError as e:
            raise XlsxError(f"phần \"{part}\" không phải XML hợp lệ ({expat.ErrorString(e.code)}, dòng "
                            f"{e.lineno}) — tệp hỏng") from None
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError) as e:
            raise XlsxError(f"không giải nén được phần \"{part}\" ({e}) — tệp hỏng") from None

    def _office_document(self) -> str:
        found = []

        def setup(p):
            def start(name, attrs):
                if _local(name) == "Relationship" and attrs.get("Type", "").endswith("/officeDocument"):
                    found.append(_target("", attrs.get("Target", "")))
            p.StartElementHandler = start

        if "_rels/.rels" in self._names:
            self._parse("_rels/.rels", setup)
        return found[0] if found and found[0] in self._names else "xl/workbook.xml"

    def _workbook(self, part: str) -> list[tuple[str, str]]:
        sheets: list[tuple[str, str]] = []

        def setup(p):
            def start(name, attrs):
                local = _local(name)
                if local == "sheet":
                    if len(sheets) >= L.MAX_SHEETS:
                        raise _Refused(XlsxError(f"tệp có hơn {L.number(L.MAX_SHEETS)} trang tính, vượt giới hạn"))
                    rid = next((v for k, v in attrs.items() if _local(k) == "id" and ":" in k), None)
                    sheets.append((attrs.get("name", ""), rid))
                elif local == "workbookPr" and attrs.get("date1904", "").lower() in ("1", "true"):
                    self.epoch = CALENDAR_MAC_1904
            p.StartElementHandler = start

        self._parse(part, setup)
        return sheets

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        folder, base = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", base + ".rels")
        out: dict[str, tuple[str, str]] = {}

        def setup(p):
            def start(name, attrs):
                if _local(name) == "Relationship" and attrs.get("TargetMode") != "External":
                    if len(out) >= L.MAX_ZIP_ENTRIES:
                        raise _Refused(XlsxError("tệp có quá nhiều liên kết nội bộ — tệp hỏng"))
                    out[attrs.get("Id", "")] = (attrs.get("Type", ""), _target(folder, attrs.get("Target", "")))
            p.StartElementHandler = start

        if rels_part in self._names:
            self._parse(rels_part, setup)
        return out

    def _styles(self) -> None:
        """The font name and the date / duration kind of every cell format (openpyxl reads
        ``xl/styles.xml`` and decides dates with the same helpers)."""
        custom: dict[int, str] = {}
        fonts: list[str | None] = []
        xfs: list[tuple[int, int]] = []
        path: list[str] = []

        def count(what: list | dict) -> None:
            if len(what) >= L.MAX_STYLES:
                raise _Refused(XlsxError(f"tệp có hơn {L.number(L.MAX_STYLES)} kiểu định dạng, vượt giới hạn"))

        def setup(p):
            def start(name, attrs):
                local = _local(name)
                parent = path[-1] if path else ""
                path.append(local)
                if local == "numFmt" and parent == "numFmts":
                    count(custom)
                    custom[int(attrs.get("numFmtId", "0"))] = attrs.get("formatCode", "")
                elif local == "font" and parent == "fonts":
                    count(fonts)
                    fonts.append(None)
                elif local == "name" and parent == "font" and len(path) >= 3 and path[-3] == "fonts":
                    fonts[-1] = attrs.get("val")
                elif local == "xf" and parent == "cellXfs":
                    count(xfs)
                    xfs.append((int(attrs.get("numFmtId", "0")), int(attrs.get("fontId", "0"))))

            def end(name):
                path.pop()
            p.StartElementHandler = start
            p.EndElementHandler = end

        if "xl/styles.xml" in self._names:
            try:
                self._parse("xl/styles.xml", setup)
            except ValueError:
                raise XlsxError("phần định dạng (styles.xml) có số không hợp lệ — tệp hỏng") from None
        self.style_font = [fonts[f] if 0 <= f < len(fonts) else None for _, f in xfs]
        self.date_styles: set[int] = set()
        self.duration_styles: set[int] = set()
        for i, (fmt_id, _) in enumerate(xfs):
            fmt = custom[fmt_id] if fmt_id in custom else builtin_format_code(fmt_id)
            if is_date_format(fmt):
                self.date_styles.add(i)
            if is_timedelta_format(fmt):
                self.duration_styles.add(i)

    def _shared_strings(self, part: str) -> list[str]:
        """The shared-string table: each entry its plain text then its rich-text runs (phonetic runs
        left out), ``x005F_`` removed — openpyxl's ``read_string_table``."""
        strings: list[str] = []
        path: list[str] = []
        plain: list[str] = []
        runs: list[str] = []
        state = {"chars": 0, "si": 0, "into": None}

        def setup(p):
            def start(name, attrs):
                local = _local(name)
                if local == "si":
                    path.clear()
                    plain.clear()
                    runs.clear()
                    state["si"], state["len"] = 1, 0
                    path.append(local)
                    return
                if not state["si"]:
                    return
                path.append(local)
                if local == "t" and len(path) == 2:
                    state["into"] = plain
                elif local == "t" and len(path) == 3 and path[1] == "r":
                    state["into"] = runs

            def end(name):
                if not state["si"]:
                    return
                local = path.pop() if path else ""
                if local == "t":
                    state["into"] = None
                elif local == "si":
                    state["si"] = 0
                    if len(strings) >= L.MAX_SHARED_STRINGS:
                        raise _Refused(XlsxError(f"bảng chuỗi dùng chung có hơn {L.number(L.MAX_SHARED_STRINGS)} "
                                                 "chuỗi, vượt giới hạn"))
                    strings.append(("".join(plain) + "".join(runs)).replace("x005F_", ""))

            def text(data):
                into = state["into"]
                if into is None:
                    return
                state["len"] += len(data)
                state["chars"] += len(data)
                if state["len"] > L.MAX_CELL_CHARS:
                    raise _Refused(XlsxError(f"chuỗi dùng chung thứ {L.number(len(strings) + 1)} dài hơn "
                                             f"{L.number(L.MAX_CELL_CHARS)} ký tự (giới hạn một ô của Excel)"))
                if state["chars"] > L.MAX_SHARED_CHARS:
                    raise _Refused(XlsxError(f"bảng chuỗi dùng chung dài hơn {L.number(L.MAX_SHARED_CHARS)} ký tự, "
                                             "vượt giới hạn"))
                into.append(data)
            p.StartElementHandler = start
            p.EndElementHandler = end
            p.CharacterDataHandler = text

        self._parse(part, setup)
        return strings

    # ------------------------------------------------------------ sheets

    def rows(self, index: int) -> list:
        """The rows of sheet ``index``: ``rows[i]`` is spreadsheet row ``i + 1``, a list of cells
        ``(value, font)`` up to its last non-empty one (empty cells ``EMPTY``; a row without any
        cell ``NO_CELLS``); trailing empty rows left out."""
        name, part = self.sheets[index]
        reader = _SheetReader(self, name)
        self._parse(part, reader.setup)
        return reader.grid


def _target(folder: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target[1:])
    return posixpath.normpath(posixpath.join(folder, target))


def _cast_number(text: str) -> int | float:
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


class _SheetReader:
    """expat handlers for one worksheet part: openpyxl's ``WorkSheetParser`` (``data_only``) and
    ``ReadOnlyWorksheet._cells_by_row``, keeping only non-empty cells."""

    def __init__(self, book: Workbook, sheet: str):
        self.book, self.sheet = book, sheet
        self.grid: list = []
        self.cells = 0
        self.in_data = False
        self.row_counter = 0  # openpyxl's row counter (rows without r= count on)
        self.next_row = 1  # openpyxl's counter of rows yielded: an earlier or repeated row is skipped
        self.row: dict[int, Any] | None = None
        self.row_styles: dict[int, int] = {}
        self.last_col = 0
        self.col_counter = 0
        self.cell: list | None = None  # [column, type, style, value parts or None, inline parts or None]
        self.into: list[str] | None = None
        self.path: list[str] = []
        self.length = 0

    def refuse(self, message: str, row: int | None = None, column: int | None = None) -> None:
        raise _Refused(XlsxError(message, sheet=self.sheet, row=row,
                                 column=column_letters(column) if column else None))

    def setup(self, p: expat.XMLParserType) -> None:
        p.StartElementHandler = self.start
        p.EndElementHandler = self.end
        p.CharacterDataHandler = self.text

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = name if ":" not in name else _local(name)
        if self.cell is not None:
            self.path.append(local)
            cell = self.cell
            if local == "v" and len(self.path) == 1 and cell[3] is None:
                cell[3] = []
                self.into = cell[3]
            elif local == "is" and len(self.path) == 1 and cell[4] is None:
                cell[4] = ([], [])
            elif local == "t" and cell[4] is not None and self.path[0] == "is":
                if len(self.path) == 2:
                    self.into = cell[4][0]
                elif len(self.path) == 3 and self.path[1] == "r":
                    self.into = cell[4][1]
            return
        if not self.in_data:
            if local == "sheetData":
                self.in_data = True
            return
        if local == "c" and self.row is not None:
            ref = attrs.get("r")
            if ref:
                k = 0
                while k < len(ref) and "A" <= ref[k] <= "Z":
                    k += 1
                if not k:
                    self.refuse(f"ô có tọa độ không hợp lệ \"{ref}\" — tệp hỏng", self.row_counter)
                self.col_counter = _column_number(ref[:k])
            else:
                self.col_counter += 1
            style = attrs.get("s")
            try:
                style_id = int(style) if style else 0
            except ValueError:
                self.refuse(f"ô có kiểu định dạng không hợp lệ \"{style}\" — tệp hỏng", self.row_counter)
            self.cell = [self.col_counter, attrs.get("t", "n"), style_id, None, None]
            self.path = []
            self.length = 0
        elif local == "row":
            r = attrs.get("r")
            if r is None:
                self.row_counter += 1
            else:
                try:
                    self.row_counter = int(r)
                except ValueError:
                    try:
                        f = float(r)
                    except ValueError:
                        f = 0.5
                    if not f.is_integer():
                        self.refuse(f"số dòng không hợp lệ \"{r}\" — tệp hỏng")
                    self.row_counter = int(f)
            if self.row_counter > L.MAX_ROWS:
                self.refuse(f"có dòng số {L.number(self.row_counter)}, vượt giới hạn {L.number(L.MAX_ROWS)} dòng "
                            "một trang", self.row_counter)
            self.row, self.row_styles, self.last_col, self.col_counter = {}, {}, 0, 0

    def text(self, data: str) -> None:
        into = self.into
        if into is None:
            return
        self.length += len(data)
        if self.length > L.MAX_CELL_CHARS:
            cell = self.cell
            self.refuse(f"ô dài hơn {L.number(L.MAX_CELL_CHARS)} ký tự (giới hạn một ô của Excel)",
                        self.row_counter, cell[0] if cell else None)
        into.append(data)

    def end(self, name: str) -> None:
        cell = self.cell
        if cell is not None:
            if self.path:
                local = self.path.pop()
                if local in ("v", "t"):
                    self.into = None
                return
            self.cell = None
            self.into = None
            self.last_col = cell[0]
            value = self.value(cell)
            if value is None:
                self.row.pop(cell[0], None)
                return
            self.row[cell[0]] = value
            self.row_styles[cell[0]] = cell[2]
            return
        if not self.in_data:
            return
        local = name if ":" not in name else _local(name)
        if local == "row" and self.row is not None:
            self.finish_row()
            self.row = None
        elif local == "sheetData":
            self.in_data = False

    def value(self, cell: list) -> Any:
        column, kind, style, parts, inline = cell
        if kind == "inlineStr":
            return None if inline is None else "".join(inline[0]) + "".join(inline[1])
        text = "".join(parts) if parts else ""
        if not text:
            return None
        try:
            if kind == "n":
                value = _cast_number(text)
                if style in self.book.date_styles:
                    try:
                        return from_excel(value, self.book.epoch, timedelta=style in self.book.duration_styles)
                    except (OverflowError, ValueError):
                        return "#VALUE!"
                return value
            if kind == "s":
                return self.book.strings[int(text)]
            if kind == "b":
                return bool(int(text))
            if kind == "d":
                return from_ISO8601(text)
        except (ValueError, IndexError, TypeError):
            self.refuse(f"ô có giá trị không hợp lệ (kiểu \"{kind}\") — tệp hỏng", self.row_counter, column)
        return text  # "str", "e" (an error such as #N/A) and unknown kinds: the text as written

    def finish_row(self) -> None:
        number = self.row_counter
        if number < self.next_row:
            return  # openpyxl skips a row numbered before the rows already read
        self.next_row = number + 1
        row, styles = self.row, self.row_styles
        if not row:
            return
        limit = self.last_col  # openpyxl builds a row out to its last cell in file order
        cols = sorted(c for c in row if c <= limit)
        if not cols:
            return
        if cols[-1] > L.MAX_COLUMNS:
            for c in reversed(cols):
                if c <= L.MAX_COLUMNS:
                    break
                v = row[c]
                if not (isinstance(v, str) and not v.strip()):
                    self.refuse(f"ô {column_letters(c)}{number} nằm ngoài {L.number(L.MAX_COLUMNS)} cột đầu "
                                f"(đến cột {column_letters(L.MAX_COLUMNS)}) — hãy xóa dữ liệu ở các cột thừa",
                                number, c)
            cols = [c for c in cols if c <= L.MAX_COLUMNS]  # blank cells out there: skipped
            if not cols:
                return
        self.cells += len(cols)
        if self.cells > L.MAX_CELLS:
            self.refuse(f"trang có hơn {L.number(L.MAX_CELLS)} ô có dữ liệu, vượt giới hạn một tệp — hãy tách "
                        "danh sách thành nhiều tệp", number)
        fonts = self.book.style_font
        out: list[Cell] = [EMPTY] * cols[-1]
        for c in cols:
            v = row[c]
            font = None
            if isinstance(v, str):
                s = styles[c]
                font = fonts[s] if 0 <= s < len(fonts) else None
            out[c - 1] = (v, font)
        grid = self.grid
        if len(grid) < number - 1:
            grid.extend([NO_CELLS] * (number - 1 - len(grid)))
        grid.append(out)


def sheets(path: str) -> Iterator[tuple[str, list]]:
    """(sheet name, rows) of every worksheet of the .xlsx at ``path``, one sheet read at a time."""
    book = Workbook(path)
    try:
        for i, (name, _part) in enumerate(book.sheets):
            yield name, book.rows(i)
    finally:
        book.close()


__all__ = ["EMPTY", "NO_CELLS", "Workbook", "XlsxError", "column_letters", "sheets"]
