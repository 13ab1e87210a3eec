"""Recognise the header row of a member roll and map its columns to canonical fields.

Pure Python (no Django).  Offices title their columns in many ways ("Họ và tên",
"HỌ TÊN", "ho_ten", "Ngày, tháng, năm sinh", "Số thẻ ĐV", "(3) Quê quán" …), and
some headers are themselves typed in a legacy encoding (TCVN3, VNI).  Matching
works on a *key*: the header decoded to Unicode when it looks legacy, tone
placement unified, folded (lower case, no diacritics, đ → d), punctuation and
column numbering ("1.", "(1)", "a)") removed.

:func:`match_header` maps one header cell to a field; :func:`find_header` picks
the header row among the first rows of a sheet.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from dangbo.text.vietnamese import fold, nfc, unify_tones

FULL_NAME = "full_name"
SURNAME_MIDDLE = "surname_middle"
GIVEN_NAME = "given_name"
SEX = "sex"
BIRTH_DATE = "birth_date"
NATIONAL_ID = "national_id"
PARTY_CARD_NO = "party_card_no"
HOME_TOWN = "home_town"
ADMISSION_DATE = "admission_date"
OFFICIAL_DATE = "official_date"
ORGANIZATION = "organization"
IGNORE = "ignore"

#: Every canonical field a column can hold, in the order a registry lists them.
FIELDS: tuple[str, ...] = (
    FULL_NAME,
    SURNAME_MIDDLE,
    GIVEN_NAME,
    SEX,
    BIRTH_DATE,
    NATIONAL_ID,
    PARTY_CARD_NO,
    HOME_TOWN,
    ADMISSION_DATE,
    OFFICIAL_DATE,
    ORGANIZATION,
)
#: What a ``--map`` override may name: the fields plus ``ignore``.
TARGETS: frozenset[str] = frozenset((*FIELDS, IGNORE))
NAME_FIELDS: frozenset[str] = frozenset((FULL_NAME, SURNAME_MIDDLE, GIVEN_NAME))
#: Each field in the words a roll's header uses (shown to people; a column map may use them too).
FIELD_LABELS: dict[str, str] = {
    FULL_NAME: "Họ và tên", SURNAME_MIDDLE: "Họ và đệm", GIVEN_NAME: "Tên", SEX: "Giới tính",
    BIRTH_DATE: "Ngày sinh", NATIONAL_ID: "Số CCCD", PARTY_CARD_NO: "Số thẻ đảng viên", HOME_TOWN: "Quê quán",
    ADMISSION_DATE: "Ngày vào Đảng", OFFICIAL_DATE: "Ngày chính thức", ORGANIZATION: "Chi bộ", IGNORE: "Bỏ qua",
}


def target_of(text: str) -> str | None:
    """The field a column map's right-hand side names: a field code (``birth_date``) or its words in
    any case, with or without diacritics ("Ngày sinh", "ngay sinh"; also "Số định danh", "Đơn vị")."""
    t = text.strip()
    if t in TARGETS:
        return t
    key = header_key(t)
    for f, label in FIELD_LABELS.items():
        if key == header_key(label):
            return f
    return {"so dinh danh": NATIONAL_ID, "so dinh danh ca nhan": NATIONAL_ID, "so cmnd": NATIONAL_ID,
            "don vi": ORGANIZATION, "so the": PARTY_CARD_NO, "ho ten": FULL_NAME}.get(key)

#: Headers of the two-column sex layout ("Nam" | "Nữ", the row marked with an x).
MARK_MALE, MARK_FEMALE = "nam", "nu"

#: How many rows from the top of a sheet may hold the header.
HEADER_SEARCH_ROWS = 15

# Header keys matched exactly (after :func:`header_key`).
_EXACT: dict[str, str] = {
    # ignore: row numbers, notes
    "stt": IGNORE, "tt": IGNORE, "so tt": IGNORE, "so thu tu": IGNORE, "thu tu": IGNORE, "ghi chu": IGNORE,
    "no": IGNORE,
    # names
    "ho va ten": FULL_NAME, "ho ten": FULL_NAME, "hoten": FULL_NAME, "ho va ten dang vien": FULL_NAME,
    "ho ten dang vien": FULL_NAME, "ho va ten khai sinh": FULL_NAME, "ho ten khai sinh": FULL_NAME,
    "ten dang vien": FULL_NAME, "full name": FULL_NAME, "name": FULL_NAME,
    "ho va dem": SURNAME_MIDDLE, "ho dem": SURNAME_MIDDLE, "ho va ten dem": SURNAME_MIDDLE,
    "ho chu dem": SURNAME_MIDDLE, "ho va chu dem": SURNAME_MIDDLE, "ho va ten lot": SURNAME_MIDDLE,
    "ho lot": SURNAME_MIDDLE, "ho": SURNAME_MIDDLE,
    "ten": GIVEN_NAME, "ten goi": GIVEN_NAME,
    # sex
    "gioi tinh": SEX, "gioi": SEX, "nam nu": SEX, "nam hoac nu": SEX, "phai": SEX, "gt": SEX,
    MARK_MALE: SEX, MARK_FEMALE: SEX,
    # dates
    "ngay sinh": BIRTH_DATE, "nam sinh": BIRTH_DATE, "ngay thang nam sinh": BIRTH_DATE, "sinh ngay": BIRTH_DATE,
    "ngay thang sinh": BIRTH_DATE, "ns": BIRTH_DATE,
    "ngay vao dang": ADMISSION_DATE, "ngay ket nap": ADMISSION_DATE, "ngay ket nap dang": ADMISSION_DATE,
    "vao dang": ADMISSION_DATE, "ket nap": ADMISSION_DATE, "ngay vao dang csvn": ADMISSION_DATE,
    "ngay chinh thuc": OFFICIAL_DATE, "chinh thuc": OFFICIAL_DATE, "ngay cong nhan chinh thuc": OFFICIAL_DATE,
    "ngay duoc cong nhan chinh thuc": OFFICIAL_DATE, "ngay chuyen chinh thuc": OFFICIAL_DATE,
    # place
    "que quan": HOME_TOWN, "nguyen quan": HOME_TOWN, "que": HOME_TOWN,
    # ids
    "cccd": NATIONAL_ID, "cmnd": NATIONAL_ID, "so cccd": NATIONAL_ID, "so cmnd": NATIONAL_ID,
    "so dinh danh ca nhan": NATIONAL_ID, "so dinh danh": NATIONAL_ID, "ma dinh danh": NATIONAL_ID,
    "so can cuoc": NATIONAL_ID, "so can cuoc cong dan": NATIONAL_ID, "can cuoc cong dan": NATIONAL_ID,
    "so the dang vien": PARTY_CARD_NO, "so the dv": PARTY_CARD_NO, "so the dang": PARTY_CARD_NO,
    "so the": PARTY_CARD_NO, "the dang vien": PARTY_CARD_NO, "so the dang vien moi": PARTY_CARD_NO,
    # organisation
    "chi bo": ORGANIZATION, "don vi": ORGANIZATION, "chi bo sinh hoat": ORGANIZATION,
    "to chuc dang": ORGANIZATION, "dang bo": ORGANIZATION, "chi dang bo": ORGANIZATION,
    "noi sinh hoat": ORGANIZATION, "chi bo dang bo": ORGANIZATION, "don vi sinh hoat": ORGANIZATION,
}

# Fallback rules on the word list, tried in order when no exact key matches.
def _rules(words: list[str], key: str) -> str | None:
    w = set(words)
    if {"noi", "sinh"} <= w and "hoat" not in w:
        return None  # "Nơi sinh" (birthplace) is not the home town
    if w & {"cccd", "cmnd"} or "dinh danh" in key or "can cuoc" in key:
        return NATIONAL_ID
    if key.startswith("so the") or "the dang" in key or "the dv" in key:
        return PARTY_CARD_NO
    if "chinh thuc" in key:
        return OFFICIAL_DATE
    if "vao dang" in key or "ket nap" in key:
        return ADMISSION_DATE
    if "sinh hoat" in key or "chi bo" in key or key.startswith("don vi"):
        return ORGANIZATION
    if "sinh" in w and w & {"ngay", "nam", "thang"}:
        return BIRTH_DATE
    if "que quan" in key or "nguyen quan" in key:
        return HOME_TOWN
    if "gioi tinh" in key:
        return SEX
    if words[:1] == ["ho"] and "dem" in w or "ten dem" in key or "ten lot" in key:
        return SURNAME_MIDDLE
    if key.startswith(("ho va ten", "ho ten")):
        return FULL_NAME
    return None


_NUMBERING = re.compile(r"^\s*(?:\(\s*\w{1,3}\s*\)|\w{1,2}\s*[.)]|[ivx]+\s*[.)])\s+|\s*\(\s*\d{1,3}\s*\)\s*$")
_PUNCT = re.compile(r"[^\w]+|_+")


def header_key(text: object) -> str:
    """The matching key of a header cell: Unicode, unified tones, folded, numbering and punctuation gone.

    >>> header_key("(2) Ngày, tháng, năm sinh")
    'ngay thang nam sinh'
    """
    if text is None:
        return ""
    return _key(str(text))


@functools.lru_cache(maxsize=8192)
def _key(text: str) -> str:
    s = nfc(text)
    for _ in range(2):  # "1. (2) Họ tên" and "Họ tên (2)"
        s = _NUMBERING.sub(" ", s).strip()
    s = fold(unify_tones(s))
    return " ".join(_PUNCT.sub(" ", s).split())


def _decoded_candidates(text: str, font_name: str | None) -> list[str]:
    """Readings of a header cell, most likely first: decoded as its font says (the font is
    authoritative), else as :func:`encodings.detect` guesses when that is a legacy encoding,
    then the text as it stands."""
    from dangbo.text import encodings

    guesses: list[str] = []
    enc = encodings.encoding_from_font(font_name) if font_name else None
    if enc:
        guesses.append(enc)
    elif not text.isascii():
        detected = encodings.detect(text)
        if detected != "unicode":
            guesses.append(detected)
    out: list[str] = []
    for enc in guesses:
        try:
            decoded = encodings.decode(text, enc)
        except ValueError:
            continue
        if decoded not in out:
            out.append(decoded)
    if text not in out:
        out.append(text)
    if not enc and not text.isascii():  # short headers are ambiguous ("Ghi chó" is a word): try the others last
        for other in ("tcvn3", "vni"):
            try:
                decoded = encodings.decode(text, other)
            except ValueError:
                continue
            if decoded not in out:
                out.append(decoded)
    return out


def match_header(text: object, font_name: str | None = None) -> str | None:
    """Map one header cell to a canonical field, ``"ignore"`` for row numbers and notes, or ``None``.

    ``text`` may be in a legacy encoding: when it does not match as it stands, it is
    decoded with the encoding ``font_name`` implies or :func:`encodings.detect` guesses.
    """
    return _match(text, font_name)[0]


def _match(text: object, font_name: str | None) -> tuple[str | None, str]:
    """(field or None, the header text in Unicode as it matched)."""
    if not isinstance(text, str):
        return None, "" if text is None else str(text)
    candidates = _decoded_candidates(text, font_name)
    for candidate in candidates:
        field = _match_key(header_key(candidate))
        if field:
            return field, nfc(candidate)
    return None, nfc(candidates[0])


def _match_key(key: str) -> str | None:
    if not key:
        return None
    words = key.split()
    if len(words) > 8 or len(key) > 60:
        return None  # a title row or a sentence, not a column header
    if key in _EXACT:
        return _EXACT[key]
    compact = key.replace(" ", "")
    for k, field in _EXACT.items():
        if len(k) > 3 and k.replace(" ", "") == compact:  # "hoten", "ngaysinh", "SốCCCD"
            return field
    return _rules(words, key)


def is_mark_column(text: object) -> str | None:
    """``"M"`` for a header "Nam", ``"F"`` for "Nữ" (the two-column sex layout), else ``None``."""
    key = header_key(text) if isinstance(text, str) else ""
    return {MARK_MALE: "M", MARK_FEMALE: "F"}.get(key)


def map_row(cells: Sequence[object], fonts: Sequence[str | None] | None = None) -> dict[int, str]:
    """Map the cells of one candidate header row: {column index: field}; the first column wins a field.

    The sex-marks layout ("Nam" and "Nữ" columns) maps both columns to ``sex``.
    """
    return map_row_texts(cells, fonts)[0]


def map_row_texts(
    cells: Sequence[object], fonts: Sequence[str | None] | None = None
) -> tuple[dict[int, str], dict[int, str]]:
    """Like :func:`map_row`, plus {column index: header text decoded to Unicode} for every non-empty cell."""
    out: dict[int, str] = {}
    texts: dict[int, str] = {}
    taken: set[str] = set()
    for i, cell in enumerate(cells):
        font = fonts[i] if fonts is not None and i < len(fonts) else None
        field, text = _match(cell, font)
        if text:
            texts[i] = text
        if field is None:
            continue
        if field != IGNORE:
            if field in taken and not (field == SEX and is_mark_column(text)):
                continue
            taken.add(field)
        out[i] = field
    return out, texts


def score(mapping: dict[int, str]) -> int:
    """How many distinct real fields a row maps (0 when no name column is among them)."""
    fields = {f for f in mapping.values() if f != IGNORE}
    if not fields & NAME_FIELDS:
        return 0
    return len(fields)


def find_header(
    rows: Sequence[Sequence[object]],
    fonts: Sequence[Sequence[str | None]] | None = None,
    *,
    limit: int = HEADER_SEARCH_ROWS,
) -> tuple[int, dict[int, str]] | None:
    """Find the header among the first ``limit`` rows: ``(row index, {column index: field})`` or ``None``.

    The header is the row mapping the most distinct fields, at least two, one of
    them a name column (full name, or surname-and-middle / given name); the
    earliest such row wins a tie.  ``fonts`` (parallel to ``rows``) helps decode
    legacy-encoded headers.
    """
    best: tuple[int, dict[int, str]] | None = None
    best_score = 1
    for r, cells in enumerate(rows[:limit]):
        mapping = map_row(cells, fonts[r] if fonts is not None and r < len(fonts) else None)
        s = score(mapping)
        if s > best_score:
            best, best_score = (r, mapping), s
    return best
