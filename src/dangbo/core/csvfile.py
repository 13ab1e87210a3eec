"""Reading the small CSV files the command-line contracts take (congress, election, appraisal).

UTF-8 with or without a BOM, `,` `;` or tab as delimiter, header matched trimmed and case-insensitively;
every error is Vietnamese and names the file, the line (as a spreadsheet shows it) and the column.
"""

import csv
import io
from pathlib import Path


class CsvError(ValueError):
    """Bad input in a CSV file; the message names the file, the line and the column."""


class CsvRow(dict):
    """A row's values by (lower-case) column name; `.line` is its line number in the file."""

    line: int
    path: str

    def where(self, column: str) -> str:
        return f"Tệp {self.path}, dòng {self.line}, cột «{column}»"

    def error(self, column: str, message: str) -> CsvError:
        return CsvError(f"{self.where(column)}: {message}")

    def text(self, column: str, *, required: bool = True) -> str:
        value = self.get(column) or ""
        if required and not value:
            raise self.error(column, "không được để trống.")
        return value

    def integer(self, column: str, *, minimum: int = 0, default: int | None = None) -> int:
        value = self.get(column) or ""
        if value == "" and default is not None:
            return default
        if value == "":
            raise self.error(column, "không được để trống.")
        try:
            n = int(value)
        except ValueError:
            raise self.error(column, f"«{value}» không phải là số nguyên.") from None
        if n < minimum:
            raise self.error(column, f"{n} phải lớn hơn hoặc bằng {minimum}.")
        return n

    def integers(self, column: str) -> list[int]:
        """Space-separated whole numbers (commas also accepted); empty → []."""
        out = []
        for token in (self.get(column) or "").replace(",", " ").split():
            try:
                out.append(int(token))
            except ValueError:
                raise self.error(column, f"«{token}» không phải là số nguyên.") from None
        return out

    def words(self, column: str) -> list[str]:
        return (self.get(column) or "").replace(",", " ").split()


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def read_csv(path: str | Path, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> list[CsvRow]:
    """Rows of a CSV file with a header row; column names are matched trimmed and case-insensitively.

    Accepts a UTF-8 BOM and `,`, `;` or tab as delimiter; skips blank lines; values are trimmed.
    Raises CsvError (Vietnamese, naming file/line/column) when the file is missing, unreadable, not
    UTF-8, empty or lacks a required column.
    """
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise CsvError(f"Không tìm thấy tệp {name}.") from None
    except OSError as e:
        raise CsvError(f"Không đọc được tệp {name}: {e.strerror or e}.") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        raise CsvError(f"Tệp {name}, dòng {line}: không phải văn bản UTF-8 (hãy lưu lại tệp dạng "
                       "CSV UTF-8).") from None
    first = next((ln for ln in text.splitlines() if ln.strip()), None)
    if first is None:
        raise CsvError(f"Tệp {name} trống (cần dòng tiêu đề: {', '.join(required)}).")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
    header: list[str] | None = None
    header_line = 1
    rows: list[CsvRow] = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if header is None:
                header = [v.strip().lstrip("\ufeff").lower() for v in values]
                header_line = reader.line_num
                missing = [c for c in required if c not in header]
                if missing:
                    raise CsvError(f"Tệp {name}, dòng {header_line}: thiếu cột "
                                   f"{', '.join('«' + c + '»' for c in missing)} (tiêu đề đọc được: "
                                   f"{', '.join(header)}).")
                continue
            row = CsvRow()
            row.line, row.path = reader.line_num, name
            for column in (*required, *optional):
                if column in header:
                    i = header.index(column)
                    row[column] = values[i].strip() if i < len(values) else ""
            rows.append(row)
    except csv.Error as e:
        raise CsvError(f"Tệp {name}, dòng {reader.line_num}: không đọc được CSV ({e}).") from None
    return rows
