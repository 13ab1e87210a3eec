"""Normalised person records built from the rows a reader found (pure Python, no Django).

:func:`make_record` turns one :class:`dangbo.registry.readers.Row` into a
:class:`Record`: the name in NFC title case with classic tone placement and its
parts, folded keys for matching, sex, dates with their precision, the 12-digit
national ID, the party card number, the home town with a commune key and a
province key, and the problems met on the way.  A row with no usable name gives
a rejection reason instead.

Provinces: on 1 July 2025 Vĩnh Phúc and Hòa Bình were merged into Phú Thọ, so a
home town written with any of the three is *province-compatible* with the
others; the commune is what tells two home towns apart.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from dangbo.registry import headers as H
from dangbo.registry.limits import CARD_MAX_CHARS, FIELD_MAX_CHARS, NAME_PART_MAX_CHARS
from dangbo.registry.readers import CellNote, Row
from dangbo.registry.values import (
    name_text,
    parse_card_no,
    parse_cmnd,
    parse_date,
    parse_id_extra_digit,
    parse_national_id,
    parse_sex,
    shown,
    shown_date,
    split_given,
)
from dangbo.text.vietnamese import fold as _fold_text
from dangbo.text.vietnamese import nfc, split_name, title_name, unify_tones

_fold_word = functools.lru_cache(maxsize=100_000)(_fold_text)


@functools.lru_cache(maxsize=100_000)
def _name_word(word: str) -> str:
    """:func:`normalize_name`'s work on one word of a name (no space in it)."""
    return title_name(unify_tones(word))


def normalize_name_by_word(value: object) -> str:
    """:func:`dangbo.registry.values.normalize_name`, the same text, with the tone and case work done once
    per distinct word (a roll's names are made of a few thousand words).  The same because that work
    never joins or moves anything across a space: tone placement goes syllable by syllable (a space
    ends a syllable), title case word by word, and NFC composes and reorders nothing across a space (a
    starter that composes with nothing) — checked against it in
    ``tests/registry/test_speed_paths.py``."""
    s = name_text(value)
    return " ".join(_name_word(w) for w in s.split(" ")) if s else ""


_normalize_name = functools.lru_cache(maxsize=524_288)(normalize_name_by_word)
_split_given = functools.lru_cache(maxsize=524_288)(split_given)


def _memo(fn, maxsize: int):
    """``fn`` of one cell value through a cache (typed: 1, 1.0 and True parse differently); an
    unhashable value goes to ``fn`` directly, and so does a float zero (0.0 and -0.0 are one key
    but read back differently in a message)."""
    cached = functools.lru_cache(maxsize=maxsize, typed=True)(fn)
    texts: dict[str, Any] = {}  # the usual value, a text: a plain dict (the lru's wrapper costs more)

    def call(value):
        if type(value) is str:
            try:
                return texts[value]
            except KeyError:
                if len(texts) >= maxsize:
                    texts.clear()
                got = texts[value] = fn(value)
                return got
        if value == 0 and isinstance(value, float):
            return fn(value)
        try:
            return cached(value)
        except TypeError:
            return fn(value)

    def cache_clear():
        cached.cache_clear()
        texts.clear()

    call.cache_clear = cache_clear
    return call


# Dates, sex words, home towns and organisation names repeat a lot over a roll: parse each once.
_parse_date = _memo(parse_date, 262_144)
_parse_sex = _memo(parse_sex, 4096)


def fold(s: str) -> str:
    """:func:`dangbo.text.vietnamese.fold`, word by word through a cache (names repeat a lot)."""
    return " ".join(_fold_word(w) for w in s.split())


#: :func:`fold` of a surname, a middle name or a given name: a roll has a few thousand of each, so a
#: cache of texts (`_memo`'s plain dict, emptied when full) spares the split and the join of :func:`fold`.
_part_key = _memo(fold, 262_144)


def _plain_id(v: Any) -> bool:
    """An ID cell as most rolls write it: a text of exactly twelve ASCII digits — what
    :func:`parse_national_id` returns unchanged, without a note (and then there is no CMND and no
    13-digit reading): :func:`make_record` skips the three parsers for it."""
    return type(v) is str and len(v) == 12 and v.isdigit() and v.isascii()


def _plain_card(v: Any) -> str | None:
    """:func:`parse_card_no` of a text of ASCII letters and digits with a digit (the usual card cell:
    nothing to drop, no note): the text in upper case; ``None`` for any other cell (parsed the plain way)."""
    if type(v) is str and v.isascii() and v.isalnum() and not v.isalpha():
        return v.upper()
    return None

#: Old provinces merged into a new one on 1 July 2025 (folded names) → the new province's folded name.
PROVINCE_MERGERS: dict[str, str] = {
    "vinh phuc": "phu tho",
    "hoa binh": "phu tho",
    "phu tho": "phu tho",
}

_UNIT_PREFIX = re.compile(
    r"^(?:xa|phuong|thi tran|tt|p|x|thon|xom|ban|to dan pho|khu|huyen|quan|thi xa|thanh pho|tp|tinh)\.?\s+"
)
_PROVINCE_PREFIX = re.compile(r"^(?:tinh|thanh pho|tp)\.?\s+")
_DISTRICT_PREFIX = re.compile(r"^(?:huyen|quan|thi xa|thanh pho|tp)\.?\s+")


@dataclass
class Record:
    """One accepted input row, normalised for matching."""

    index: int  # position among all records of a run (0-based)
    ref: str  # "FILE:ROW"
    file: str
    row: int
    full_name: str
    surname: str
    middle: str
    given: str
    name_key: str  # folded full name ("nguyen van hung")
    surname_key: str
    middle_key: str
    given_key: str
    has_diacritics: bool
    sex: str | None = None  # "M" | "F"
    birth_date: str | None = None  # ISO "yyyy-mm-dd" or "yyyy"
    birth_precision: str | None = None  # "day" | "year"
    birth_year: int | None = None
    national_id: str | None = None
    cmnd: str | None = None  # the old 9-digit CMND found in the ID column (compared only with a CMND)
    id_unread: str | None = None  # 13 digits in the ID column (issue 15): compared only as a typing slip
    party_card_no: str | None = None
    home_town: str | None = None
    commune_key: str | None = None  # folded commune name, unit words dropped ("bao duc")
    province_key: str | None = None  # folded province, old provinces mapped to the new one
    admission_date: str | None = None
    official_date: str | None = None
    organization: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def birth_day(self) -> tuple[int, int] | None:
        """(month, day) when the birth date is known to the day."""
        if self.birth_precision != "day" or not self.birth_date:
            return None
        return int(self.birth_date[5:7]), int(self.birth_date[8:10])


def province_key(text: str) -> str:
    """The folded province of a home-town component, old merged provinces mapped to the new one."""
    key = _PROVINCE_PREFIX.sub("", fold(text)).strip(" .")
    return PROVINCE_MERGERS.get(key, key)


def home_town_keys(home_town: str | None) -> tuple[str | None, str | None]:
    """(commune key, province key) of a home town such as "Xã Bảo Đức, huyện Lương Sơn, tỉnh Hòa Bình".

    The last comma-separated part is the province; with two or more parts the
    first is the commune.  A single part that names a known province
    ("Vĩnh Phúc") is a province only.  Unit words (xã, phường, thị trấn, tỉnh …)
    are dropped.
    """
    if not home_town:
        return None, None
    parts = [p.strip() for p in re.split(r"[,;\-–]", fold(home_town)) if p.strip()]
    if not parts:
        return None, None
    if len(parts) == 1:
        only = parts[0]
        prov = province_key(only)
        if prov in PROVINCE_MERGERS.values() or _PROVINCE_PREFIX.match(only):
            return None, prov
        return _UNIT_PREFIX.sub("", only).strip(" .") or None, None
    commune = _UNIT_PREFIX.sub("", parts[0]).strip(" .") or None
    return commune, province_key(parts[-1])


def _home_of(value: Any) -> tuple[str | None, str | None, str | None]:
    """(home town in NFC, commune key, province key) of a home-town cell."""
    home = nfc(str(value)) if value not in (None, "") else None
    return (home, *home_town_keys(home))


def _text_of(value: Any) -> str | None:
    """A text cell in NFC, ``None`` when empty."""
    return nfc(str(value)) if value not in (None, "") else None


_home = _memo(_home_of, 65_536)
_text = _memo(_text_of, 65_536)


def _note(problems: list[str], text: str, field: str, raw: Any, kept: str | None) -> None:
    """A problem with a cell of ``field``: ``kept`` is the value read from it (``None``: nothing could be
    read, the cell is left empty) — see :class:`dangbo.registry.readers.CellNote`."""
    problems.append(CellNote(text, kind=CellNote.REPAIRED if kept else CellNote.UNREAD, field=field,
                             value=shown(raw), kept=kept or ""))


def _date(values: dict[str, Any], name: str, problems: list[str], label: str) -> tuple[str | None, str | None]:
    raw = values.get(name)
    iso, precision, problem = _parse_date(raw)
    if problem:
        _note(problems, f"{label}: {problem}", name, raw, shown_date(iso))
    return iso, precision


_PART_LABELS = {"surname": "họ", "middle": "tên đệm", "given": "tên"}


def _name_too_long(full: str, surname: str, middle: str, given: str) -> str | None:
    """The reason to refuse a name longer than the registry stores (never cut short)."""
    if len(full) > FIELD_MAX_CHARS["full_name"]:
        return f"họ tên dài {len(full)} ký tự, tối đa {FIELD_MAX_CHARS['full_name']} — hãy sửa ô này trong tệp"
    for part, text in (("surname", surname), ("middle", middle), ("given", given)):
        limit = NAME_PART_MAX_CHARS[part]
        if len(text) > limit:
            return (f"{_PART_LABELS[part]} \"{text[:30]}…\" dài {len(text)} ký tự, tối đa {limit} — hãy sửa ô "
                    "này trong tệp")
    return None


def make_record(row: Row, index: int, file: str) -> Record | str:
    """The :class:`Record` of ``row``, or a Vietnamese rejection reason when it has no usable name."""
    v = row.values
    problems: list[str] = []
    if v.get(H.SURNAME_MIDDLE) or v.get(H.GIVEN_NAME):
        sm, gv = v.get(H.SURNAME_MIDDLE), v.get(H.GIVEN_NAME)
        if isinstance(sm, (str, type(None))) and isinstance(gv, (str, type(None))):
            full, surname, middle, given = _split_given(sm, gv)
        else:
            full, surname, middle, given = split_given(sm, gv)
    else:
        raw = v.get(H.FULL_NAME)
        full = _normalize_name(raw if isinstance(raw, str) or raw is None else str(raw))
        surname, middle, given = split_name(full) if full else ("", "", "")
    if not full or not any(c.isalpha() for c in full):
        return f"họ tên không dùng được: \"{nfc(str(v.get(H.FULL_NAME) or ''))}\""
    too_long = _name_too_long(full, surname, middle, given)
    if too_long:
        return too_long
    problems += row.problems
    name_key = fold(full)
    sex, problem = _parse_sex(v.get(H.SEX))
    if problem:
        _note(problems, problem, H.SEX, v.get(H.SEX), {"M": "Nam", "F": "Nữ"}.get(sex or ""))
    birth, birth_precision = _date(v, H.BIRTH_DATE, problems, "ngày sinh")
    raw_id = v.get(H.NATIONAL_ID)
    if _plain_id(raw_id):
        nid = raw_id
        cmnd = id_unread = None
    else:
        nid, problem = parse_national_id(raw_id)
        cmnd = parse_cmnd(raw_id) if nid is None else None
        id_unread = parse_id_extra_digit(raw_id) if nid is None and cmnd is None else None
        if problem:
            _note(problems, problem, H.NATIONAL_ID, raw_id, nid or cmnd)
    raw_card = v.get(H.PARTY_CARD_NO)
    card = _plain_card(raw_card)
    if card is None:
        card, problem = parse_card_no(raw_card)
        if problem:
            _note(problems, problem, H.PARTY_CARD_NO, raw_card, card)
    if card and len(card) > CARD_MAX_CHARS:
        return f"số thẻ đảng viên \"{card}\" dài {len(card)} ký tự, tối đa {CARD_MAX_CHARS} — hãy sửa ô này trong tệp"
    admission, _ = _date(v, H.ADMISSION_DATE, problems, "ngày vào Đảng")
    official, _ = _date(v, H.OFFICIAL_DATE, problems, "ngày chính thức")
    home, commune, province = _home(v.get(H.HOME_TOWN))
    org = _text(v.get(H.ORGANIZATION))
    return Record(
        index=index, ref=row.ref, file=file, row=row.row,
        full_name=full, surname=surname, middle=middle, given=given,
        name_key=name_key, surname_key=_part_key(surname), middle_key=_part_key(middle), given_key=_part_key(given),
        has_diacritics=name_key != full.lower(),
        sex=sex, birth_date=birth, birth_precision=birth_precision,
        birth_year=int(birth[:4]) if birth else None,
        national_id=nid, cmnd=cmnd, id_unread=id_unread, party_card_no=card, home_town=home, commune_key=commune, province_key=province,
        admission_date=admission, official_date=official, organization=org, problems=problems,
    )


__all__ = ["PROVINCE_MERGERS", "Record", "home_town_keys", "make_record", "province_key"]
