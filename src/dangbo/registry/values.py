"""Parse the raw cell values of a member roll: dates, ID numbers, card numbers, sex, names.

Pure Python (no Django).  Every ``parse_*`` function returns the parsed value
and a *problem*: ``None`` when the value was clean, otherwise a short Vietnamese
text for the report.  A problem with a value (``("025075000123", "đã thêm …")``)
is a note — the value was repaired and is usable; a problem without one
(``(None, "không hiểu …")``) means the cell could not be used.  Empty cells give
``None`` and no problem.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import NamedTuple

from dangbo.text.vietnamese import fold, nfc, split_name, title_name, unify_tones

#: Years a member's dates can plausibly fall in.
MIN_YEAR, MAX_YEAR = 1900, 2100
#: Two-digit years up to this value are read as 20yy, the others as 19yy.
TWO_DIGIT_PIVOT = 30

_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 once Excel's fictitious 1900-02-29 is skipped
_MIN_SERIAL = 1  # 1900-01-01 (MIN_YEAR): `excel_serial_to_date` counts the serials before 1 March 1900 from 31/12/1899
_MAX_SERIAL = (dt.date(MAX_YEAR, 12, 31) - _EXCEL_EPOCH).days

Parsed = tuple[str | None, str | None]


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _show(value: object) -> str:
    return nfc(str(value)) if isinstance(value, str) else repr(value) if isinstance(value, float) else str(value)


def shown(value: object) -> str:
    """A cell value as a person reads it in a report: dates dd/mm/yyyy, whole numbers without ".0"."""
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return _show(value)


def shown_date(iso: str | None) -> str:
    """An ISO date of a record ("1985-02-12", or "1985" known to the year) as dd/mm/yyyy (or the year)."""
    if not iso:
        return ""
    return iso if len(iso) == 4 else f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"


# ---------------------------------------------------------------- dates


def excel_serial_to_date(serial: float) -> dt.date:
    """The date of an Excel serial number (1900 date system)."""
    days = int(serial)
    if days < 61:  # before Excel's non-existent 29 February 1900
        return dt.date(1899, 12, 31) + dt.timedelta(days=days)
    return _EXCEL_EPOCH + dt.timedelta(days=days)


def _day(y: int, m: int, d: int, raw: object, note: str | None = None) -> tuple[str | None, str | None, str | None]:
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None, None, f"năm {y} ngoài khoảng hợp lý ({MIN_YEAR}–{MAX_YEAR}): \"{_show(raw)}\""
    try:
        day = dt.date(y, m, d)
    except ValueError:
        return None, None, f"ngày không có thật: \"{_show(raw)}\""
    return day.isoformat(), "day", note


def _year(y: int, raw: object, note: str | None = None) -> tuple[str | None, str | None, str | None]:
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None, None, f"năm {y} ngoài khoảng hợp lý ({MIN_YEAR}–{MAX_YEAR}): \"{_show(raw)}\""
    return f"{y:04d}", "year", note


def _full_year(y: int, digits: int) -> int:
    if digits == 2:
        return 2000 + y if y <= TWO_DIGIT_PIVOT else 1900 + y
    return y


def _from_number(value: float, raw: object) -> tuple[str | None, str | None, str | None]:
    if value != value or value in (float("inf"), float("-inf")):
        return None, None, f"không hiểu ngày \"{_show(raw)}\""
    if float(value).is_integer():
        n = int(value)
        if MIN_YEAR <= n <= MAX_YEAR:
            return _year(n, raw)
        if 10_000_000 <= n <= 99_999_999:  # 19750305 or 05031975 typed as a number
            return _from_digits(f"{n:08d}", raw)
        if 1_000_000 <= n <= 9_999_999:  # 5031975: d/mm/yyyy that lost its leading zero
            return _from_digits(f"{n:08d}", raw)
    if _MIN_SERIAL <= value <= _MAX_SERIAL:
        return excel_serial_to_date(value).isoformat(), "day", None
    return None, None, f"số {_show(raw)} không phải ngày (số ngày Excel hay năm)"


def _from_digits(s: str, raw: object) -> tuple[str | None, str | None, str | None]:
    """Eight digits: yyyymmdd when that is a valid date, else ddmmyyyy."""
    y, m, d = int(s[:4]), int(s[4:6]), int(s[6:])
    if MIN_YEAR <= y <= MAX_YEAR and 1 <= m <= 12 and 1 <= d <= 31:
        return _day(y, m, d, raw)
    return _dmy(int(s[:2]), int(s[2:4]), int(s[4:]), raw)


def _dmy(d: int, m: int, y: int, raw: object) -> tuple[str | None, str | None, str | None]:
    """Day first (the Vietnamese order); month first only when the day-first reading is impossible."""
    if m > 12 and 1 <= d <= 12 and m <= 31:
        return _day(y, d, m, raw, f"đọc \"{_show(raw)}\" theo thứ tự tháng/ngày/năm")
    return _day(y, m, d, raw)


_SEP = r"\s*[/\-.]\s*"
_DMY = re.compile(rf"^(\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}(\d{{4}}|\d{{2}})$")
_YMD = re.compile(rf"^(\d{{4}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}})(?:[ t]\d{{1,2}}:\d{{2}}(?::\d{{2}}(?:\.\d+)?)?)?$")
_MY = re.compile(rf"^(\d{{1,2}}){_SEP}(\d{{4}})$")
_WORDS = re.compile(r"^(?:ngay\s*)?(\d{1,2})\s*thang\s*(\d{1,2})\s*(?:nam\s*)?(\d{4})$")
_YEAR_WORD = re.compile(r"^(?:nam\s*)?(\d{4})$")
_SERIAL_TEXT = re.compile(r"^\d{5}(?:\.\d+)?$")


def parse_date(value: object) -> tuple[str | None, str | None, str | None]:
    """Parse a date cell: ``(iso, precision, problem)``; precision ``"day"`` or ``"year"``.

    Accepts date and datetime cells, Excel serial numbers (1900 system, years
    1900–2100), a year alone as number or text (``1975`` → ``("1975", "year", None)``),
    text ``d/m/yyyy``, ``dd/mm/yyyy``, ``d-m-yyyy``, ``d.m.yyyy``, ``yyyy-mm-dd``,
    "ngày 5 tháng 3 năm 1975", ``yyyymmdd``.  Text is read day first; when the
    month would exceed 12 and the day would not, it is read month first with a note.
    A month and year alone keep the year, with a note.
    """
    if _is_blank(value):
        return None, None, None
    if isinstance(value, bool):
        return None, None, f"không hiểu ngày \"{value}\""
    if isinstance(value, dt.datetime):
        return _day(value.year, value.month, value.day, value)
    if isinstance(value, dt.date):
        return _day(value.year, value.month, value.day, value)
    if isinstance(value, int | float | Decimal):
        return _from_number(float(value), value)
    text = nfc(str(value)).rstrip(".").strip()
    key = fold(text)
    if m := _DMY.match(key):
        d, mo, y = m.groups()
        return _dmy(int(d), int(mo), _full_year(int(y), len(y)), value)
    if m := _YMD.match(key):
        y, mo, d = m.groups()
        return _day(int(y), int(mo), int(d), value)
    if m := _WORDS.match(key):
        d, mo, y = m.groups()
        return _day(int(y), int(mo), int(d), value)
    if m := _YEAR_WORD.match(key):
        return _year(int(m.group(1)), value)
    if m := _MY.match(key):
        return _year(int(m.group(2)), value, f"chỉ có tháng và năm \"{text}\": giữ năm")
    if re.fullmatch(r"\d{8}", key):
        return _from_digits(key, value)
    if _SERIAL_TEXT.match(key):
        return _from_number(float(key), value)
    return None, None, f"không hiểu ngày \"{text}\""


# ---------------------------------------------------------------- identity numbers


NATIONAL_ID_DIGITS = 12
CMND_DIGITS = 9  # the old chứng minh nhân dân
_ID_JUNK = re.compile(r"[\s.\-_'’`]")


def parse_national_id(value: object) -> Parsed:
    """Parse a personal ID number (CCCD / số định danh cá nhân, 12 digits): ``(digits, problem)``.

    Numbers stored as numbers lose their leading zeros: 10 or 11 digits are
    left-padded with zeros to 12, with a note.  Nine digits are the old CMND, a
    different identifier (issue 15): no CCCD, a note, and :func:`parse_cmnd` reads it.  Floats such as ``2.5075000123e10`` are
    read exactly; text in scientific notation ("2.5075E+10") has lost digits and is
    refused.  Spaces, dots and dashes between digits are dropped.
    """
    if _is_blank(value):
        return None, None
    if isinstance(value, bool):
        return None, f"số CCCD không hợp lệ: \"{value}\""
    if isinstance(value, float):
        if not value.is_integer() or value < 0:
            return None, f"số CCCD không hợp lệ: {_show(value)}"
        digits = str(int(value))
    elif isinstance(value, int):
        if value < 0:
            return None, f"số CCCD không hợp lệ: {value}"
        digits = str(value)
    elif isinstance(value, Decimal):
        if value != value.to_integral_value() or value < 0:
            return None, f"số CCCD không hợp lệ: {value}"
        digits = str(int(value))
    else:
        text = nfc(str(value))
        if re.fullmatch(r"\d+(?:[.,]\d+)?[eE]\+?\d+", text):
            return None, f"số CCCD \"{text}\" bị Excel hiển thị dạng số mũ, đã mất chữ số"
        digits = _ID_JUNK.sub("", text)
        if re.fullmatch(r"\d+\.0+", text):
            digits = text.split(".")[0]
        if not digits.isdigit() or not digits.isascii():
            return None, f"số CCCD có ký tự không phải chữ số: \"{text}\""
    n = len(digits)
    if n == NATIONAL_ID_DIGITS:
        return digits, None
    if n == CMND_DIGITS:
        return None, f"số {digits} có 9 chữ số: là số CMND cũ, không phải số CCCD — chỉ so với số CMND"
    if CMND_DIGITS < n < NATIONAL_ID_DIGITS:
        padded = digits.zfill(NATIONAL_ID_DIGITS)
        note = f"số CCCD {digits} có {n} chữ số (mất số 0 ở đầu): đã thêm {NATIONAL_ID_DIGITS - n} số 0"
        return padded, note
    return None, f"số CCCD \"{digits}\" có {n} chữ số, cần {NATIONAL_ID_DIGITS}"


def parse_cmnd(value: object) -> str | None:
    """The old 9-digit CMND (chứng minh nhân dân) in an ID cell, or None: the cell read as by
    :func:`parse_national_id` holds exactly nine digits (issue 15: a different identifier, compared
    only with another row's CMND, never padded into a CCCD)."""
    if _is_blank(value) or isinstance(value, bool):
        return None
    if isinstance(value, float | Decimal):
        try:
            if value != int(value) or value < 0:
                return None
        except (OverflowError, ValueError):  # infinity or NaN (a numeric cell of 1E+400): no CMND
            return None
        digits = str(int(value))
    elif isinstance(value, int):
        digits = str(value)
    else:
        text = nfc(str(value))
        digits = text.split(".")[0] if re.fullmatch(r"\d+\.0+", text) else _ID_JUNK.sub("", text)
    return digits if len(digits) == CMND_DIGITS and digits.isdigit() and digits.isascii() else None


def parse_id_extra_digit(value: object) -> str | None:
    """The 13 digits of an ID cell holding one digit more than a CCCD (a digit typed twice or added,
    read after dropping spaces, dots and dashes as :func:`parse_national_id` does), or None (issue 15).
    Such a cell stays unread (no CCCD); the matcher compares these digits only with another row's
    CCCD, as review evidence when one digit removed gives it — never a refusal, never a merge."""
    if _is_blank(value) or isinstance(value, bool | float | Decimal):
        return None
    digits = str(value) if isinstance(value, int) else _ID_JUNK.sub("", nfc(str(value)))
    return digits if len(digits) == NATIONAL_ID_DIGITS + 1 and digits.isdigit() and digits.isascii() else None


_CARD_JUNK = re.compile(r"[\s.\-–—_]")


def parse_card_no(value: object) -> Parsed:
    """Parse a party card number: an opaque string with dots, spaces and dashes dropped, upper case.

    Integral floats lose their ``.0``.  Text without a digit ("chưa có", "-") is no card.
    """
    if _is_blank(value) or isinstance(value, bool):
        return None, None
    if isinstance(value, float) and value.is_integer():
        return str(int(value)), None
    if isinstance(value, int | float | Decimal):
        return str(value), None
    text = nfc(str(value))
    card = _CARD_JUNK.sub("", text).upper()
    if not any(c.isdigit() for c in card):
        return None, None if not card else f"không có số thẻ: \"{text}\""
    return card, None


# ---------------------------------------------------------------- sex

MALE, FEMALE = "M", "F"
_MALE_WORDS = {"nam", "m", "male", "trai", "ong"}
_FEMALE_WORDS = {"nu", "f", "female", "gai", "ba"}
_MARKS = {"x", "v", "1", "co", "*", "+", "✓", "✔", "☑", "ü", "þ"}


def parse_sex(value: object, column: str | None = None) -> Parsed:
    """Parse sex: ``("M" | "F" | None, problem)``.

    Text cells: Nam / Nữ / nam / nu / NỮ / M / F …  With ``column`` the header of a
    "Nam" or "Nữ" column of the two-column layout, any mark in the cell ("x", "X",
    "✓", "1", or a date — some rolls write the birth date in the column of the
    member's sex) means that sex.
    """
    if column is not None:
        which = {"nam": MALE, "nu": FEMALE}.get(" ".join(fold(column).split()))
        if which is not None:
            if _is_blank(value):
                return None, None
            if isinstance(value, str) and fold(value) in ("0", "khong", "-"):
                return None, None
            return which, None
    if _is_blank(value):
        return None, None
    key = " ".join(re.sub(r"[^\w]+", " ", fold(str(value))).split())
    if key in _MALE_WORDS:
        return MALE, None
    if key in _FEMALE_WORDS:
        return FEMALE, None
    return None, f"không hiểu giới tính \"{_show(value)}\""


def is_mark(value: object) -> bool:
    """Whether a cell of a "Nam"/"Nữ" column holds a mark (anything but blank, 0 or "không")."""
    if _is_blank(value):
        return False
    return not (isinstance(value, str) and fold(value) in ("0", "khong", "-"))


# ---------------------------------------------------------------- names


def name_text(value: object) -> str:
    """A name cell as text before its tones and case are set: NFC, surrounding quotes and stray
    punctuation at the ends dropped (`normalize_name`, `records.normalize_name_by_word`)."""
    if value is None:
        return ""
    return nfc(str(value)).strip(" .,;:\"'“”‘’*")


def normalize_name(value: object) -> str:
    """A person's name in NFC title case with classic tone placement: ``"LÊ THỊ HOÀ"`` → ``"Lê Thị Hòa"``.

    Idempotent.  Surrounding quotes and stray punctuation at the ends are dropped.
    """
    return title_name(unify_tones(name_text(value)))


class NameParts(NamedTuple):
    full_name: str
    surname: str
    middle: str
    given: str


def split_given(surname_middle: object, given: object) -> NameParts:
    """Build a name from the two-column layout "Họ và đệm" | "Tên".

    Returns ``(full_name, surname, middle, given)``, normalised.  The surname is
    the first word of ``surname_middle``, the middle name the rest; ``given`` is
    kept whole (it may be two words).  When ``given`` is empty the whole name is
    assumed to sit in the first column and is split there.
    """
    sm, g = normalize_name(surname_middle), normalize_name(given)
    if not g:
        surname, middle, g = split_name(sm)
        return NameParts(sm, surname, middle, g)
    words = sm.split(" ") if sm else []
    surname = words[0] if words else ""
    middle = " ".join(words[1:])
    full = " ".join(p for p in (sm, g) if p)
    return NameParts(full, surname, middle, g)


def join_name(surname_middle: object, given: object) -> str:
    """The full name from the two-column layout: ``split_given(...).full_name``."""
    return split_given(surname_middle, given).full_name


__all__ = [
    "NameParts",
    "excel_serial_to_date",
    "is_mark",
    "join_name",
    "normalize_name",
    "parse_card_no",
    "parse_date",
    "parse_cmnd",
    "parse_id_extra_digit",
    "parse_national_id",
    "parse_sex",
    "split_given",
]
