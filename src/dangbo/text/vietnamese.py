"""Vietnamese text normalisation, search folding and personal-name helpers.

Pure Python (no Django).  All functions return NFC text.

Tone placement: Vietnamese has two spellings for the syllables whose vowel
nucleus is ``oa``, ``oe`` or ``uy`` without a final consonant: the classic style
(``hòa``, ``hòe``, ``khỏe``, ``thủy``) and the "new" style (``hoà``, ``hoè``,
``khoẻ``, ``thuỷ``).  :func:`unify_tones` rewrites text to the **classic**
style, which most people's names on official papers use.  With a final
consonant both styles agree (``hoàng``, ``khuỳnh``), and so do three-vowel
nuclei (``ngoài``, ``khuỷu``, ``nguyễn``), which are left as they are.
"""

from __future__ import annotations

import itertools
import unicodedata

# Tone marks in NFD, in the traditional order: huyền, hỏi, ngã, sắc, nặng.
GRAVE, HOOK, TILDE, ACUTE, DOT = "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
TONE_MARKS = (GRAVE, HOOK, TILDE, ACUTE, DOT)

VOWELS = "aăâeêioôơuưy"
FINALS = ("c", "ch", "m", "n", "ng", "nh", "p", "t")


def nfc(s: str) -> str:
    """Return ``s`` in Unicode NFC, stripped, with inner whitespace runs collapsed to one space."""
    return " ".join(unicodedata.normalize("NFC", s).split())


def fold(s: str) -> str:
    """Fold ``s`` for searching: lower case, no diacritics, ``đ`` -> ``d``, whitespace collapsed.

    >>> fold("  Nguyễn  Văn Hùng ")
    'nguyen van hung'
    """
    decomposed = unicodedata.normalize("NFD", nfc(s).lower())
    bare = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
    return unicodedata.normalize("NFC", bare.replace("đ", "d").replace("Đ", "d"))


def split_marks(ch: str) -> tuple[str, str]:
    """Split one character (or base + combining marks) into (base letter with its non-tone marks, tone marks).

    >>> split_marks("ệ")
    ('ê', '̣')
    """
    decomposed = unicodedata.normalize("NFD", ch)
    tones = "".join(c for c in decomposed if c in TONE_MARKS)
    base = "".join(c for c in decomposed if c not in TONE_MARKS)
    return unicodedata.normalize("NFC", base), tones


def strip_tone(s: str) -> str:
    """Remove only the tone marks, keeping the other diacritics: ``"Nguyễn"`` -> ``"Nguyên"``."""
    return unicodedata.normalize(
        "NFC", "".join(c for c in unicodedata.normalize("NFD", s) if c not in TONE_MARKS)
    )


def tone_of(syllable: str) -> str:
    """Return the tone mark of ``syllable`` (one of :data:`TONE_MARKS`), or ``""`` for thanh ngang."""
    tones = [c for c in unicodedata.normalize("NFD", syllable) if c in TONE_MARKS]
    return tones[0] if tones else ""


def _clusters(word: str) -> list[list[str]]:
    """Cut ``word`` into [base, tones] pairs, one per base character (marks attach to the previous one)."""
    out: list[list[str]] = []
    for c in unicodedata.normalize("NFD", word):
        if out and unicodedata.category(c).startswith("M"):
            out[-1][1 if c in TONE_MARKS else 0] += c
        else:
            out.append([c, ""])
    return [[unicodedata.normalize("NFC", base), tone] for base, tone in out]


def _unify_syllable(word: str) -> str:
    clusters = _clusters(word)
    bases = [b.lower() for b, _ in clusters]
    toned = [i for i, (_, t) in enumerate(clusters) if t]
    if len(toned) != 1 or len(clusters[toned[0]][1]) != 1:
        return word
    start = 0
    while start < len(bases) and bases[start] not in VOWELS:
        start += 1
    if start and bases[start - 1] == "q" and bases[start : start + 1] == ["u"]:
        start += 1  # "qu" is a consonant: quý, quả
    end = start
    while end < len(bases) and bases[end] in VOWELS:
        end += 1
    final = "".join(bases[end:])
    if final and final not in FINALS:
        return word  # not a single Vietnamese syllable (foreign word, typo): leave it
    if toned[0] not in (start, start + 1) or "".join(bases[start:end]) not in ("oa", "oe", "uy"):
        return word
    target = start + 1 if final else start
    tone = clusters[toned[0]][1]
    clusters[toned[0]][1] = ""
    clusters[target][1] = tone
    return "".join(base + t for base, t in clusters)


def unify_tones(s: str) -> str:
    """Rewrite tone placement to the classic style, syllable by syllable; keeps case and spacing.

    ``hoà`` -> ``hòa``, ``Thuỷ`` -> ``Thủy``, ``KHOẺ`` -> ``KHỎE``; ``hòang`` -> ``hoàng``.
    Syllables with no tone, several tones, or a shape that is not Vietnamese are left alone.
    """
    s = unicodedata.normalize("NFC", s)

    def is_letter(c: str) -> bool:
        return c.isalpha() or unicodedata.category(c).startswith("M")

    parts = ("".join(g) for _, g in itertools.groupby(s, key=is_letter))
    return unicodedata.normalize("NFC", "".join(_unify_syllable(p) if is_letter(p[0]) else p for p in parts))


def title_name(s: str) -> str:
    """Title-case a name: ``"NGUYỄN VĂN HÙNG"`` -> ``"Nguyễn Văn Hùng"``; parts split by ``-`` too; NFC, spaces collapsed."""
    words = (
        "-".join(part[:1].upper() + part[1:].lower() for part in w.split("-")) for w in nfc(s).split(" ")
    )
    return nfc(" ".join(words))


def split_name(full: str) -> tuple[str, str, str]:
    """Split a full name into ``(surname, middle, given)``.

    Surname is the first word, given name the last, middle name the words between
    (``""`` if none); a one-word name is a given name only.  Compound surnames
    (e.g. "Tôn Thất") are not recognised: their second word lands in ``middle``.

    >>> split_name("Nguyễn Thị Minh Khai")
    ('Nguyễn', 'Thị Minh', 'Khai')
    """
    words = nfc(full).split(" ")
    if words == [""]:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]
