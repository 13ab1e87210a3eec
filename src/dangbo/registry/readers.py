"""Read a member roll (.xlsx, .xls, .csv) into rows of canonical fields, with a report of how.

Pure Python (no Django).  :func:`read_file` finds the first sheet with a
recognisable header row among its first rows (title rows above it are skipped),
maps the columns to canonical fields (:mod:`dangbo.registry.headers`, or a
``mapping`` override), decodes legacy-encoded text to Unicode NFC — per cell from
its font where the file has fonts (``.VnTime`` → TCVN3, ``.VnTimeH`` → TCVN3 upper
case, ``VNI-Times`` → VNI), otherwise per column from the text — and returns the
data rows, each with its source reference ``FILE:ROW``.

Values stay raw (dates as ``datetime``, numbers as ``int``/``float``, text as NFC
``str``); :mod:`dangbo.registry.values` parses them.  Bad input raises
:class:`RegistryInputError` with a Vietnamese message naming the file (and the
sheet, row and column where they apply).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dangbo.core import textcheck
from dangbo.registry import headers as H
from dangbo.registry import limits as L
from dangbo.registry.values import is_mark, parse_date
from dangbo.text import encodings
from dangbo.text.vietnamese import fold, nfc, unify_tones

SUPPORTED = (".xlsx", ".xlsm", ".xls", ".csv")
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: .xls, or an encrypted .xlsx
ZIP_MAGIC = b"PK\x03\x04"


class RegistryInputError(Exception):
    """Input that cannot be read; ``str(error)`` is a Vietnamese message for the user."""

    def __init__(self, message: str, *, file: str | None = None, sheet: str | None = None,
                 row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.message = message
        self.file, self.sheet, self.row, self.column = file, sheet, row, column


class CellNote(str):
    """A note on one cell of a row. It *is* the note's text (rows and persons have always carried their
    problems as texts: ``persons.csv`` and the stored source rows are unchanged) and also says, for the
    report and the batch page, which ``field`` and file ``column``, the ``value`` in the file, what was
    ``kept`` ("" = left empty) and its ``kind``: ``"unread"`` (the value could not be read and was left
    empty), ``"repaired"`` (read with a change, e.g. leading zeros added) or ``"stripped"`` (invisible
    characters removed)."""

    UNREAD, REPAIRED, STRIPPED = "unread", "repaired", "stripped"

    def __new__(cls, text: str, *, kind: str, field: str | None = None, column: str | None = None,
                value: str = "", kept: str = ""):
        self = super().__new__(cls, text)
        self.kind, self.field, self.column, self.value, self.kept = kind, field, column, value, kept
        return self

    def __reduce__(self):  # pickled (forked readers, benchmark caches) and deep-copied with its details
        return (_cell_note, (str(self), self.kind, self.field, self.column, self.value, self.kept))


def _cell_note(text, kind, field, column, value, kept):
    return CellNote(text, kind=kind, field=field, column=column, value=value, kept=kept)


@dataclass
class Row:
    """One data row: ``values`` maps canonical field → raw value (``None`` when the cell is empty)."""

    ref: str  # "FILE:ROW"
    row: int  # the row number a spreadsheet shows (CSV: the line number)
    values: dict[str, Any]
    problems: list[str] = field(default_factory=list)  # notes on the row's cells (e.g. invisible characters stripped)

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]


@dataclass
class Rejected:
    ref: str
    row: int
    reason: str


@dataclass
class FileRead:
    """A file as read: its rows and the report of how they were found."""

    path: str
    file: str  # base name, as used in refs
    format: str  # "xlsx" | "xls" | "csv"
    sheet: str | None  # None for CSV
    header_row: int | None  # spreadsheet row number (CSV: line) of the header; None when mapped by letter only
    columns: dict[str, str]  # column header (Unicode) → field, mapped columns only, in column order
    column_letters: dict[str, str]  # column letter → field
    encodings: dict[str, str]  # column header → "unicode" | "tcvn3" | "vni"
    unmapped: list[str] = field(default_factory=list)  # headers not recognised (ignored)
    rows: list[Row] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    text_encoding: str | None = None  # CSV only: "utf-8", "utf-8-sig", "utf-16", "cp1252", "cp1258"
    delimiter: str | None = None  # CSV only
    notes: list[str] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        """Data rows found below the header: accepted plus rejected."""
        return len(self.rows) + len(self.rejected)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def report(self) -> dict[str, Any]:
        """The JSON-ready report of this file."""
        return {
            "file": self.file,
            "format": self.format,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "columns": dict(self.columns),
            "column_letters": dict(self.column_letters),
            "encodings": dict(self.encodings),
            "unmapped_columns": list(self.unmapped),
            "text_encoding": self.text_encoding,
            "delimiter": self.delimiter,
            "rows_read": self.rows_read,
            "rows_accepted": len(self.rows),
            "rows_rejected": len(self.rejected),
            "rejected": [{"ref": r.ref, "row": r.row, "reason": r.reason} for r in self.rejected],
            "notes": list(self.notes),
        }


# ---------------------------------------------------------------- grids

Cell = tuple[Any, str | None]  # (value, font name or None)


@dataclass
class _Sheet:
    name: str | None
    cells: list[list[Cell]]  # row-major, ragged
    line_numbers: list[int] | None = None  # CSV: the physical line each record starts on


def column_letter(index: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA"."""
    s = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        s = chr(65 + rem) + s
    return s


def column_index(letters: str) -> int:
    """ "A" → 0, "AA" → 26."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _err(file: str, message: str, *, sheet: str | None = None, row: int | None = None,
         column: str | None = None) -> RegistryInputError:
    where = f"Tệp \"{file}\""
    if sheet:
        where += f", trang \"{sheet}\""
    if row is not None:
        where += f", dòng {row}"
    if column:
        where += f", cột {column}"
    return RegistryInputError(f"{where}: {message}", file=file, sheet=sheet, row=row, column=column)


def _xlsx_sheets(path: Path, file: str) -> Iterator[_Sheet]:
    """The sheets of an .xlsx, one at a time, through :mod:`dangbo.registry.xlsx` (bounded memory;
    a limit crossed or a damaged file raises a Vietnamese message naming the file and sheet)."""
    from dangbo.registry import xlsx

    try:
        book = xlsx.Workbook(str(path))
    except xlsx.XlsxError as e:
        raise _err(file, e.message, sheet=e.sheet, row=e.row, column=e.column) from None
    except Exception as e:  # noqa: BLE001 - a damaged file can fail anywhere: say so in Vietnamese
        raise _err(file, f"không đọc được tệp Excel (.xlsx): {e}") from e
    try:
        for i, (name, _part) in enumerate(book.sheets):
            try:
                grid = book.rows(i)
            except xlsx.XlsxError as e:
                raise _err(file, e.message, sheet=e.sheet or name, row=e.row, column=e.column) from None
            except RegistryInputError:
                raise
            except Exception as e:  # noqa: BLE001
                raise _err(file, f"không đọc được tệp Excel (.xlsx): {e}", sheet=name) from e
            yield _Sheet(name, grid)
            del grid
    finally:
        book.close()


def _xls_sheets(path: Path, file: str) -> Iterator[_Sheet]:
    """The sheets of an .xls through xlrd, which reads the whole book into memory: the file size is
    capped before opening (:data:`limits.MAX_XLS_BYTES`), and each sheet's cell records are counted
    before xlrd builds it (:func:`_xls_check_sheet`); rows are built without padding (``ragged_rows``)."""
    import xlrd

    size = _file_size(path, file)
    if size > L.MAX_XLS_BYTES:
        raise _err(file, f"tệp Excel 97–2003 (.xls) nặng {L.human_bytes(size)}, vượt giới hạn "
                   f"{L.human_bytes(L.MAX_XLS_BYTES)} (loại tệp này phải đọc cả vào bộ nhớ) — hãy mở bằng Excel và "
                   "lưu lại dạng .xlsx")

    def open_book(formatting: bool):
        return xlrd.open_workbook(str(path), formatting_info=formatting, on_demand=True, ragged_rows=True)

    try:
        try:
            book = open_book(True)
        except xlrd.XLRDError as e:
            if "encrypt" in str(e).lower():
                raise
            book = open_book(False)
        except NotImplementedError:
            book = open_book(False)
    except xlrd.XLRDError as e:
        if "encrypt" in str(e).lower():
            raise _err(file, "tệp có mật khẩu — hãy mở bằng Excel, gỡ mật khẩu, lưu lại rồi thử lại") from e
        raise _err(file, f"không đọc được tệp Excel (.xls): {e}") from e
    except Exception as e:
        raise _err(file, f"không đọc được tệp Excel (.xls): {e}") from e
    try:
        if book.nsheets > L.MAX_SHEETS:
            raise _err(file, f"tệp có {L.number(book.nsheets)} trang tính, vượt giới hạn {L.number(L.MAX_SHEETS)}")
        fonts_known = bool(getattr(book, "xf_list", None)) and bool(getattr(book, "font_list", None))
        for si in range(book.nsheets):
            _xls_check_sheet(book, si, file)
            try:
                sh = book.sheet_by_index(si)
            except Exception as e:  # noqa: BLE001 - a damaged sheet: say so in Vietnamese
                raise _err(file, f"không đọc được tệp Excel (.xls): {e}") from e
            grid: list = []
            cells = 0
            for r in range(sh.nrows):
                row: list[Cell] = []
                for c in range(sh.row_len(r)):
                    cell = sh.cell(r, c)
                    v = _xls_value(cell, book.datemode, xlrd)
                    if v is None:
                        row.append(_EMPTY_CELL)
                        continue
                    font = None
                    if fonts_known and isinstance(v, str):
                        try:
                            font = book.font_list[book.xf_list[sh.cell_xf_index(r, c)].font_index].name
                        except (IndexError, AttributeError):
                            font = None
                    row.append((v, font))
                    cells += 1
                while row and row[-1] is _EMPTY_CELL:
                    row.pop()
                if cells > L.MAX_CELLS:
                    raise _err(file, _too_many_cells(), sheet=sh.name, row=r + 1)
                grid.append(row or _NO_CELLS)
            name = sh.name
            book.unload_sheet(si)
            del sh
            yield _Sheet(name, grid)
            del grid
    finally:
        book.release_resources()


#: BIFF record types of one cell (row, column first) and of a run of cells (row, first column, …,
#: last column in the record's last two bytes).
_XLS_CELL_RECORDS = frozenset({0x0201, 0x0203, 0x0204, 0x0205, 0x0006, 0x0206, 0x0406, 0x027E, 0x00FD, 0x00D6})
_XLS_RUN_RECORDS = frozenset({0x00BD, 0x00BE})  # MULRK, MULBLANK


def _xls_check_sheet(book, index: int, file: str) -> None:
    """Walk sheet ``index``'s records in the workbook stream before xlrd builds it: the cells it
    declares, row by row as wide as xlrd will make them, must stay within :data:`limits.MAX_XLS_AREA`
    (a few kilobytes of records can otherwise make xlrd set aside 65,536 × 256 cells).  Uses xlrd's
    stream and sheet offsets (``mem``, ``_sh_abs_posn``: xlrd 2.0 is final); skipped when absent."""
    import struct

    mem = getattr(book, "mem", None)
    offsets = getattr(book, "_sh_abs_posn", None)
    if mem is None or offsets is None or index >= len(offsets) or getattr(book, "biff_version", 0) < 50:
        return
    names = book.sheet_names()
    widths: dict[int, int] = {}
    pos, end = offsets[index], len(mem)
    unpack = struct.unpack_from
    depth = 0  # BOF … EOF, an embedded chart's nested inside the sheet's
    while pos + 4 <= end:
        rc, length = unpack("<HH", mem, pos)
        data = pos + 4
        pos = data + length
        if rc in (0x0809, 0x0409, 0x0209, 0x0009):
            depth += 1
            continue
        if rc == 0x000A:
            depth -= 1
            if depth <= 0:
                break
            continue
        if length < 4:
            continue
        if rc in _XLS_CELL_RECORDS:
            row, col = unpack("<HH", mem, data)
        elif rc in _XLS_RUN_RECORDS and length >= 6:
            row = unpack("<H", mem, data)[0]
            col = unpack("<H", mem, data + length - 2)[0]
        else:
            continue
        if col + 1 > widths.get(row, 0):
            widths[row] = col + 1
    if sum(widths.values()) > L.MAX_XLS_AREA:
        raise _err(file, f"trang khai báo hơn {L.number(L.MAX_XLS_AREA)} ô (tính cả ô trống tới ô cuối mỗi dòng), "
                   "vượt giới hạn — hãy xóa các ô thừa hoặc lưu lại dạng .xlsx",
                   sheet=names[index] if index < len(names) else None)


def _xls_value(cell, datemode: int, xlrd) -> Any:
    t = cell.ctype
    if t in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    if t == xlrd.XL_CELL_NUMBER:
        v = cell.value
        return int(v) if float(v).is_integer() else v
    if t == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except Exception:  # noqa: BLE001 - an impossible date stays a number for values.parse_date to judge
            return cell.value
    if t == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    return cell.value


# Bytes as the legacy text appears in a spreadsheet cell: cp1252, undefined bytes as the C1 code point.
_CP1252_TABLE = "".join(
    bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)
)
_C1_TO_CP1252 = {b: _CP1252_TABLE[b] for b in range(0x80, 0xA0) if _CP1252_TABLE[b] != chr(b)}
_LEGACY_CHARS = frozenset(_CP1252_TABLE) | frozenset(chr(b) for b in range(0x80, 0xA0))
_LATIN1_TO_CP1252 = {i: _CP1252_TABLE[i] for i in range(256)}
#: Shared cells: an empty cell, an empty CSV field, a row without a filled cell.
_EMPTY_CELL: tuple = (None, None)
_EMPTY_TEXT: tuple = ("", None)
_NO_CELLS: tuple = ()


def _syllable_score(text: str) -> int:
    """How many non-ASCII words of ``text`` are Vietnamese syllables (minus those that are not)."""
    score = 0
    for word in re.findall(r"[^\W\d_]+", text):
        if not word.isascii():
            score += 1 if encodings.is_syllable(word) else -1
    return score


def _first_lines(text: str, n: int) -> list[str]:
    """``text.splitlines()[:n]`` without splitting all of a large text."""
    size = 65_536
    while size < len(text):
        lines = text[:size].splitlines()
        if len(lines) > n:  # the first n lines end inside the prefix
            return lines[:n]
        size *= 4
    return text.splitlines()[:n]


def _sniff_delimiter(text: str) -> str:
    lines = [ln for ln in _first_lines(text, 30) if ln.strip()]
    best, best_score = ",", (-1, -1)
    for d in (";", ",", "\t", "|"):
        counts = [len(r) for r in csv.reader(lines, delimiter=d) if r]
        multi = [n for n in counts if n > 1]
        if not multi:
            continue
        width, freq = Counter(multi).most_common(1)[0]
        score = (freq, width)
        if score > best_score:
            best, best_score = d, score
    return best


def _file_size(path: Path, file: str) -> int:
    try:
        return path.stat().st_size
    except OSError as e:
        raise _err(file, f"không đọc được tệp: {e}") from e


def _too_many_cells() -> str:
    return (f"có hơn {L.number(L.MAX_CELLS)} ô có dữ liệu, vượt giới hạn một tệp — hãy tách danh sách thành "
            "nhiều tệp (lệnh gộp nhận nhiều tệp cùng lúc)")


def _utf8_valid(path: Path) -> bool:
    """The whole file decodes as strict UTF-8 (checked chunk by chunk)."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _csv_encoding(path: Path, head: bytes) -> tuple[str, str, int, str, Callable[[str], str] | None]:
    """How to decode a CSV: (codec, reported encoding, bytes to skip, errors, per-line transform) — a BOM
    (UTF-8, UTF-16), else strict UTF-8, else whichever of cp1258 (Vietnamese Windows) or legacy
    TCVN3/VNI bytes (kept as cp1252 characters, decoded per column later) yields more Vietnamese
    syllables in the first 20,000 characters.  Reads the file in chunks (it may be large)."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8", "utf-8-sig", 3, "replace", None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", "utf-16", 0, "strict", None
    if _utf8_valid(path):
        return "utf-8", "utf-8", 0, "strict", None
    with path.open("rb") as f:
        prefix = f.read(80_000)
    as_legacy = prefix[:20_000].decode("latin-1").translate(_LATIN1_TO_CP1252)
    as_1258 = unicodedata.normalize("NFC", prefix.decode("cp1258", errors="replace"))[:20_000]
    scores = {"cp1258": _syllable_score(as_1258)}
    for enc in ("tcvn3", "vni"):
        scores[enc] = _syllable_score(encodings.decode(as_legacy, enc))
    best = max(scores, key=lambda k: (scores[k], k == "cp1258"))
    if best == "cp1258":
        return "cp1258", "cp1258", 0, "replace", lambda line: unicodedata.normalize("NFC", line)
    return "latin-1", "cp1252", 0, "strict", lambda line: line.translate(_LATIN1_TO_CP1252)


def _csv_stream(path: Path, codec: str, skip: int, errors: str):
    f = path.open("rb")
    f.seek(skip)
    return io.TextIOWrapper(f, encoding=codec, errors=errors, newline="")


def _csv_prefix(path: Path, codec: str, skip: int, errors: str, transform, n: int = 30) -> str:
    """The decoded text far enough for ``n`` lines (``str.splitlines``; at most (n + 1) ×
    :data:`limits.MAX_CSV_LINE_CHARS` characters): what the delimiter is sniffed from."""
    cap = (n + 1) * L.MAX_CSV_LINE_CHARS
    text = ""
    with _csv_stream(path, codec, skip, errors) as t:
        while len(text) < cap:
            chunk = t.read(65_536)
            if not chunk:
                break
            text += chunk
            if len(text.splitlines()) > n:
                break
    return transform(text) if transform else text


def _csv_sheet(path: Path, file: str) -> tuple[_Sheet, str, str]:
    """A CSV roll read line by line: its size, line length, number of records and of filled cells
    capped (:mod:`dangbo.registry.limits`), repeated values shared."""
    size = _file_size(path, file)
    if size > L.MAX_CSV_BYTES:
        raise _err(file, f"tệp CSV nặng {L.human_bytes(size)}, vượt giới hạn {L.human_bytes(L.MAX_CSV_BYTES)} — "
                   "hãy tách danh sách thành nhiều tệp")
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as e:
        raise _err(file, f"không đọc được tệp: {e}") from e
    if head.startswith(CFB_MAGIC) or head.startswith(ZIP_MAGIC):
        raise _err(file, "tệp mang đuôi .csv nhưng là tệp Excel — hãy đổi đuôi thành .xlsx/.xls hoặc lưu lại dạng CSV")
    codec, enc, skip, errors, transform = _csv_encoding(path, head)
    try:
        delimiter = _sniff_delimiter(_csv_prefix(path, codec, skip, errors, transform))
    except UnicodeDecodeError as e:
        raise _err(file, f"tệp không đúng mã {enc.upper()}: {e.reason}") from e
    grid: list = []
    lines = array("q")
    cells = 0
    shared: dict[str, Cell] = {}
    physical = 0

    def numbered_lines(stream) -> Iterator[str]:
        nonlocal physical
        while line := stream.readline(L.MAX_CSV_LINE_CHARS + 1):
            physical += 1
            if len(line) > L.MAX_CSV_LINE_CHARS:
                raise _err(file, f"dòng dài hơn {L.number(L.MAX_CSV_LINE_CHARS)} ký tự, vượt giới hạn — tệp "
                           "không phải danh sách thông thường", row=physical)
            yield transform(line) if transform else line

    prev = 0
    try:
        with _csv_stream(path, codec, skip, errors) as stream:
            reader = csv.reader(numbered_lines(stream), delimiter=delimiter)
            for rec in reader:
                lines.append(prev + 1)
                prev = reader.line_num
                if len(lines) > L.MAX_ROWS:
                    raise _err(file, f"có hơn {L.number(L.MAX_ROWS)} bản ghi, vượt giới hạn một tệp",
                               row=lines[-1])
                filled = 0
                row: list[Cell] = []
                for k, v in enumerate(rec):
                    if not v:
                        row.append(_EMPTY_TEXT)
                        continue
                    if k >= L.MAX_COLUMNS and not v.strip():
                        continue
                    if k >= L.MAX_COLUMNS:
                        raise _err(file, f"ô thứ {k + 1} của bản ghi nằm ngoài {L.number(L.MAX_COLUMNS)} cột đầu "
                                   "— hãy xóa dữ liệu ở các cột thừa", row=lines[-1], column=column_letter(k))
                    if len(v) > L.MAX_CELL_CHARS:
                        raise _err(file, f"ô dài hơn {L.number(L.MAX_CELL_CHARS)} ký tự (giới hạn một ô của Excel)",
                                   row=lines[-1], column=column_letter(k))
                    cell = shared.get(v)
                    if cell is None:
                        cell = shared[v] = (v, None)
                    row.append(cell)
                    filled += 1
                if len(row) > L.MAX_COLUMNS:
                    del row[L.MAX_COLUMNS:]
                cells += filled
                if cells > L.MAX_CELLS:
                    raise _err(file, _too_many_cells(), row=lines[-1])
                grid.append(row if filled else _NO_CELLS)
    except csv.Error as e:
        raise _err(file, f"tệp CSV hỏng: {e}", row=prev + 1) from e
    except UnicodeDecodeError as e:
        raise _err(file, f"tệp không đúng mã {enc.upper()}: {e.reason}", row=prev + 1) from e
    except OSError as e:
        raise _err(file, f"không đọc được tệp: {e}") from e
    return _Sheet(None, grid, lines), enc, delimiter


def _cfb_kind(path: Path, file: str) -> tuple[bool, bool]:
    """(an encrypted .xlsx, an .xls workbook) of an OLE compound file, from the names in it — read in
    chunks, whatever the file's size."""
    encrypted = xls_like = False
    tail = b""
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                data = tail + chunk
                encrypted = encrypted or _is_encrypted_ooxml(data)
                xls_like = xls_like or _looks_like_xls(data)
                if encrypted:
                    break
                tail = data[-64:]
    except OSError as e:
        raise _err(file, f"không đọc được tệp: {e}") from e
    return encrypted, xls_like


def _is_encrypted_ooxml(data: bytes) -> bool:
    return "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data


def _looks_like_xls(data: bytes) -> bool:
    return "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data


# ---------------------------------------------------------------- header and decoding


def _header_texts(cells: Sequence[Cell]) -> dict[int, str]:
    return H.map_row_texts([v for v, _ in cells], [f for _, f in cells])[1]


def _choose_header(sheet: _Sheet, mapping: dict[str, str] | None, file: str) -> tuple[int | None, dict[int, str]] | None:
    """(row index or None, {column: field}) for the sheet, or None when no header is found."""
    top = sheet.cells[: H.HEADER_SEARCH_ROWS]
    if not mapping:
        return H.find_header([[v for v, _ in r] for r in top], [[f for _, f in r] for r in top])
    text_keys = {k: v for k, v in mapping.items() if not re.fullmatch(r"[A-Za-z]{1,3}", k.strip())}
    best: tuple[int | None, dict[int, str]] | None = None
    best_score = (0, 0)
    for r, cells in enumerate(top):
        guessed, texts = H.map_row_texts([v for v, _ in cells], [f for _, f in cells])
        applied, hits = _apply_override(guessed, texts, mapping)
        if not (hits or H.score(guessed) >= 2) or not H.score(applied):
            continue  # a header row needs header texts: the override's or two recognised ones
        s = (H.score(guessed) + hits, hits)
        if s > best_score:
            best, best_score = (r, applied), s
    if best is not None:
        return best
    if not text_keys:  # mapped by column letter only, no header recognised: data from the first row
        applied, _ = _apply_override({}, {}, mapping)
        if H.score(applied):
            return None, applied
    return None


def _apply_override(guessed: dict[int, str], texts: dict[int, str], mapping: dict[str, str]) -> tuple[dict[int, str], int]:
    """Apply a {header text or column letter: field} override to a guessed row mapping; count text hits."""
    out = dict(guessed)
    hits = 0
    by_key: dict[str, int] = {}
    for i, t in texts.items():
        by_key.setdefault(H.header_key(t), i)
        by_key.setdefault(nfc(t), i)
    for key, target in mapping.items():
        k = key.strip()
        col = by_key.get(nfc(k))
        if col is None and H.header_key(k):
            col = by_key.get(H.header_key(k))
        if col is not None:
            hits += 1
        elif re.fullmatch(r"[A-Za-z]{1,3}", k):
            col = column_index(k)
        else:
            continue
        if target != H.IGNORE:
            for i, f in list(out.items()):
                if f == target and i != col and not (target == H.SEX and H.is_mark_column(texts.get(i))):
                    del out[i]
        out[col] = target
    return out, hits


def _check_override(mapping: dict[str, str], texts: dict[int, str], file: str, sheet: str | None,
                    header_row: int | None) -> None:
    keys = {H.header_key(t) for t in texts.values()} | {nfc(t) for t in texts.values()}
    for key, target in mapping.items():
        if target not in H.TARGETS:
            raise _err(file, f"--map: \"{target}\" không phải trường hợp lệ (chọn một trong: "
                       f"{', '.join(H.FIELD_LABELS.values())})", sheet=sheet, column=key)
        k = key.strip()
        if nfc(k) in keys or H.header_key(k) in keys or re.fullmatch(r"[A-Za-z]{1,3}", k):
            continue
        where = f"dòng tiêu đề {header_row}" if header_row else "dòng tiêu đề"
        raise _err(file, f"--map: không thấy cột \"{k}\" ở {where}", sheet=sheet, row=header_row)


def _legacy_capable(s: str) -> bool:
    return all(c in _LEGACY_CHARS for c in s)


def _decode(value: str, encoding: str) -> str:
    return encodings.decode(value.translate(_C1_TO_CP1252), encoding)


def _decode_column(cells: list[Cell]) -> tuple[list[Any], str]:
    """Decode one column's data cells to Unicode; return the values and the column's encoding."""
    out: list[Any] = [v for v, _ in cells]
    used: Counter[str] = Counter()
    undecided: list[int] = []
    if not any(font for _, font in cells):  # a CSV, or a column without fonts: every text is undecided
        undecided = [i for i, v in enumerate(out) if isinstance(v, str) and v.strip()]
    else:
        for i, (v, font) in enumerate(cells):
            if not isinstance(v, str) or not v.strip():
                continue
            enc = encodings.encoding_from_font(font) if font else None
            if enc:
                out[i] = _decode(v, enc)
                used["tcvn3" if enc.startswith("tcvn3") else enc] += 1
            else:
                undecided.append(i)
    if undecided:
        # detect_column skips plain-ASCII cells: leave them out here with a faster, equivalent test.
        values = [v for v in (out[i] for i in undecided) if not _plain_ascii(v)]
        guess = encodings.detect_column(values) if values else "unicode"
        if guess != "unicode":
            for i in undecided:
                if _legacy_capable(out[i]):
                    out[i] = _decode(out[i], guess)
                    used["tcvn3" if guess.startswith("tcvn3") else guess] += 1
                else:
                    used["unicode"] += 1
        else:
            used["unicode"] += len(undecided)
    legacy = [(n, e) for e, n in used.items() if e != "unicode"]
    encoding = max(legacy)[1] if legacy else "unicode"
    return _nfc_column(out), encoding


def _nfc_column(values: list[Any]) -> list[Any]:
    """``[_nfc(v) if isinstance(v, str) else v for v in values]``, each distinct text normalised once (a
    column of dates, home towns or units repeats a few thousand values over a roll)."""
    try:
        distinct = dict.fromkeys(values)
    except TypeError:  # an unhashable value: the plain way
        return [_nfc(v) if isinstance(v, str) else v for v in values]
    done = {v: _nfc(v) for v in distinct if isinstance(v, str)}
    get = done.get
    return [get(v, v) for v in values]  # a value that is not a text is never equal to one: kept as it is


_TAB_CR_LF = str.maketrans("", "", "\t\n\r")


def _plain_ascii(s: str) -> bool:
    """``encodings._plain_ascii``: ASCII without control characters other than tab, CR and LF."""
    return s.isascii() and (s.isprintable() or s.translate(_TAB_CR_LF).isprintable())


def _nfc(s: str) -> str:
    """:func:`nfc` (NFC, whitespace runs collapsed), skipping the normalisation for ASCII."""
    return " ".join(s.split() if s.isascii() else unicodedata.normalize("NFC", s).split())


# ---------------------------------------------------------------- rows

_COLUMN_NUMBER = re.compile(r"^\(?\s*(\d{1,2}|[a-z])\s*\)?$")


def _is_column_numbering(values: list[Any]) -> bool:
    present = [v for v in values if not _blank(v)]
    if len(present) < 3:
        return False
    return all(
        (isinstance(v, int) and 0 <= v < 100) or (isinstance(v, str) and _COLUMN_NUMBER.match(fold(v)))
        for v in present
    )


def _reject_reason(values: dict[str, Any]) -> str | None:
    names = [values.get(f) for f in (H.FULL_NAME, H.SURNAME_MIDDLE, H.GIVEN_NAME)]
    names = [n for n in names if not _blank(n)]
    if not names:
        return "thiếu họ tên"
    text = " ".join(str(n) for n in names)
    if text.lstrip()[:1].lower() not in ("t", "c") or not _letters(text).startswith(("tong", "cong")):
        # cheap: a totals row starts with Tổng / Cộng (its letters "tong" / "cong"; Trần, Cao … do not)
        return _reject_plain(text)
    # A totals row: "Tổng cộng", "Tổng số: 25", "Cộng" … — matched with their tones, so that real
    # surnames such as Tòng (Thái people) are not taken for "tổng"; without diacritics only the
    # whole phrases count.
    lower, key = unify_tones(nfc(text)).lower(), fold(text)
    if lower.startswith(("tổng cộng", "tổng số", "tổng:", "cộng:")) or lower in ("tổng", "cộng") \
            or key.startswith(("tong cong", "tong so")):
        return f"dòng tổng cộng, không phải đảng viên: \"{text}\""
    return _reject_plain(text)


def _reject_plain(text: str) -> str | None:
    if text.replace(" ", "").isalpha():
        return None  # letters only (the usual name): no digit, no colon
    if any(c.isdigit() for c in text):
        return f"họ tên có chữ số: \"{text}\""
    if ":" in text:
        return f"họ tên không hợp lệ: \"{text}\""
    return None


def _header_hits(decoded: dict[int, list[Any]], mapping: dict[int, str], keys: dict[int, str], width: int,
                 n: int) -> list[int]:
    """Per data row, how many of its cells equal their column's header (two or more: the header typed
    again, a roll pasted from several printed pages) — column by column, each distinct value judged once."""
    hits = [0] * n
    for i, f in mapping.items():
        if f == H.IGNORE or i >= width or i not in keys or i not in decoded:
            continue
        key = keys[i]
        tail = _letters(key)
        column = decoded[i]
        try:
            distinct = dict.fromkeys(column)
        except TypeError:
            distinct = None
        if distinct is not None:
            # each distinct value judged once, then only the rows holding a header text are counted
            found = {v for v in distinct if isinstance(v, str) and _letters(v).endswith(tail) and H.header_key(v) == key}
            if found:
                for k, v in enumerate(column):
                    if v in found:
                        hits[k] += 1
            continue
        seen: dict[str, bool] = {}
        for k, v in enumerate(column):
            if not isinstance(v, str):
                continue
            hit = seen.get(v)
            if hit is None:
                hit = seen[v] = _letters(v).endswith(tail) and H.header_key(v) == key
            if hit:
                hits[k] += 1
    return hits


_NOT_ASCII_LETTER = re.compile(r"[^a-z]+")


def _letters(s: str) -> str:
    """The ASCII letters of ``s`` lower-cased without diacritics (what a header key's letters must end with)."""
    if s.isascii():
        return _NOT_ASCII_LETTER.sub("", s.lower())
    return _NOT_ASCII_LETTER.sub("", unicodedata.normalize("NFD", s.lower()).replace("đ", "d"))


def read_file(path: str | Path, *, mapping: dict[str, str] | None = None) -> FileRead:
    """Read one member roll.  ``mapping`` overrides the column guess: {header text or column letter: field}.

    Raises :class:`RegistryInputError` for an unsupported, unreadable or
    password-protected file, a file with no recognisable header, or an empty sheet.
    """
    p = Path(path)
    file = p.name
    ext = p.suffix.lower()
    if ext not in SUPPORTED:
        raise _err(file, f"không hỗ trợ loại tệp \"{ext or '(không có đuôi)'}\" — chỉ đọc .xlsx, .xls và .csv")
    if not p.is_file():
        raise _err(file, "không tìm thấy tệp")
    if mapping:
        for key, target in mapping.items():
            if target not in H.TARGETS:
                raise _err(file, f"--map: \"{target}\" không phải trường hợp lệ (chọn một trong: "
                           f"{', '.join(H.FIELD_LABELS.values())})", column=key)
    try:
        with p.open("rb") as fh:
            head = fh.read(8)
    except OSError as e:
        raise _err(file, f"không đọc được tệp: {e}") from e
    if not head:
        raise _err(file, "tệp rỗng (0 byte)")

    text_encoding = delimiter = None
    if ext == ".csv":
        csv_sheet, text_encoding, delimiter = _csv_sheet(p, file)
        sheets: Iterator[_Sheet] = iter([csv_sheet])
        fmt = "csv"
    elif head.startswith(ZIP_MAGIC):
        sheets, fmt = _xlsx_sheets(p, file), "xlsx"
    elif head.startswith(CFB_MAGIC):
        encrypted, xls_like = _cfb_kind(p, file)
        if encrypted or (ext != ".xls" and not xls_like):
            raise _err(file, "tệp có mật khẩu — hãy mở bằng Excel, gỡ mật khẩu, lưu lại rồi thử lại")
        sheets, fmt = _xls_sheets(p, file), "xls"
    else:
        kind = "trang HTML hoặc văn bản đổi đuôi" if head.lstrip()[:1] in (b"<", b"\xef") else "không phải tệp Excel"
        raise _err(file, f"không đọc được tệp: {kind}")

    any_content = False
    for sheet in sheets:
        if not any(not _blank(v) for row in sheet.cells for v, _ in row):
            del sheet  # one sheet in memory at a time: freed before the next is read
            continue
        any_content = True
        found = _choose_header(sheet, mapping, file)
        if found is None:
            del sheet
            continue
        return _read_sheet(p, file, fmt, sheet, found, mapping, text_encoding, delimiter)
    if not any_content:
        raise _err(file, "trang tính trống, không có dữ liệu")
    raise _err(
        file,
        f"không tìm thấy dòng tiêu đề trong {H.HEADER_SEARCH_ROWS} dòng đầu của trang nào — cần cột họ tên "
        "(\"Họ và tên\", hoặc \"Họ và đệm\" và \"Tên\") cùng ít nhất một cột khác (Ngày sinh, Số CCCD, …); "
        "có thể chỉ định cột bằng --map",
    )


def _row_number(sheet: _Sheet, index: int) -> int:
    return sheet.line_numbers[index] if sheet.line_numbers is not None else index + 1


def _read_sheet(p: Path, file: str, fmt: str, sheet: _Sheet, found: tuple[int | None, dict[int, str]],
                mapping: dict[str, str] | None, text_encoding: str | None, delimiter: str | None) -> FileRead:
    header_index, colmap = found
    header_row = None if header_index is None else _row_number(sheet, header_index)
    texts = _header_texts(sheet.cells[header_index]) if header_index is not None else {}
    if mapping:
        _check_override(mapping, texts, file, sheet.name, header_row)
    start = 0 if header_index is None else header_index + 1
    notes: list[str] = []

    # A second header row just below (e.g. "Ngày sinh" over "Nam" | "Nữ"): merge it into the mapping.
    if header_index is not None and start < len(sheet.cells):
        sub_map, sub_texts = H.map_row_texts([v for v, _ in sheet.cells[start]], [f for _, f in sheet.cells[start]])
        sub_fields = {i: f for i, f in sub_map.items() if f != H.IGNORE}
        name_cols = [i for i, f in colmap.items() if f in H.NAME_FIELDS]
        names_blank = all(_blank(_cell(sheet.cells[start], i)) for i in name_cols)
        filled = [i for i, (v, _) in enumerate(sheet.cells[start]) if not _blank(v)]
        header_like = len(sub_fields) >= 2 and all(i in sub_map for i in filled)
        if header_like and names_blank:
            for i, f in sub_fields.items():
                mark_under = H.is_mark_column(sub_texts.get(i)) and colmap.get(i) in (None, H.BIRTH_DATE, H.SEX)
                if mark_under or i not in colmap:
                    colmap[i] = f
                    texts[i] = sub_texts[i]
            notes.append(f"dòng {_row_number(sheet, start)} là phần thứ hai của dòng tiêu đề")
            start += 1

    ordered = sorted(colmap.items())
    width = max((len(r) for r in sheet.cells[start:]), default=0)
    data_rows = [(i, sheet.cells[i]) for i in range(start, len(sheet.cells))]
    # Decode column by column (fonts per cell, else detection over the column).
    decoded: dict[int, list[Any]] = {}
    col_encoding: dict[int, str] = {}
    for col, _field in ordered:
        values, enc = _decode_column([r[col] if col < len(r) else (None, None) for _, r in data_rows])
        decoded[col] = values
        col_encoding[col] = enc

    def label(col: int) -> str:
        t = texts.get(col, "")
        same = [i for i, x in texts.items() if x == t]
        return t if t and len(same) == 1 else f"{column_letter(col)}" + (f" ({t})" if t else "")

    columns = {label(c): f for c, f in ordered}
    result = FileRead(
        path=str(p), file=file, format=fmt, sheet=sheet.name, header_row=header_row, columns=columns,
        column_letters={column_letter(c): f for c, f in ordered},
        encodings={label(c): col_encoding[c] for c, f in ordered if f != H.IGNORE},
        unmapped=[t for i, t in sorted(texts.items()) if i not in colmap],
        text_encoding=text_encoding, delimiter=delimiter, notes=notes,
    )
    fields = [(c, f) for c, f in ordered if f != H.IGNORE]
    keys = {c: H.header_key(texts[c]) for c, _ in ordered if c in texts}
    marks = {c: H.is_mark_column(texts.get(c)) for c, f in fields if f == H.SEX}
    has_plain_sex = any(not m for m in marks.values())
    has_birth = any(f == H.BIRTH_DATE for _, f in fields)
    header_hits = _header_hits(decoded, colmap, keys, width, len(data_rows))
    # _too_long per row only when a column of a field with a length limit holds a text over it (a
    # cleaned cell — invisible characters stripped — is checked anyway): a roll's names fit
    long_cells = any(max((len(v) for v in decoded[c] if isinstance(v, str)), default=0) > L.FIELD_MAX_CHARS[f]
                     for c, f in fields if f in L.FIELD_MAX_CHARS)
    for k, (index, raw) in enumerate(data_rows):
        if all(_blank(v) for v, _ in raw):
            continue
        number = _row_number(sheet, index)
        ref = f"{file}:{number}"
        values: dict[str, Any] = {}
        problems: list[str] = []
        bad: str | None = None
        cleaned = long_cells
        for col, f in fields:
            v = decoded[col][k]
            if isinstance(v, str) and not v.isprintable():
                cleaned = True
                v, note, refused = _clean_cell(v, label(col), f)
                if note:
                    problems.append(note)
                if refused and bad is None:
                    bad = refused
            if isinstance(v, str) and not v:
                v = None
            if f == H.SEX and marks.get(col):
                if has_plain_sex:
                    continue
                if is_mark(v):
                    values[H.SEX] = "Nam" if marks[col] == "M" else "Nữ"
                    if not has_birth and parse_date(v)[0] is not None:
                        values[H.BIRTH_DATE] = v  # the birth date written in the column of the member's sex
                else:
                    values.setdefault(H.SEX, None)
                continue
            values[f] = v
        if marks and not has_birth:
            values.setdefault(H.BIRTH_DATE, None)
        if all(_blank(v) for v in values.values()):
            continue  # only row numbers or notes: a template's empty line
        if k < 3 and _is_column_numbering([v for v, _ in raw]):
            result.rejected.append(Rejected(ref, number, "dòng đánh số cột (1), (2), … không phải đảng viên"))
            continue
        if header_hits[k] >= 2:
            result.rejected.append(Rejected(ref, number, "dòng tiêu đề lặp lại"))
            continue
        reason = bad or (_too_long(values, label, fields) if cleaned else None) or _reject_reason(values)
        if reason:
            result.rejected.append(Rejected(ref, number, reason))
            continue
        if not values.get(H.FULL_NAME) and (values.get(H.SURNAME_MIDDLE) or values.get(H.GIVEN_NAME)):
            values[H.FULL_NAME] = nfc(f"{values.get(H.SURNAME_MIDDLE) or ''} {values.get(H.GIVEN_NAME) or ''}")
        result.rows.append(Row(ref, number, values, problems))
    if not result.rows_read:
        raise _err(file, "không có dòng dữ liệu nào dưới dòng tiêu đề", sheet=sheet.name, row=header_row)
    return result


#: Invisible formatting characters spreadsheets carry harmlessly (a byte-order mark, zero-width
#: space / joiners, word joiner, soft hyphen …): stripped from imported cells, with a note.
_INVISIBLE = frozenset("\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff")
_STRIP_INVISIBLE = {ord(c): None for c in _INVISIBLE}


def _clean_cell(value: str, column: str, field: str) -> tuple[str, str | None, str | None]:
    """(value without invisible formatting characters, a note when some were stripped, the reason to
    refuse the row when a character :func:`dangbo.core.textcheck.bad_char` refuses remains — a
    control character, a bidirectional mark / override / isolate, a non-character).  Tab and line
    breaks never get here: decoding turned every whitespace run into one space."""
    note = None
    invisible = [c for c in value if c in _INVISIBLE]
    if invisible:
        value = _nfc(value.translate(_STRIP_INVISIBLE))
        shown = ", ".join(dict.fromkeys(textcheck.describe(c) for c in invisible))
        note = CellNote(f"cột «{column}»: đã bỏ ký tự vô hình {shown}", kind=CellNote.STRIPPED, field=field,
                        column=column, value=value, kept=value)
    ch = textcheck.bad_char(value)
    if ch is None:
        return value, note, None
    what = "họ tên" if field in H.NAME_FIELDS else "ô"
    return value, note, (f"cột «{column}»: {what} chứa ký tự không được phép ({textcheck.describe(ch)}) — "
                         "hãy gõ lại ô này trong tệp")


def _too_long(values: dict[str, Any], label: Callable[[int], str], fields: list[tuple[int, str]]) -> str | None:
    """The reason to refuse a row whose text is longer than the registry stores
    (:data:`limits.FIELD_MAX_CHARS`, the Member model's limits) — never cut short."""
    for col, f in fields:
        limit = L.FIELD_MAX_CHARS.get(f)
        v = values.get(f)
        if limit and isinstance(v, str) and len(v) > limit:
            return f"cột «{label(col)}»: dài {len(v)} ký tự, tối đa {limit} — hãy sửa ô này trong tệp"
    return None


def _cell(cells: list[Cell], i: int) -> Any:
    return cells[i][0] if i < len(cells) else None


__all__ = ["CellNote", "FileRead", "Rejected", "RegistryInputError", "Row", "column_index", "column_letter", "read_file"]
