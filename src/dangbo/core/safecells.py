"""Cells written to CSV and XLSX files are safe from formula injection (OWASP "CSV injection").

A spreadsheet program runs a cell that starts with `=`, `+`, `-` or `@` as a formula (and tab / CR
can hide such a start), so a member named `=HYPERLINK(...)` in an export would run in the office's
Excel. In CSV such text cells get a leading apostrophe (the usual defence: Excel and LibreOffice then
read the cell as text); in XLSX the cell is stored as a string with Excel's quote prefix. Numbers and dates are left alone (a negative number is a number, not text). Pure Python.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value):
    """The value to write: text starting with a formula character gets a leading `'`."""
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


def safe_row(values: Iterable) -> list:
    return [safe_cell(v) for v in values]


class SafeWriter:
    """A `csv.writer` whose every written cell goes through `safe_cell`."""

    def __init__(self, f, **kwargs):
        self._w = csv.writer(f, **kwargs)

    def writerow(self, row):
        return self._w.writerow(safe_row(row))

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


class SafeDictWriter(csv.DictWriter):
    """A `csv.DictWriter` whose every written cell goes through `safe_cell` (header included)."""

    def writerow(self, rowdict):
        return super().writerow({k: safe_cell(v) for k, v in rowdict.items()})

    def writeheader(self):
        return self.writer.writerow(safe_row(self.fieldnames))

    def writerows(self, rowdicts):  # DictWriter.writerows would bypass writerow (and the check)
        for row in rowdicts:
            self.writerow(row)


def xlsx_cell(cell, value):
    """Set an openpyxl cell so that text is never a formula: openpyxl would store `=…` as one.
    Text is stored as a string; a dangerous start also gets Excel's own "quote prefix" (the cell
    shows the text as typed, without an apostrophe, and stays text when edited)."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(DANGEROUS_START):
            cell.quotePrefix = True
    return cell
