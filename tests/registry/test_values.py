import datetime as dt
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangbo.registry.values import (
    excel_serial_to_date,
    is_mark,
    join_name,
    normalize_name,
    parse_card_no,
    parse_date,
    parse_national_id,
    parse_sex,
    split_given,
)

# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(1975, 5, 5, 0, 0), ("1975-05-05", "day")),
        (dt.date(2001, 3, 2), ("2001-03-02", "day")),
        (27519, ("1975-05-05", "day")),  # Excel serial
        (27519.0, ("1975-05-05", "day")),
        (27519.75, ("1975-05-05", "day")),  # serial with a time of day
        ("27519", ("1975-05-05", "day")),
        (1975, ("1975", "year")),
        (1975.0, ("1975", "year")),
        ("1975", ("1975", "year")),
        ("Năm 1975", ("1975", "year")),
        ("5/5/1975", ("1975-05-05", "day")),
        ("05/05/1975", ("1975-05-05", "day")),
        ("2/3/2001", ("2001-03-02", "day")),  # day first
        ("2-3-2001", ("2001-03-02", "day")),
        ("02.03.2001", ("2001-03-02", "day")),
        (" 02 / 03 / 2001 ", ("2001-03-02", "day")),
        ("2001-03-02", ("2001-03-02", "day")),
        ("2001/3/2", ("2001-03-02", "day")),
        ("2001-03-02 00:00:00", ("2001-03-02", "day")),
        ("ngày 2 tháng 3 năm 2001", ("2001-03-02", "day")),
        ("19750505", ("1975-05-05", "day")),
        ("05051975", ("1975-05-05", "day")),
        (19750505, ("1975-05-05", "day")),
        ("5/5/75", ("1975-05-05", "day")),
        ("1/9/25", ("2025-09-01", "day")),
    ],
)
def test_parse_date_accepts(value, expected):
    iso, precision, problem = parse_date(value)
    assert (iso, precision) == expected
    assert problem is None


def test_parse_date_month_first_when_day_first_is_impossible():
    iso, precision, problem = parse_date("12/31/1999")
    assert (iso, precision) == ("1999-12-31", "day")
    assert "tháng/ngày" in problem


def test_parse_date_month_and_year_keeps_the_year_with_a_note():
    iso, precision, problem = parse_date("3/1975")
    assert (iso, precision) == ("1975", "year")
    assert problem


@pytest.mark.parametrize("value", [None, "", "   "])
def test_parse_date_empty(value):
    assert parse_date(value) == (None, None, None)


@pytest.mark.parametrize(
    "value", ["abc", "31/02/1990", "32/13/1990", "1850", "3000", "00/00/0000", True, -5, 10**12, "x", "1/2",
              float("nan")]
)
def test_parse_date_refuses_garbage_with_a_vietnamese_problem(value):
    iso, precision, problem = parse_date(value)
    assert iso is None and precision is None
    assert isinstance(problem, str) and problem


def test_excel_serials_match_excel():
    assert excel_serial_to_date(1) == dt.date(1900, 1, 1)
    assert excel_serial_to_date(59) == dt.date(1900, 2, 28)
    assert excel_serial_to_date(61) == dt.date(1900, 3, 1)
    assert excel_serial_to_date(45839) == dt.date(2025, 7, 1)


dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
TEXT_FORMATS = [
    lambda d: f"{d.day}/{d.month}/{d.year}",
    lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
    lambda d: f"{d.day}-{d.month}-{d.year}",
    lambda d: f"{d.day:02d}-{d.month:02d}-{d.year}",
    lambda d: f"{d.day}.{d.month}.{d.year}",
    lambda d: d.isoformat(),
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"ngày {d.day} tháng {d.month} năm {d.year}",
]


@given(dates, st.sampled_from(TEXT_FORMATS))
def test_date_round_trip_text(d, fmt):
    assert parse_date(fmt(d)) == (d.isoformat(), "day", None)


@given(dates)
def test_date_round_trip_cells_and_serials(d):
    assert parse_date(d) == (d.isoformat(), "day", None)
    assert parse_date(dt.datetime(d.year, d.month, d.day, 13, 5)) == (d.isoformat(), "day", None)
    # Excel's serials count a fictitious 29 February 1900
    serial = (d - dt.date(1899, 12, 31 if d < dt.date(1900, 3, 1) else 30)).days
    if not 1900 <= serial <= 2100:  # these integers are read as years
        assert parse_date(serial) == (d.isoformat(), "day", None)


@given(st.integers(1900, 2100))
def test_year_alone(y):
    assert parse_date(y) == (str(y), "year", None)
    assert parse_date(str(y)) == (str(y), "year", None)


@given(st.text(max_size=20))
def test_parse_date_never_raises(s):
    iso, precision, problem = parse_date(s)
    assert (iso is None) == (precision is None)
    assert iso is not None or problem is not None or not s.strip()


# ---------------------------------------------------------------- national id


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("025075000123", "025075000123"),
        (25075000123, "025075000123"),
        (25075000123.0, "025075000123"),
        (2.5075000123e10, "025075000123"),
        ("25075000123", "025075000123"),
        ("25075000123.0", "025075000123"),
        (1080000456, "001080000456"),
        ("025 075 000 123", "025075000123"),
        ("025.075.000.123", "025075000123"),
        ("'025075000123", "025075000123"),
        (Decimal("25075000123"), "025075000123"),
    ],
)
def test_parse_national_id(value, expected):
    assert parse_national_id(value)[0] == expected


def test_clean_ids_have_no_problem_padded_ones_a_note():
    assert parse_national_id("025075000123") == ("025075000123", None)
    digits, note = parse_national_id(25075000123)
    assert digits == "025075000123" and "số 0" in note
    digits, note = parse_national_id(123456789)  # issue 15: the old CMND, not a short CCCD
    assert digits is None and "CMND" in note


@pytest.mark.parametrize(
    "value", ["12345", "1234567890123", "0250750001AB", "2.5075E+10", 12.5, -25075000123, True, "không có"]
)
def test_parse_national_id_refuses(value):
    digits, problem = parse_national_id(value)
    assert digits is None and problem


@pytest.mark.parametrize("value", [None, "", "  "])
def test_parse_national_id_missing(value):
    assert parse_national_id(value) == (None, None)


# a CCCD begins with its province code, 001–096: at most two leading zeros (nine digits are a CMND)
ids_with_leading_zeros = st.integers(1, 2).flatmap(
    lambda k: st.integers(10 ** (11 - k), 10 ** (12 - k) - 1).map(lambda n: f"{n:012d}")
)


@given(ids_with_leading_zeros)
def test_national_id_padding_property(full):
    """A 12-digit ID that lost its leading zeros (stored as a number, int or float) comes back whole."""
    assert full.startswith("0") and len(full) == 12
    for value in (int(full), float(int(full)), str(int(full)), f"{int(full)}.0", full):
        digits, _ = parse_national_id(value)
        assert digits == full


@given(st.integers(min_value=10**9, max_value=10**12 - 1))
def test_national_id_padding_restores_twelve_digits(n):
    digits, note = parse_national_id(n)
    assert digits == f"{n:012d}"
    assert len(digits) == 12
    assert (note is None) == (n >= 10**11)


# ---------------------------------------------------------------- card numbers


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12.345.678", "12345678"),
        ("12 345 678", "12345678"),
        ("12-345-678", "12345678"),
        ("36.012345", "36012345"),
        ("ab-123", "AB123"),
        (12345678, "12345678"),
        (12345678.0, "12345678"),
        (None, None),
        ("", None),
        ("-", None),
        ("chưa có", None),
    ],
)
def test_parse_card_no(value, expected):
    assert parse_card_no(value)[0] == expected


# ---------------------------------------------------------------- sex


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Nam", "M"), ("nam", "M"), ("NAM", "M"), ("Nữ", "F"), ("nữ", "F"), ("NỮ", "F"), ("nu", "F"), ("Nu", "F"),
     ("M", "M"), ("F", "F"), (" nữ ", "F"), ("Nữ.", "F")],
)
def test_parse_sex(value, expected):
    assert parse_sex(value) == (expected, None)


@pytest.mark.parametrize(("value", "column", "expected"), [
    ("x", "Nam", "M"), ("X", "Nữ", "F"), ("✓", "Nữ", "F"), (1, "Nam", "M"),
    (dt.datetime(1975, 5, 5), "Nữ", "F"), ("05/05/1975", "NAM", "M"), (None, "Nam", None), ("", "Nữ", None),
    ("0", "Nam", None),
])
def test_parse_sex_mark_columns(value, column, expected):
    assert parse_sex(value, column) == (expected, None)


def test_parse_sex_garbage():
    sex, problem = parse_sex("không rõ")
    assert sex is None and problem
    assert parse_sex(None) == (None, None)


def test_is_mark():
    assert is_mark("x") and is_mark(1) and not is_mark("") and not is_mark(None) and not is_mark("0")


# ---------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("NGUYỄN VĂN HÙNG", "Nguyễn Văn Hùng"),
        ("nguyễn  văn   hùng", "Nguyễn Văn Hùng"),
        ("LÊ THỊ HOÀ", "Lê Thị Hòa"),
        ("Đặng Thị Thuỷ", "Đặng Thị Thủy"),
        ("hoàng thị khoẻ", "Hoàng Thị Khỏe"),
        (unicodedata.normalize("NFD", "Trần Thị Lan"), "Trần Thị Lan"),
        ("  Trần Thị Lan. ", "Trần Thị Lan"),
        ("NGUYEN VAN HUNG", "Nguyen Van Hung"),
        (None, ""),
    ],
)
def test_normalize_name(value, expected):
    out = normalize_name(value)
    assert out == expected
    assert unicodedata.is_normalized("NFC", out)


LOWER_VOWELS = [unicodedata.normalize("NFC", v + t) for v in "aăâeêioôơuưy"
                for t in ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")]
LETTERS = "".join(LOWER_VOWELS) + "bcdđghklmnpqrstvx"
names = st.lists(
    st.text(alphabet=LETTERS + LETTERS.upper(), min_size=1, max_size=7), min_size=1, max_size=5
).map(lambda ws: " ".join(ws))


@given(names)
def test_normalize_name_idempotent(s):
    once = normalize_name(s)
    assert normalize_name(once) == once
    assert normalize_name(s.upper()) == normalize_name(s.lower()) == once


def test_split_given():
    assert split_given("Nguyễn Văn", "Hùng") == ("Nguyễn Văn Hùng", "Nguyễn", "Văn", "Hùng")
    parts = split_given("LÊ THỊ", "MINH KHAI")
    assert parts.full_name == "Lê Thị Minh Khai" and parts.middle == "Thị" and parts.given == "Minh Khai"
    assert split_given("Trần Thị Lan", "") == ("Trần Thị Lan", "Trần", "Thị", "Lan")
    assert split_given("", "Lan") == ("Lan", "", "", "Lan")
    assert join_name("nguyễn văn", "hùng") == "Nguyễn Văn Hùng"
