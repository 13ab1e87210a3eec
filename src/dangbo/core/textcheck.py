"""The one check every text a user types goes through before it is stored (forms, API, imports, CLI).

Refused, with a Vietnamese message naming the field:
- control characters (C0 and C1; a multi-line field keeps line breaks and tabs),
- zero-width characters and the bidirectional overrides / isolates / marks that can make a name
  read differently on screen than it is stored (the "Trojan source" trick), the byte-order mark,
  Unicode non-characters and lone surrogates,
- values longer than the field's limit.

NUL is the sharpest of these: PostgreSQL refuses it in text columns and python-docx refuses it in a
Word document, so one stored NUL made every decision document of a committee fail. Pure Python.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from dangbo.core.errors import InvalidInput

#: zero-width and invisible formatting characters (not needed in Vietnamese text)
_ZERO_WIDTH = {0x200B, 0x200C, 0x200D, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF, 0x180E, 0x00AD}
#: bidirectional marks, embeddings, overrides and isolates
_BIDI = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
_LINE = {0x09, 0x0A, 0x0D}  # tab, line feed, carriage return: allowed in multi-line fields only


def bad_char(text: str, *, multiline: bool = False) -> str | None:
    """The first character of `text` that may not be stored, or None."""
    for ch in text:
        cp = ord(ch)
        if cp < 0x20 or 0x7F <= cp <= 0x9F:
            if multiline and cp in _LINE:
                continue
            return ch
        if cp in _ZERO_WIDTH or cp in _BIDI:
            return ch
        if 0xD800 <= cp <= 0xDFFF or 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE:
            return ch
    return None


def describe(ch: str) -> str:
    """How a refused character is named to the user: its code point and, if any, its Unicode name."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" ({name.lower()})" if name else "")


def clean_text(value, *, field: str, label: str, max_length: int | None = None, multiline: bool = False,
               strip: bool = True) -> str:
    """`value` as it will be stored (NFC, trimmed), or InvalidInput naming `label`.

    Single-line fields also have inner whitespace runs left as typed (names are normalised by their
    own services); None becomes "".
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"Trường «{label}» phải là chữ.", field=field)
    text = unicodedata.normalize("NFC", value)
    if strip:
        text = text.strip()
    ch = bad_char(text, multiline=multiline)
    if ch is not None:
        raise InvalidInput(f"Trường «{label}» chứa ký tự không được phép ({describe(ch)}): hãy gõ lại "
                           "trường này, không dán từ nơi khác.", field=field)
    if max_length is not None and len(text) > max_length:
        raise InvalidInput(f"Trường «{label}» dài {len(text)} ký tự, tối đa {max_length}.", field=field)
    return text


def clean_texts(data: Mapping, limits: Mapping[str, tuple[str, int | None]], *,
                multiline: frozenset[str] | set[str] = frozenset()) -> dict:
    """Check every text field of `data` that `limits` names ({field: (label, max_length)}).

    Returns a copy of `data` with those fields cleaned; raises InvalidInput listing every bad field
    at once (`errors` maps each to its message)."""
    out = dict(data)
    errors: dict[str, str] = {}
    for key, (label, max_length) in limits.items():
        if key not in data or data[key] is None:
            continue
        try:
            out[key] = clean_text(data[key], field=key, label=label, max_length=max_length,
                                  multiline=key in multiline)
        except InvalidInput as exc:
            errors[key] = exc.message
    if errors:
        raise InvalidInput(" ".join(errors.values()), field=next(iter(errors)), errors=errors)
    return out


def model_limits(model, names=None) -> dict[str, tuple[str, int | None]]:
    """{field: (verbose name, max_length)} for the text fields of a Django model (duck-typed: any
    object with `_meta.get_fields()`), so services check against the database's own limits."""
    out = {}
    for f in model._meta.get_fields():
        if names is not None and f.name not in names:
            continue
        internal = getattr(f, "get_internal_type", lambda: "")()
        if internal in ("CharField", "TextField", "SlugField", "EmailField"):
            out[f.name] = (str(getattr(f, "verbose_name", f.name)), getattr(f, "max_length", None))
    return out


def xml_safe(text) -> str:
    """`text` with every character XML 1.0 cannot hold removed — for writing documents (Word) from
    records that may predate the input checks. Never raises."""
    s = "" if text is None else str(text)
    return "".join(ch for ch in s if _xml_ok(ord(ch)))


def _xml_ok(cp: int) -> bool:
    return cp in (0x9, 0xA, 0xD) or 0x20 <= cp <= 0xD7FF or 0xE000 <= cp <= 0xFFFD or 0x10000 <= cp <= 0x10FFFF
