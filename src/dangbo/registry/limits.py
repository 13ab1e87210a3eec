"""What a member roll may hold — the readers refuse a file beyond these, before it costs memory.

A spreadsheet is a compressed container of XML: 15 KB can declare a cell in column XFD of every row
(a reader that pads rows to the widest one builds 16,384 cells per row), 1 MB can inflate to 1 GB of
whitespace or of one shared string, and an .xls or a CSV can be as large as the disk. The readers
(:mod:`dangbo.registry.readers`, :mod:`dangbo.registry.xlsx`) read row by row, keep only the cells
that hold something, and stop at the first limit crossed with a Vietnamese message naming the file,
the sheet (and the row or cell) and the limit. Both the command line and the web upload read through
them. The limits are far above any real roll (a province's roll is ~100,000 rows of ~20 columns)
and keep reading one file — whatever it holds — under ~300 MB of memory
(``tests/registry/test_bombs.py`` measures it). Pure constants.
"""

#: Worksheets listed in one workbook.
MAX_SHEETS = 1_000
#: Rows of one sheet (a row number beyond this, or a CSV with more records, is refused): Excel's own.
MAX_ROWS = 1_048_576
#: Columns: a non-empty cell right of column IV (256, the .xls width) is refused; empty ones are skipped.
MAX_COLUMNS = 256
#: Non-empty cells of one sheet (one CSV): e.g. 100,000 rows of 12 filled columns. Larger rolls are
#: split over several files (the merge reads any number of files).
MAX_CELLS = 1_200_000
#: Characters of one cell or shared string: Excel's own limit per cell.
MAX_CELL_CHARS = 32_767
#: The shared-string table of an .xlsx: entries, and characters over all entries.
MAX_SHARED_STRINGS = 1_200_000
MAX_SHARED_CHARS = 24_000_000
#: Styles of an .xlsx (cell formats, fonts, number formats), each.
MAX_STYLES = 100_000
#: Bytes one part of an .xlsx may inflate to (declared and actually read), and all parts read together.
MAX_PART_BYTES = 512 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
#: Entries (parts) one .xlsx may list: its central directory is read into memory.
MAX_ZIP_ENTRIES = 20_000
#: Cells xlrd sets aside for one .xls sheet — every row as wide as its last cell, blank cells too —
#: counted from the sheet's records before xlrd builds it.
MAX_XLS_AREA = 4 * MAX_CELLS
#: Size of an .xls file (xlrd reads the whole book into memory) and of a CSV file.
MAX_XLS_BYTES = 16 * 1024 * 1024
MAX_CSV_BYTES = 256 * 1024 * 1024
#: Characters of one CSV line (a record may span several lines inside quotes).
MAX_CSV_LINE_CHARS = 100_000


def human_bytes(n: int) -> str:
    """``16 MB`` — a size in the units a message shows (decimal comma where needed)."""
    if n >= 1024 * 1024 * 1024 and n % (1024 * 1024 * 1024) == 0:
        return f"{n // (1024 * 1024 * 1024)} GB"
    if n >= 1024 * 1024:
        mb = n / (1024 * 1024)
        return f"{mb:.0f} MB" if mb == int(mb) else f"{mb:.1f} MB".replace(".", ",")
    return f"{n // 1024} KB" if n >= 1024 else f"{n} byte"


def number(n: int) -> str:
    """``1.200.000`` — a count as Vietnamese writes it (dots between thousands)."""
    return f"{n:,}".replace(",", ".")


#: Text the registry stores, in characters (the Member model's ``max_length``; a test keeps them
#: equal): a longer cell refuses its row, with the reason — it is never cut short.
FIELD_MAX_CHARS = {"full_name": 120, "surname_middle": 101, "given_name": 40, "home_town": 255}
#: Parts of a name and a card number as stored (Member: surname 40, middle name 60, given name 40, card
#: 20), checked once the name is split and the card parsed (``records.make_record``).
NAME_PART_MAX_CHARS = {"surname": 40, "middle": 60, "given": 40}
CARD_MAX_CHARS = 20
