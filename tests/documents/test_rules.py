"""Pure rules of the documents register (DOC-1, DOC-2)."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangbo.documents import rules


def test_term_from_the_five_year_cycle_without_a_congress():
    """DOC-1: numbering restarts each term; without a congress the cycle from 2025 (med setting)."""
    assert rules.term_of(date(2025, 1, 1)) == "2025–2030"
    assert rules.term_of(date(2029, 12, 31)) == "2025–2030"
    assert rules.term_of(date(2030, 1, 1)) == "2030–2035"
    assert rules.term_of(date(2024, 6, 1)) == "2020–2025"


def test_term_of_the_latest_congress_opened_on_or_before_the_day():
    congresses = [(date(2020, 8, 1), "2020–2025"), (date(2025, 7, 20), "2025–2030")]
    assert rules.term_of(date(2025, 7, 19), congresses) == "2020–2025"
    assert rules.term_of(date(2025, 7, 20), congresses) == "2025–2030"
    assert rules.term_of(date(2019, 1, 1), congresses) == "2015–2020"  # before any: the cycle


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_every_day_falls_in_one_five_year_term_that_contains_it(day):
    term = rules.term_of(day)
    start, end = (int(x) for x in term.split("–"))
    assert end - start == 5 and start <= day.year < end


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=60))
def test_issuing_one_after_another_gives_one_to_n(n):
    """DOC-1: the series runs 1, 2, 3 … with no gap and no repeat."""
    issued = []
    for _ in range(n):
        issued.append(rules.next_number(issued))
    assert issued == list(range(1, n + 1))


@pytest.mark.parametrize("q, expected", [
    ("10-QĐ/TU", ("symbol", (10, "QĐ", "TU"))),
    ("10-qđ/tu", ("symbol", (10, "QĐ", "TU"))),
    ("10-qd/tu", ("symbol", (10, "QĐ", "TU"))),  # typed without the Đ
    ("Số 05 - KH/ĐU", ("symbol", (5, "KH", "ĐU"))),
    ("quyết định thành lập", ("words", ["quyet", "dinh", "thanh", "lap"])),
    ("QUYET DINH", ("words", ["quyet", "dinh"])),
    ("10-qd", ("words", ["10-qd"])),
    ("", ("words", [])),
])
def test_query_reads_a_number_symbol_or_words(q, expected):
    assert rules.query_of(q) == expected


def test_search_key_folds_diacritics():
    assert rules.search_key("10-QĐ/TU", "Quyết định thành lập Đảng bộ") == "10-qd/tu quyet dinh thanh lap dang bo"


@pytest.mark.parametrize("name, size, problem", [
    ("quyet-dinh.pdf", 1000, None),
    ("Bao cao.DOCX", 5, None),
    ("virus.exe", 1000, "không thuộc loại"),
    ("trang.html", 1000, "không thuộc loại"),
    ("rong.pdf", 0, "rỗng"),
    ("lon.pdf", 20 * 1024 * 1024 + 1, "lớn hơn 20 MB"),
])
def test_attachments_bounded_by_kind_and_size(name, size, problem):
    got = rules.file_problem(name, size)
    assert (got is None) if problem is None else (problem in got)


def test_congress_papers_written_as_printed():
    assert rules.congress_symbol(2, "credentials_report") == ("BC", "02-BC/ĐH")
    assert rules.congress_symbol(12, "counting_minutes") == ("BB", "12-BB/ĐH")
    assert rules.congress_symbol(3, "ballot_paper") == ("", "Số 03")


def test_default_issuer_by_kind():
    assert rules.default_issuer("committee") == "ĐU"
    assert rules.default_issuer("cell") == "CB"
    custom = rules.DocumentRuleSettings.from_mapping({"issuer_by_kind": {"committee": "ĐUK"}})
    assert rules.default_issuer("committee", settings=custom) == "ĐUK"
