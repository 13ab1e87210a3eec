"""Vietnamese alphabetical order, as official name lists use it (CLDR/ICU locale "vi").

Levels, compared one after the other over the whole string:

1. letters, in the order a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z
   (f, j, w, z, used in foreign names, sit where Latin puts them, as in ICU);
   whitespace < other symbols < digits < letters;
2. tones: ngang < huyền < hỏi < ngã < sắc < nặng (any other mark after these);
3. case: lower before upper.

This matches ICU's "vi" collator for Vietnamese text.  Other scripts and marks are
approximated: a non-Vietnamese letter counts as its base letter plus an "other" mark,
symbols all weigh the same, and a letter that has no Latin base sorts after z.
"""

from __future__ import annotations

import unicodedata

from dangbo.text.vietnamese import TONE_MARKS, nfc, unify_tones

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_SPACE, _SYMBOL, _DIGIT0 = 1, 2, 3
_LETTER0 = _DIGIT0 + 10
_OTHER_LETTER = _LETTER0 + len(ALPHABET)
_PRIMARY = {c: _LETTER0 + i for i, c in enumerate(ALPHABET)}
_OTHER_MARK = len(TONE_MARKS) + 2  # secondary: 1 = no tone, 2..6 = tones, 7 = anything else

Key = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]


def _weights(ch: str, marks: str) -> tuple[int, int, int]:
    """(primary, secondary, tertiary) of one base character with its combining marks."""
    lower = ch.lower()
    tertiary = 2 if lower != ch else 1
    tones = [m for m in marks if m in TONE_MARKS]
    others = "".join(m for m in marks if m not in TONE_MARKS)
    secondary = TONE_MARKS.index(tones[0]) + 2 if tones else 1
    letter = unicodedata.normalize("NFC", lower + others)
    if letter in _PRIMARY:
        return _PRIMARY[letter], secondary, tertiary
    if others:
        secondary = _OTHER_MARK
    if lower in _PRIMARY:
        return _PRIMARY[lower], secondary, tertiary
    if ch.isspace():
        return _SPACE, secondary, tertiary
    if ch.isdecimal():
        return _DIGIT0 + unicodedata.decimal(ch), secondary, tertiary
    return (_OTHER_LETTER if ch.isalpha() else _SYMBOL), secondary, tertiary


def word_key(s: str) -> Key:
    """Sort key for ``s`` in Vietnamese order: ``(letters, tones, cases)``, compared in that order.

    The text is first put through :func:`~dangbo.text.vietnamese.nfc` (whitespace collapsed).
    Tone placement is taken as written: use :func:`unify_tones` first if ``hoà``/``hòa`` must tie.
    """
    units: list[list[str]] = []
    for c in unicodedata.normalize("NFD", nfc(s)):
        if units and unicodedata.category(c).startswith("M"):
            units[-1][1] += c
        else:
            units.append([c, ""])
    weights = [_weights(c, marks) for c, marks in units]
    return tuple(tuple(w[level] for w in weights) for level in range(3))  # type: ignore[return-value]


def name_key(surname: str, middle: str, given: str) -> tuple[Key, Key, Key]:
    """Sort key for a person in a list: given name, then surname, then middle name.

    Each part goes through :func:`unify_tones` first, so ``Hoà`` and ``Hòa`` sort as one name.
    """
    return tuple(word_key(unify_tones(part)) for part in (given, surname, middle))  # type: ignore[return-value]


def _encode(key: Key) -> str:
    primary, secondary, tertiary = key
    return (
        "".join(f"{p:02d}" for p in primary)
        + "00"
        + "".join(str(w) for w in secondary)
        + "0"
        + "".join(str(w) for w in tertiary)
        + "0"
    )


def name_sort_string(surname: str, middle: str, given: str) -> str:
    """Digits-only string whose plain (byte or any-collation) order equals :func:`name_key` order.

    Each level of each part is written with fixed-width codes (two digits a letter, one digit a
    tone or case) and ends with a terminator lower than any code, so ``an`` sorts before ``anh``
    and a part never runs into the next.  Length: 4 digits a character + 12.
    """
    return "".join(_encode(key) for key in name_key(surname, middle, given))
