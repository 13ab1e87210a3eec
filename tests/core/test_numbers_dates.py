"""Vietnamese numbers (2.755; 81,0; 81,0 %) and dates/times in Asia/Ho_Chi_Minh: the helpers and the
`vn` template filters, with worked cases and Hypothesis properties."""

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from dangbo.core.dates import local_time, vn_date, vn_datetime, vn_time
from dangbo.core.numbers import NBSP, vn_figure, vn_number, vn_percent


def test_worked_cases():
    assert vn_number(2755) == "2.755"
    assert vn_number(1234567) == "1.234.567"
    assert vn_number(81.0) == "81,0"
    assert vn_number(80.95) == "81,0"  # half up, not to even
    assert vn_number(1234.5678, 2) == "1.234,57"
    assert vn_number(-1234) == "-1.234"
    assert vn_number(-0.04) == "0,0"  # no "-0,0"
    assert vn_number(0) == "0"
    assert vn_number("2755") == "2.755"
    assert vn_percent(81) == f"81,0{NBSP}%"
    assert vn_percent(20, 0) == f"20{NBSP}%"
    assert vn_number(None) == "" and vn_number("không rõ") == "không rõ"
    assert vn_number(True) == "Có" and vn_number(False) == "Không"  # never "True"


@given(st.integers(min_value=-10**15, max_value=10**15))
def test_integers_group_by_thousands_and_read_back(n):
    text = vn_number(n)
    assert int(text.replace(".", "")) == n
    groups = text.lstrip("-").split(".")
    assert 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


@given(st.decimals(min_value=-10**9, max_value=10**9, allow_nan=False, places=4), st.integers(0, 3))
def test_decimals_read_back_rounded_half_up(x, decimals):
    text = vn_number(x, decimals)
    assert text.count(",") == (1 if decimals else 0)
    whole, _, frac = text.partition(",")
    assert len(frac) == decimals
    back = Decimal(whole.replace(".", "") + ("." + frac if frac else ""))
    expected = x.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    assert back == expected or (back == 0 and expected == 0)


def test_dates_and_times_are_local():
    utc = datetime(2025, 7, 28, 17, 30, tzinfo=UTC)  # 00:30 on the 29th in Hà Nội
    assert local_time(utc).hour == 0 and local_time(utc).day == 29
    assert vn_date(utc) == "29/07/2025" and vn_time(utc) == "00:30" and vn_datetime(utc) == "29/07/2025 00:30"
    assert vn_date(date(2026, 3, 5)) == "05/03/2026"
    assert vn_date(None) == vn_time(None) == vn_datetime(None) == ""


def test_template_filters():
    t = Template("{% load vn %}{{ n|vn_number }} {{ x|vn_number:1 }} {{ p|vn_percent }} {{ d|vn_date }} "
                 "{{ t|vn_datetime }} {{ t|vn_time }} [{{ none|vn_date }}]")
    out = t.render(Context({"n": 2755, "x": 81, "p": 80.95, "d": date(2026, 3, 5),
                            "t": datetime(2025, 7, 28, 1, 5, tzinfo=UTC), "none": None}))
    assert out == f"2.755 81,0 81,0{NBSP}% 05/03/2026 28/07/2025 08:05 08:05 []"


def test_a_figure_shows_the_decimals_it_has():
    """The programme's figures are stored with two decimals: «1,0 đảng viên» read as a fraction."""
    assert vn_figure(Decimal("1.00")) == "1"
    assert vn_figure(Decimal("2.50")) == "2,5"
    assert vn_figure(Decimal("1234.25")) == "1.234,25"
    assert vn_figure(Decimal("66.7")) == "66,7"
    assert vn_figure(Decimal("0.005")) == "0,01"  # at most two decimals, half up
    assert vn_figure(None) == "" and vn_figure(Decimal("0.00")) == "0"


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_a_figure_reads_back_as_its_value(value):
    text = vn_figure(value)
    assert Decimal(text.replace(".", "").replace(",", ".")) == value
    assert not text.endswith(",0") and not ("," in text and text.endswith("0"))
