"""Rules of the documents register (DOC-1, DOC-2): number series, terms, search keys, attachments.

Pure Python (no Django). Rule ids refer to /work/shared/DOMAIN.md. The number-symbol itself is parsed
and written by `dangbo.orgs.rules` (`parse_number_symbol`, `format_number_symbol`): this module uses
them and does not repeat them. What DOMAIN.md marks **med** or **low**, and what we chose ourselves,
is a field of `DocumentRuleSettings` (defaults in `DEFAULTS`, sources in `SETTING_INFO`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from dangbo.core import rulesettings
from dangbo.orgs import rules as org_rules
from dangbo.text.vietnamese import fold


class Direction(StrEnum):
    INCOMING = "incoming"  # văn bản đến
    OUTGOING = "outgoing"  # văn bản đi


DIRECTION_LABELS = {Direction.INCOMING: "Văn bản đến", Direction.OUTGOING: "Văn bản đi"}


@dataclass(frozen=True)
class DocumentRuleSettings:
    """Settings of the register (see `SETTING_INFO`)."""

    term_anchor_year: int = 2025
    term_years: int = 5
    max_file_bytes: int = 20 * 1024 * 1024
    file_extensions: tuple[str, ...] = ("pdf", "doc", "docx", "xls", "xlsx", "odt", "jpg", "jpeg", "png")
    issuer_by_kind: tuple[tuple[str, str], ...] = (
        ("committee", "ĐU"), ("grassroots_committee", "ĐU"), ("sub_committee", "ĐU"),
        ("grassroots_cell", "CB"), ("cell", "CB"),
    )

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> DocumentRuleSettings:
        return rulesettings.from_mapping(cls, values, {
            "file_extensions": tuple,
            "issuer_by_kind": lambda v: tuple(tuple(p) for p in (v.items() if isinstance(v, Mapping) else v)),
        })


DEFAULTS = DocumentRuleSettings()

SETTING_INFO: dict[str, tuple[str, str, str]] = {
    "term_anchor_year": ("DOC-1", "Điều lệ Đảng, Điều 10 (nhiệm kỳ 5 năm); nhiệm kỳ 2025–2030 (thực tiễn)", "med"),
    "term_years": ("DOC-1", "Điều lệ Đảng, Điều 10 (nhiệm kỳ 5 năm)", "med"),
    "max_file_bytes": ("DOC-1", "lựa chọn của nền tảng", "low"),
    "file_extensions": ("DOC-1", "lựa chọn của nền tảng", "low"),
    "issuer_by_kind": ("DOC-2", "Hướng dẫn 36-HD/VPTW (thực tiễn: ĐU, CB)", "low"),
}


def term_of(day: date, congress_terms: Iterable[tuple[date, str]] = (), *,
            settings: DocumentRuleSettings = DEFAULTS) -> str:
    """The committee term a document dated `day` belongs to (its number series restarts each term).

    DOC-1 (med, 36-HD/VPTW): numbering restarts per document type in each committee term. The term
    is the one of the holder's latest congress opened on or before `day` (`congress_terms`: pairs of
    (opening day, term label such as «2025–2030»)); without one, the five-year cycle counted from
    `settings.term_anchor_year` (med: 2020–2025, 2025–2030, …), labelled the same way.
    """
    started = [(d, label) for d, label in congress_terms if d <= day and label]
    if started:
        return max(started)[1]
    n = settings.term_years
    start = settings.term_anchor_year + ((day.year - settings.term_anchor_year) // n) * n
    return f"{start}–{start + n}"


def next_number(issued: Iterable[int]) -> int:
    """The next number of a series (DOC-1, 36-HD/VPTW §II.1.3): one more than the highest taken,
    from 1. Issued under a lock on the holder (see `documents.services.series_next`), so numbers run
    1, 2, 3 … with no gap and no repeat."""
    return max(issued, default=0) + 1


def arrival_year(received_on: date) -> int:
    """The arrival series an incoming document enters (issue 14; DOMAIN.md has no id for it yet —
    an arrival-series rule, the brief's «a series per receiving organisation and year»): the receiving organisation's series of
    the calendar year of its arrival day, numbered 1, 2, 3 … from the first document received in the
    year (36-HD/VPTW practice of the registers of incoming documents: «số đến» restarts each year);
    the next number is `next_number` of the year's series, issued under the same lock as the
    outgoing series."""
    return received_on.year


def default_issuer(org_kind: str, *, settings: DocumentRuleSettings = DEFAULTS) -> str:
    """The issuer abbreviation an organisation of `org_kind` signs with (DOC-2, low: «ĐU» for a
    committee, «CB» for a cell); the office may type another on the form."""
    return dict(settings.issuer_by_kind).get(org_kind, "ĐU")


def search_key(*texts: str) -> str:
    """The folded text a document is found by: lower case, no diacritics, «đ» → «d» (the members
    search's idea, `text.vietnamese.fold`), so «quyet dinh», «Quyết định» and «QUYẾT ĐỊNH» all match."""
    return " ".join(fold(t) for t in texts if t)


_ARRIVAL = re.compile(r"^(?:so\s*)?den\s*:?\s*(?:so\s*)?(\d{1,6})(?:\s*/\s*(\d{4}))?$")


def query_of(q: str) -> tuple[str, Any]:
    """What a search box asks for: ("arrival", (number, year or None)) for an arrival number (the arrival series:
    «số đến 12», «đến 12/2025», «den 12»), ("symbol", (number, type, issuer)) when it reads as a whole
    number-symbol (DOC-1: «10-QĐ/TU», «10-qd/tu», «Số 10 - QĐ/TU»), else ("words", [folded words]),
    every word to be found (number-symbol fragments such as «10-qd» are words too)."""
    text = (q or "").strip()
    if not text:
        return ("words", [])
    arrival = _ARRIVAL.match(" ".join(fold(text).split()))
    if arrival:
        return ("arrival", (int(arrival[1]), int(arrival[2]) if arrival[2] else None))
    try:
        return ("symbol", org_rules.parse_number_symbol(text))
    except ValueError:
        pass
    try:  # «qd» typed for «QĐ»: try the type with Đ
        number, type_, issuer = _loose_symbol(text)
        return ("symbol", (number, type_, issuer))
    except ValueError:
        return ("words", fold(text).split())


def _loose_symbol(text: str) -> tuple[int, str, str]:
    folded_types = {fold(t): t for t in org_rules.DOC_TYPES}
    head, sep, issuer = text.partition("/")
    number, dash, type_ = head.partition("-")
    if not (sep and dash and number.strip().isdigit()):
        raise ValueError(text)
    canonical = folded_types.get(fold(type_.strip()))
    if canonical is None:
        raise ValueError(text)
    return org_rules.parse_number_symbol(f"{number.strip()}-{canonical}/{issuer.strip()}")


def file_problem(name: str, size: int, *, settings: DocumentRuleSettings = DEFAULTS) -> str | None:
    """Why an attached file is refused, in Vietnamese (None: accepted). Bounded size and a short list
    of office formats (low: the platform's choice), so the folder holds documents, not anything."""
    ext = os.path.splitext(name or "")[1].lower().lstrip(".")
    if ext not in settings.file_extensions:
        return (f"Tệp «{name}» không thuộc loại được nhận ({', '.join('.' + e for e in settings.file_extensions)}).")
    if size <= 0:
        return f"Tệp «{name}» rỗng."
    if size > settings.max_file_bytes:
        mb = settings.max_file_bytes // (1024 * 1024)
        return f"Tệp «{name}» lớn hơn {mb} MB."
    return None


#: What a congress paper's kind is written as in the register (CON-10 numbers, «01-BC/ĐH» printed).
CONGRESS_KIND_TYPES = {"credentials_report": "BC", "counting_minutes": "BB"}
CONGRESS_ISSUER = "ĐH"


def congress_symbol(number: int, kind: str) -> tuple[str, str]:
    """(type, number-symbol) of a congress paper as printed on it: «02-BC/ĐH» for the credentials
    report, «05-BB/ĐH» for counting minutes; other papers (ballot papers) carry «Số 03» only."""
    type_ = CONGRESS_KIND_TYPES.get(kind, "")
    if type_:
        return type_, f"{number:02d}-{type_}/{CONGRESS_ISSUER}"
    return "", f"Số {number:02d}"


def cited_subject(event_label: str, org_name: str) -> str:
    """The subject written for a decision cited by an organisation event (ORG-3): «Quyết định thành
    lập Đảng bộ …»."""
    return f"Quyết định {event_label.lower()} {org_name}"
