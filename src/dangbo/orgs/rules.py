"""Rules of the organisation tree and of document number-symbols.

Pure Python (no Django). Rule ids (ORG-*, DOC-*) refer to /work/shared/DOMAIN.md; each rule
function's docstring cites its id, the regulation and DOMAIN.md's confidence. What DOMAIN.md marks
**med** or **low** is a field of `OrgRuleSettings` (defaults in `DEFAULTS`), overridable through the
`settings=` parameter of the functions that use it; `SETTING_INFO` gives each default's source.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from dangbo.core import rulesettings

# --------------------------------------------------------------------------------------------------
# Organisation kinds (ORG-1)
# --------------------------------------------------------------------------------------------------


class OrgKind(StrEnum):
    COMMITTEE = "committee"  # Đảng bộ (cấp trên cơ sở, e.g. this committee)
    GRASSROOTS_COMMITTEE = "grassroots_committee"  # Đảng bộ cơ sở
    GRASSROOTS_CELL = "grassroots_cell"  # Chi bộ cơ sở
    SUB_COMMITTEE = "sub_committee"  # Đảng bộ bộ phận
    CELL = "cell"  # Chi bộ trực thuộc


KINDS: tuple[str, ...] = tuple(k.value for k in OrgKind)

KIND_LABELS: dict[str, str] = {
    OrgKind.COMMITTEE: "Đảng bộ",
    OrgKind.GRASSROOTS_COMMITTEE: "Đảng bộ cơ sở",
    OrgKind.GRASSROOTS_CELL: "Chi bộ cơ sở",
    OrgKind.SUB_COMMITTEE: "Đảng bộ bộ phận",
    OrgKind.CELL: "Chi bộ trực thuộc",
}

#: ORG-1 — which kind may sit under which (None = at the root of the tree).
#: Điều lệ Đảng, Điều 21 (grassroots organisations: a grassroots committee with cells under it, a
#: sub-committee only under a grassroots committee), Điều 24 (cells under a grassroots committee).
ALLOWED_PARENTS: dict[str, frozenset[str | None]] = {
    OrgKind.COMMITTEE: frozenset({None, OrgKind.COMMITTEE.value}),
    OrgKind.GRASSROOTS_COMMITTEE: frozenset({OrgKind.COMMITTEE.value}),
    OrgKind.GRASSROOTS_CELL: frozenset({OrgKind.COMMITTEE.value}),
    OrgKind.SUB_COMMITTEE: frozenset({OrgKind.GRASSROOTS_COMMITTEE.value}),
    OrgKind.CELL: frozenset({OrgKind.GRASSROOTS_COMMITTEE.value, OrgKind.SUB_COMMITTEE.value}),
}

GRASSROOTS_KINDS: frozenset[str] = frozenset({OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_CELL})
#: Cells (chi bộ): where members hold their Party activities.
CELL_KINDS: frozenset[str] = frozenset({OrgKind.GRASSROOTS_CELL, OrgKind.CELL})


def _kind_label(kind: str | None) -> str:
    return KIND_LABELS.get(kind, str(kind))


def check_parent(kind: str, parent_kind: str | None) -> None:
    """Raise ValueError (Vietnamese message) unless an organisation of `kind` may sit under `parent_kind`.

    ORG-1 — Điều lệ Đảng, Điều 21, 24 (high): committee → grassroots committee / grassroots cell →
    (sub-committee) → cell. A committee sits under a committee or at the root; a grassroots committee
    or grassroots cell under a committee; a sub-committee under a grassroots committee; a cell under a
    grassroots committee or a sub-committee. `parent_kind` None means the root of the tree.
    """
    if kind not in ALLOWED_PARENTS:
        raise ValueError(f"Loại tổ chức đảng không hợp lệ: «{kind}».")
    if parent_kind is not None and parent_kind not in ALLOWED_PARENTS:
        raise ValueError(f"Loại tổ chức đảng cấp trên không hợp lệ: «{parent_kind}».")
    allowed = ALLOWED_PARENTS[kind]
    if parent_kind in allowed:
        return
    options = [f"«{_kind_label(p)}»" for p in KINDS if p in allowed]
    where = " hoặc ".join(options + (["ở cấp cao nhất"] if None in allowed else []))
    if parent_kind is None:
        raise ValueError(f"«{_kind_label(kind)}» không thể ở cấp cao nhất; phải trực thuộc {where}.")
    raise ValueError(f"«{_kind_label(kind)}» không thể trực thuộc «{_kind_label(parent_kind)}»; "
                     f"chỉ được trực thuộc {where}.")


def is_grassroots(kind: str) -> bool:
    """A grassroots Party organisation (tổ chức cơ sở đảng): grassroots committee or grassroots cell.

    ORG-1 — Điều lệ Đảng, Điều 21.1 (high).
    """
    return kind in GRASSROOTS_KINDS


def is_cell(kind: str) -> bool:
    """A cell (chi bộ cơ sở or chi bộ trực thuộc), where members hold activities. ORG-1 — Điều lệ Đảng,
    Điều 21.3, 24 (high)."""
    return kind in CELL_KINDS


# --------------------------------------------------------------------------------------------------
# Organisation events (ORG-2, ORG-3)
# --------------------------------------------------------------------------------------------------


class OrgEventKind(StrEnum):
    FOUND = "found"
    MERGE = "merge"
    SPLIT = "split"
    RENAME = "rename"
    DISSOLVE = "dissolve"
    MOVE = "move"


EVENT_KINDS: tuple[str, ...] = tuple(k.value for k in OrgEventKind)

EVENT_LABELS: dict[str, str] = {
    OrgEventKind.FOUND: "Thành lập",
    OrgEventKind.MERGE: "Hợp nhất",
    OrgEventKind.SPLIT: "Chia tách",
    OrgEventKind.RENAME: "Đổi tên",
    OrgEventKind.DISSOLVE: "Giải thể",
    OrgEventKind.MOVE: "Điều chỉnh trực thuộc",
}

# --------------------------------------------------------------------------------------------------
# Document number-symbols (DOC-1, DOC-2, ORG-3)
# --------------------------------------------------------------------------------------------------

#: DOC-2 (med) — type abbreviations, with their names.
DOC_TYPE_LABELS: dict[str, str] = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "QĐi": "Quy định",
    "CT": "Chỉ thị",
    "KL": "Kết luận",
    "QC": "Quy chế",
    "TT": "Thông tri",
    "HD": "Hướng dẫn",
    "TB": "Thông báo",
    "TC": "Thông cáo",
    "BC": "Báo cáo",
    "KH": "Kế hoạch",
    "CTr": "Chương trình",
    "ĐA": "Đề án",
    "PA": "Phương án",
    "TTr": "Tờ trình",
    "CV": "Công văn",
    "BB": "Biên bản",
}
DOC_TYPES: tuple[str, ...] = tuple(DOC_TYPE_LABELS)

#: DOC-2 (med) — issuers seen in real numbers; informational: others are accepted ("by analogy").
KNOWN_ISSUERS: dict[str, str] = {
    "TW": "Trung ương (BCH Trung ương, Bộ Chính trị, Ban Bí thư)",
    "VPTW": "Văn phòng Trung ương Đảng",
    "BTCTW": "Ban Tổ chức Trung ương",
    "UBKTTW": "Ủy ban Kiểm tra Trung ương",
    "BTGDVTW": "Ban Tuyên giáo và Dân vận Trung ương",
    "BCĐTW": "Ban Chỉ đạo Trung ương",
    "TU": "Tỉnh ủy, Thành ủy",
    "ĐU": "Đảng ủy",
    "CB": "Chi bộ",
}


@dataclass(frozen=True)
class OrgRuleSettings:
    """Settings of the med/low organisation and document rules (see `SETTING_INFO`)."""

    doc_types: tuple[str, ...] = DOC_TYPES
    number_min_digits: int = 2
    events_requiring_document: frozenset[str] = frozenset(EVENT_KINDS)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> OrgRuleSettings:
        """Build settings from e.g. Django's `settings.DANGBO_RULES`, ignoring keys that are not ours."""
        return rulesettings.from_mapping(cls, values, {"doc_types": tuple,
                                                       "events_requiring_document": frozenset})


DEFAULTS = OrgRuleSettings()

SETTING_INFO: dict[str, tuple[str, str, str]] = {
    "doc_types": ("DOC-2", "Quy định 399-QĐ/TW; Hướng dẫn 36-HD/VPTW (thực tiễn)", "med"),
    "number_min_digits": ("DOC-1", "Hướng dẫn 36-HD/VPTW §II.1.3", "med"),
    "events_requiring_document": ("ORG-3", "Điều lệ Đảng, Điều 10.3; thực tiễn", "med"),
}


def requires_document(event_kind: str, *, settings: OrgRuleSettings = DEFAULTS) -> bool:
    """Whether an organisation event must cite a decision (number-symbol and date).

    ORG-3 (med) — Điều lệ Đảng, Điều 10.3 (the upper committee decides to found or dissolve): the
    documents that found, merge, rename or dissolve an organisation are cited by number-symbol and
    date; by default also split and move (both are decided the same way).
    """
    return event_kind in settings.events_requiring_document


_LOOKALIKES = str.maketrans({
    "\u00d0": "Đ", "\u00f0": "đ", "\u0189": "Đ", "\u0256": "đ",  # Ð ð Ɖ ɖ look like Đ đ
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-", "\ufe63": "-",
    "\uff0d": "-", "\uff0f": "/", "\u2044": "/", "\u2215": "/",
})
_PREFIX_RE = re.compile(r"^số\s*[:.]?\s*", re.IGNORECASE)
_SEGMENT = r"[^\W_]+"
_ISSUER_RE = re.compile(rf"^{_SEGMENT}(?:[-/]{_SEGMENT})*$")
_NUMBER_SYMBOL_RE = re.compile(
    rf"^(?P<number>\d+)\s*-\s*(?P<type>[^\W\d_]+)\s*/\s*(?P<issuer>{_SEGMENT}(?:\s*[-/]\s*{_SEGMENT})*)$"
)
_EXAMPLE = "10-QĐ/TU"


def _clean(s: str) -> str:
    return unicodedata.normalize("NFC", s).translate(_LOOKALIKES)


def _canonical_type(raw: str, allowed: tuple[str, ...]) -> str:
    by_upper = {t.upper(): t for t in allowed}
    t = by_upper.get(raw.upper())
    if t is not None:
        return t
    msg = f"Loại văn bản «{raw}» không có trong danh mục chữ viết tắt ({', '.join(allowed)})."
    guess = by_upper.get(raw.upper().replace("D", "Đ"))
    if guess is not None:
        msg += f" Có phải «{guess}»?"
    raise ValueError(msg)


def _canonical_issuer(raw: str) -> str:
    issuer = re.sub(r"\s+", "", raw).upper()
    if not _ISSUER_RE.match(issuer):
        raise ValueError(f"Cơ quan ban hành «{raw}» không hợp lệ (ví dụ: TW, TU, ĐU, BTCTW).")
    return issuer


def parse_number_symbol(s: str, *, settings: OrgRuleSettings = DEFAULTS) -> tuple[int, str, str]:
    """Split a document number-symbol like «10-QĐ/TU» into (10, "QĐ", "TU").

    DOC-1 — Hướng dẫn 36-HD/VPTW §II.1.3 (med): `NN-TYPE/ISSUER`; DOC-2 (med): TYPE is one of the
    abbreviations in `settings.doc_types` (matched without regard to case and returned in canonical
    form: «qđi» → «QĐi»); ORG-3 (med). Tolerant: NFC-normalised, spaces around «-» and «/», an
    optional leading «Số», en-dashes, and the look-alike «Ð» (U+00D0) for «Đ». The issuer is
    upper-cased and may have parts joined by «-» or «/» (joint documents). A number-symbol does not
    identify a document alone: its key is (number, type, issuer, date), as numbering restarts each
    committee term. Raises ValueError with a Vietnamese message.
    """
    if s is None or not str(s).strip():
        raise ValueError("Chưa nhập số, ký hiệu văn bản.")
    text = _PREFIX_RE.sub("", _clean(str(s)).strip())
    m = _NUMBER_SYMBOL_RE.match(text)
    if not m:
        raise ValueError(f"«{str(s).strip()}» không đúng dạng số, ký hiệu văn bản (ví dụ: {_EXAMPLE}).")
    number = int(m["number"])
    if number < 1:
        raise ValueError(f"Số văn bản phải từ 01 trở lên: «{str(s).strip()}».")
    return number, _canonical_type(m["type"], settings.doc_types), _canonical_issuer(m["issuer"])


def format_number_symbol(number: int, type: str, issuer: str, *, settings: OrgRuleSettings = DEFAULTS) -> str:
    """Write a number-symbol: (4, "KH", "TU") → «04-KH/TU».

    DOC-1 — Hướng dẫn 36-HD/VPTW §II.1.3 (med): numbers under 10 take a leading 0 (setting
    `number_min_digits`, default 2); DOC-2 (med): the type must be one of `settings.doc_types`.
    `format_number_symbol(*parse_number_symbol(s))` is the canonical form of `s`.
    """
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise ValueError(f"Số văn bản phải là số nguyên từ 1 trở lên: «{number}».")
    t = _canonical_type(_clean(str(type)).strip(), settings.doc_types)
    i = _canonical_issuer(_clean(str(issuer)))
    return f"{number:0{settings.number_min_digits}d}-{t}/{i}"
