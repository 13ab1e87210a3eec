"""Legacy Vietnamese encodings (TCVN3 "ABC" and VNI) to and from Unicode.

Pure Python (no Django).  Legacy text reaches us as a Python ``str`` in which each byte of
the legacy encoding was read as a Windows-1252 (cp1252) character: that is what Excel
stores in an xlsx cell typed under a legacy font, and what a CSV/xls read as cp1252 gives.
The five byte values cp1252 leaves undefined (0x81 0x8D 0x8F 0x90 0x9D) arrive as the C1
control characters U+0081 … U+009D (Windows' own mapping, and Latin-1's), and both
spellings of the bytes 0x80–0x9F are accepted everywhere.

Encodings (the ``encoding`` argument):

``"unicode"``
    Identity (output NFC).
``"tcvn3"``
    TCVN 5712:1993, the "ABC" fonts ``.VnTime``, ``.VnArial`` …  The standard has three
    levels.  **VN3** (the fonts, i.e. what offices actually typed) encodes the lower-case
    precomposed letters in 0xB5–0xFE, the seven bare letters ``ă â ê ô ơ ư đ`` in
    0xA8–0xAE and their capitals ``Ă Â Ê Ô Ơ Ư Đ`` in 0xA1–0xA7; capitals *with a tone*
    do not exist in VN3 (their code points are left to the font), which is why capital
    text is typed with the lower-case codes under a capital font (see ``tcvn3_upper``).
    **VN1** (glibc's ``TCVN5712-1``) fills those holes with the 60 missing capitals,
    some in the C1 range 0x80–0x9F, twelve in the C0 range (0x01 0x02 0x04–0x06
    0x11–0x17) and the rest in 0xAF–0xFF slots unused by VN3, and also has the five
    combining tone marks at 0xB0–0xB4 (VN2).  :func:`decode` accepts all of VN1 (a VN3
    file never contains those codes, so accepting them costs nothing); :func:`encode`
    writes VN3 codes wherever VN3 has one and VN1 codes for the capitals VN3 lacks, so
    every Vietnamese letter round-trips (pass ``vn1_capitals=False`` to write those
    capitals with the lower-case code instead, as a typist under ``.VnTime`` would; note
    the twelve C0 codes cannot be stored in an xlsx cell: XML forbids them).
``"tcvn3_upper"``
    The same codes under a capital font (``.VnTimeH``, ``.VnArialH`` …): every letter is
    *shown* in capitals, so :func:`decode` upper-cases the TCVN3 decoding and
    :func:`encode` writes the lower-case codes of ``text.lower()``.
``"vni"``
    VNI for Windows (``VNI-Times``, ``VNI-Helve`` …): a letter is an ASCII base letter
    followed by at most one modifier byte (0xC0–0xFF) carrying the vowel mark and the
    tone together; ``ơ ư đ`` and the dotted/hooked/tilded ``i``, ``ỵ`` are single bytes.
    Capitals use the capital forms of both the base and the modifier.

Detection (:func:`detect`, :func:`detect_column`) decodes the text under each hypothesis
and scores it by how many words are valid Vietnamese syllables (:func:`is_syllable`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

from dangbo.text.vietnamese import ACUTE, DOT, GRAVE, HOOK, TILDE, TONE_MARKS

ENCODINGS = ("unicode", "tcvn3", "tcvn3_upper", "vni")
DETECTABLE = ("unicode", "tcvn3", "vni")  # in tie-break order

_TONED_VOWELS = "aăâeêioôơuưy"
_TONE_ORDER = (GRAVE, HOOK, TILDE, ACUTE, DOT)  # huyền, hỏi, ngã, sắc, nặng: the standards' column order


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _toned(vowel: str, tone: str) -> str:
    return _nfc(vowel + tone)


#: The 134 non-ASCII letters of Vietnamese: 12 vowels x 5 tones, ă â ê ô ơ ư, đ; lower then upper case.
_LOWER_LETTERS = [_toned(v, t) for v in _TONED_VOWELS for t in _TONE_ORDER] + list("ăâêôơưđ")
VIETNAMESE_LETTERS = "".join(_LOWER_LETTERS) + "".join(c.upper() for c in _LOWER_LETTERS)


# --------------------------------------------------------------------------------------------
# Byte <-> str (cp1252 view)
# --------------------------------------------------------------------------------------------


def _byte_chars(b: int) -> tuple[str, ...]:
    """The characters byte ``b`` may arrive as: its cp1252 reading, and for 0x80–0x9F also chr(b)."""
    try:
        c = bytes([b]).decode("cp1252")
    except UnicodeDecodeError:
        return (chr(b),)
    return (c, chr(b)) if c != chr(b) else (c,)


def _byte_char(b: int) -> str:
    """The character byte ``b`` is written as (cp1252, or chr(b) where cp1252 is undefined)."""
    return _byte_chars(b)[0]


# --------------------------------------------------------------------------------------------
# TCVN 5712:1993 (TCVN3 / ABC)
# --------------------------------------------------------------------------------------------

# VN3, lower-case toned vowels: one row per vowel, columns huyền, hỏi, ngã, sắc, nặng.
_TCVN3_TONED_LOWER = {
    "a": (0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
# VN3, the letters with a vowel mark or stroke but no tone, capitals then lower case.
_TCVN3_BARE = dict(zip("ĂÂÊÔƠƯĐ" + "ăâêôơưđ", range(0xA1, 0xAF), strict=True))
# VN2/VN1 combining tone marks.
_TCVN_COMBINING = dict(zip(_TONE_ORDER, range(0xB0, 0xB5), strict=True))
# VN1 only: the 60 toned capitals, placed in the slots VN3 leaves free.  Rows as above.
_TCVN1_TONED_UPPER = {
    "A": (0x80, 0x81, 0x82, 0x83, 0x84),
    "Ă": (0xAF, 0xBA, 0xBF, 0xC0, 0x85),
    "Â": (0xC1, 0xC2, 0xC3, 0xC4, 0x86),
    "E": (0x87, 0x88, 0x89, 0x8A, 0x8B),
    "Ê": (0xC5, 0xCD, 0xD9, 0xDA, 0x8C),
    "I": (0x8D, 0x8E, 0x8F, 0x90, 0x91),
    "O": (0x92, 0x93, 0x94, 0x95, 0x96),
    "Ô": (0xDB, 0xE0, 0xF0, 0xFF, 0x97),
    "Ơ": (0x98, 0x99, 0x9A, 0x9B, 0x9C),
    "U": (0x9D, 0x9E, 0x9F, 0x01, 0x02),
    "Ư": (0x04, 0x05, 0x06, 0x11, 0x12),
    "Y": (0x13, 0x14, 0x15, 0x16, 0x17),
}


def _rows(table: dict[str, tuple[int, ...]]) -> dict[str, int]:
    return {_toned(v, t): b for v, row in table.items() for t, b in zip(_TONE_ORDER, row, strict=True)}


TCVN3_VN3: dict[str, int] = {**_rows(_TCVN3_TONED_LOWER), **_TCVN3_BARE}
TCVN3_VN1_EXTRA: dict[str, int] = _rows(_TCVN1_TONED_UPPER)

_TCVN3_ENCODE = {u: _byte_char(b) for u, b in {**TCVN3_VN3, **TCVN3_VN1_EXTRA}.items()}
_TCVN3_DECODE: dict[str, str] = {}
for _u, _b in [*TCVN3_VN3.items(), *TCVN3_VN1_EXTRA.items(), *_TCVN_COMBINING.items()]:
    for _c in _byte_chars(_b):
        _TCVN3_DECODE[_c] = _u
_VN1_ONLY_CHARS = frozenset(c for b in TCVN3_VN1_EXTRA.values() for c in _byte_chars(b))
assert len(TCVN3_VN3) == 74 and len(TCVN3_VN1_EXTRA) == 60
assert len({*TCVN3_VN3.values(), *TCVN3_VN1_EXTRA.values(), *_TCVN_COMBINING.values()}) == 139

# --------------------------------------------------------------------------------------------
# VNI for Windows
# --------------------------------------------------------------------------------------------

# Modifier after a plain vowel (a e o u y, and ô = ơ, ö = ư): huyền, hỏi, ngã, sắc, nặng.
_VNI_TONE = ("ø", "û", "õ", "ù", "ï")
# Modifier after a, e, o for the circumflex (â ê ô): bare, then the five tones.
_VNI_CIRCUMFLEX = ("â", "à", "å", "ã", "á", "ä")
# Modifier after a for the breve (ă): bare, then the five tones.
_VNI_BREVE = ("ê", "è", "ú", "ü", "é", "ë")
# i and ỵ take single bytes instead of base + modifier (ì and í are the Latin-1 letters themselves).
_VNI_I = ("ì", "æ", "ó", "í", "ò")


def _vni_lower() -> dict[str, str]:
    table = {"đ": "ñ", "ơ": "ô", "ư": "ö", "ă": "a" + _VNI_BREVE[0]}
    for v in "aeou":
        table.update({_toned(v, t): v + m for t, m in zip(_TONE_ORDER, _VNI_TONE, strict=True)})
    for v, base in (("ơ", "ô"), ("ư", "ö")):
        table.update({_toned(v, t): base + m for t, m in zip(_TONE_ORDER, _VNI_TONE, strict=True)})
    for v, base in (("â", "a"), ("ê", "e"), ("ô", "o")):
        table[v] = base + _VNI_CIRCUMFLEX[0]
        table.update({_toned(v, t): base + m for t, m in zip(_TONE_ORDER, _VNI_CIRCUMFLEX[1:], strict=True)})
    table.update({_toned("ă", t): "a" + m for t, m in zip(_TONE_ORDER, _VNI_BREVE[1:], strict=True)})
    table.update({_toned("i", t): m for t, m in zip(_TONE_ORDER, _VNI_I, strict=True)})
    table.update({_toned("y", t): "y" + m for t, m in zip(_TONE_ORDER[:4], _VNI_TONE[:4], strict=True)})
    table["ỵ"] = "î"
    return table


VNI_LOWER: dict[str, str] = _vni_lower()
_VNI_ENCODE = {**VNI_LOWER, **{u.upper(): v.upper() for u, v in VNI_LOWER.items()}}
assert len(_VNI_ENCODE) == 134 and set(_VNI_ENCODE) == set(VIETNAMESE_LETTERS)
_VNI_DECODE: dict[str, str] = {}
for _u, _v in _VNI_ENCODE.items():
    if len(_v) == 1:
        _VNI_DECODE[_v] = _u
    else:  # the base letter's case decides; accept the modifier in either case
        for _m in {_v[1].lower(), _v[1].upper()}:
            _VNI_DECODE[_v[0] + _m] = _u
_VNI_DECODE = {k: v for k, v in _VNI_DECODE.items() if k != v}  # í, ì, Í, Ì: the letters themselves
_VNI_MODIFIERS = frozenset(v[1] for v in _VNI_ENCODE.values() if len(v) == 2)

# --------------------------------------------------------------------------------------------
# decode / encode
# --------------------------------------------------------------------------------------------


def _check(encoding: str) -> None:
    if encoding not in ENCODINGS:
        raise ValueError(f"unknown encoding {encoding!r}; expected one of {', '.join(ENCODINGS)}")


def decode(text: str, encoding: str) -> str:
    """Convert legacy ``text`` (bytes read as cp1252 characters) in ``encoding`` to Unicode NFC.

    >>> decode("NguyÔn V¨n Hïng", "tcvn3")
    'Nguyễn Văn Hùng'
    >>> decode("Nguyeãn Vaên Huøng", "vni")
    'Nguyễn Văn Hùng'

    Characters the encoding does not define (ASCII, already-Unicode letters) pass through.
    """
    _check(encoding)
    if encoding == "unicode":
        return _nfc(text)
    if encoding in ("tcvn3", "tcvn3_upper"):
        out = _nfc("".join(_TCVN3_DECODE.get(c, c) for c in text))
        return _nfc(out.upper()) if encoding == "tcvn3_upper" else out
    parts: list[str] = []
    i, n = 0, len(text)
    while i < n:
        pair = text[i : i + 2]
        if len(pair) == 2 and pair in _VNI_DECODE:
            parts.append(_VNI_DECODE[pair])
            i += 2
        else:
            parts.append(_VNI_DECODE.get(text[i], text[i]))
            i += 1
    return _nfc("".join(parts))


def encode(text: str, encoding: str, *, vn1_capitals: bool = True) -> str:
    """Convert Unicode ``text`` to ``encoding``, as the legacy bytes would appear in an xlsx cell.

    >>> encode("Nguyễn Văn Hùng", "tcvn3")
    'NguyÔn V¨n Hïng'

    ASCII passes through; any other character the encoding cannot write raises ``ValueError``.
    ``vn1_capitals`` (TCVN3 only): write toned capitals with VN1 codes (default, lossless) or,
    if False, with the lower-case VN3 code as under a ``.VnTime`` font (loses their case).
    """
    _check(encoding)
    text = _nfc(text)
    if encoding == "unicode":
        return text
    if encoding == "tcvn3_upper":
        text, encoding = text.lower(), "tcvn3"
    table = _TCVN3_ENCODE if encoding == "tcvn3" else _VNI_ENCODE
    out: list[str] = []
    for pos, c in enumerate(text):
        if c < "\x80" and (encoding == "vni" or c not in _TCVN3_DECODE):
            out.append(c)
        elif encoding == "tcvn3" and not vn1_capitals and c in TCVN3_VN1_EXTRA:
            out.append(table[c.lower()])
        elif c in table:
            out.append(table[c])
        else:
            raise ValueError(f"{c!r} (U+{ord(c):04X}) at position {pos} cannot be written in {encoding}")
    return "".join(out)


# --------------------------------------------------------------------------------------------
# Fonts
# --------------------------------------------------------------------------------------------

_VNI_FONT = re.compile(r"^vni(?:$|[-_ ])", re.IGNORECASE)
_TCVN3_FONT = re.compile(r"^(?:\.vn|vn[A-Z])", re.IGNORECASE)


def encoding_from_font(font_name: str | None) -> str | None:
    """The legacy encoding a font implies: ``"tcvn3"``, ``"tcvn3_upper"``, ``"vni"``, or None (Unicode font).

    ``.VnTime``, ``.VnArial``, ``.VnCentury Schoolbook`` … → ``"tcvn3"``; the capital fonts, whose
    names end in ``H`` (``.VnTimeH``, ``.VnArial NarrowH``) → ``"tcvn3_upper"``; ``VNI-Times``,
    ``VNI-Helve`` … → ``"vni"``; anything else, and None → None.
    """
    if not font_name:
        return None
    name = font_name.strip()
    if _VNI_FONT.match(name):
        return "vni"
    if name.startswith(".") and name[1:3].lower() == "vn" or re.match(r"^Vn[A-Z]", name):
        return "tcvn3_upper" if name.endswith("H") else "tcvn3"
    return None


# --------------------------------------------------------------------------------------------
# Syllables
# --------------------------------------------------------------------------------------------

_ONSETS = frozenset("b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x".split() + [""])
RHYMES = frozenset(
    """
    a ai ao au ay ac ach am an ang anh ap at
    ăc ăm ăn ăng ăp ăt
    âc âm ân âng âp ât âu ây
    e eo ec em en eng ep et
    ê êch êm ên ênh êp êt êu
    i ia ich im in inh ip it iu
    iêc iêm iên iêng iêp iêt iêu
    yêm yên yêng yêt yêu
    o oi oc om on ong op ot ooc oong
    ô ôi ôc ôm ôn ông ôp ôt
    ơ ơi ơm ơn ơp ơt
    u ua ui uc um un ung up ut uôc uôi uôm uôn uông uôp uôt
    ư ưa ưc ưi ưm ưn ưng ưt ưu
    ươc ươi ươm ươn ương ươp ươt ươu
    y
    oa oac oach oai oam oan oang oanh oao oap oat oay
    oăc oăm oăn oăng oăt
    oe oem oen oeo oet
    uy uya uych uyn uynh uyp uyt uyu uyên uyêt
    uê uêch uênh
    uân uâng uât uây
    uơ
    """.split()
)
_STOPS = ("c", "ch", "p", "t")
_FRONT = ("i", "e", "ê", "y")
_VIETNAMESE_BASES = frozenset("abcdđeghiklmnopqrstuvxyăâêôơư")


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """True if ``word`` (any case) is spelled like one Vietnamese syllable: onset + rhyme + tone.

    Accepts both tone placements (``hòa``/``hoà``); rejects f j w z, several tones, a tone on a
    consonant or on the ``u`` of ``qu``, stop-final rhymes with a tone other than sắc or nặng,
    and onset spellings Vietnamese does not use (``ke``/``ca`` yes, ``ce``/``ka`` no).
    """
    chars = _nfc(word.lower())
    bases: list[str] = []
    tone, tone_at = "", -1
    for i, c in enumerate(chars):
        decomposed = unicodedata.normalize("NFD", c)
        marks = "".join(m for m in decomposed if m in TONE_MARKS)
        if marks:
            if tone or len(marks) > 1:
                return False
            tone, tone_at = marks, i
        base = _nfc("".join(m for m in decomposed if m not in TONE_MARKS))
        if base not in _VIETNAMESE_BASES:
            return False
        bases.append(base)
    spelled = "".join(bases)
    if not spelled or (tone and bases[tone_at] not in _TONED_VOWELS):
        return False
    for n in range(min(3, len(spelled)), -1, -1):
        onset, rhyme = spelled[:n], spelled[n:]
        if onset not in _ONSETS or not _rhyme_fits(onset, rhyme):
            continue
        if tone_at >= 0 and tone_at < n:
            continue  # tone on the onset, e.g. on the u of qu
        if rhyme.endswith(_STOPS) and tone not in (ACUTE, DOT):
            continue  # stop finals take only sắc or nặng
        return True
    return False


def _rhyme_fits(onset: str, rhyme: str) -> bool:
    if not rhyme:
        return False
    if onset == "qu":
        return rhyme[0] not in "uưo" and rhyme in RHYMES or "u" + rhyme in RHYMES
    if onset == "gi":  # gia, giữ; giêng = gi + (i)êng
        return rhyme[0] != "i" and (rhyme in RHYMES or "i" + rhyme in RHYMES)
    if rhyme not in RHYMES:
        return False
    front = rhyme.startswith(_FRONT)
    if onset in ("k", "gh", "ngh"):
        return front
    if onset in ("c", "ng"):
        return not front
    if onset == "g":
        return not front or rhyme[0] == "i"  # gì, gìn: gi + (i)
    if rhyme.startswith("y") and len(rhyme) > 1:
        return onset == ""  # yên, yêu; with an onset Vietnamese writes iê
    return True


# --------------------------------------------------------------------------------------------
# Detection
# --------------------------------------------------------------------------------------------

# Frequent syllables of names and places: a tie-break between two readings that are both Vietnamese.
_COMMON = frozenset(
    _nfc(w)
    for w in """
    nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đinh đào trịnh mai
    lương lưu tạ cao chu hà kiều la quách tô tôn thái văn thị hữu đức công quang minh thanh
    thu hương hùng dũng tuấn anh hoa lan hồng ngọc bảo huy hải long nam sơn thắng thành trung
    việt xuân yến vân linh phương thảo trang nga nhung dung hạnh hiền hiếu hiệp hòa hoà khánh
    kiên lâm lộc lợi luân mạnh nghĩa nhân phong phúc quân quốc quý tài tâm thái thiện thịnh
    thủy thuỷ tiến toàn trí trọng tú tùng tường uyên vinh vy đạt định đông giang hạ hậu hiển
    hoài huệ hưng khoa khôi kim lệ liên loan ly mỹ my nhật ninh oanh phú quyên quỳnh sáng
    tân thơ thúy thuý thư tín trâm trinh tuyết vượng xã phường huyện tỉnh thôn xóm ấp nội
    phố đường số phòng ban chi bộ đảng ủy uỷ cơ sở
    """.split()
)
_SURNAMES = frozenset(
    _nfc(w)
    for w in """
    nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đinh đào trịnh mai
    lương lưu tạ cao chu hà kiều la quách tô tôn thái lâm mạc triệu vương từ âu doãn khổng
    """.split()
)
_LEGACY_POSSIBLE = frozenset(c for b in range(256) for c in _byte_chars(b))
_PUNCT = frozenset(
    " \t\r\n–—“”‘’…•‚„†‡‰‹›™" + "".join(chr(i) for i in range(0x21, 0x80) if not chr(i).isalnum())
)
_EDGE_PUNCT = "–—“”‘’…•"  # the cp1252 punctuation a Unicode word may carry (ASCII is split off before)
_SPLIT = re.compile(r"[\s!-/:-@\[-`{-~]+")
_PRIOR = {"unicode": 2, "tcvn3": 1, "vni": 0}


def _plain_ascii(text: str) -> bool:
    """ASCII without control characters (TCVN3's VN1 puts twelve capitals at 0x01–0x17)."""
    return all(" " <= c <= "~" or c in "\t\n\r" for c in text)


def _case_of(w: str) -> str:
    if w.islower():
        return "lower"
    if w.isupper():
        return "upper"
    if w[:1].isupper() and w[1:].islower():
        return "title"
    return "" if not any(c.isalpha() for c in w) else "mixed"


def _case_ok(w: str) -> bool:
    return _case_of(w) != "mixed"


def _scores(text: str) -> dict[str, tuple[int, int, int]] | None:
    """Per hypothesis (valid - invalid words, tie-break points, prior); None if only Unicode is possible."""
    if _plain_ascii(text) or any(c not in _LEGACY_POSSIBLE for c in text):
        return None
    words = [t for t in _SPLIT.split(text) if t and not all(c in _PUNCT for c in t)]
    tokens = [
        (i, t)
        for i, t in enumerate(words)
        if any(c > "\x7f" or c < " " for c in t) and not any("0" <= c <= "9" for c in t)
    ]
    scores = {}
    for enc in DETECTABLE:
        primary = secondary = 0
        for i, token in tokens:
            decoded = decode(token, enc)
            word = decoded.strip(_EDGE_PUNCT)
            if not word:
                continue
            if is_syllable(word):
                primary += 1
                secondary += 4 * (word.lower() in _COMMON) - 2 * (not _case_ok(word))
                if i == 0 and len(words) > 1 and word.lower() in _SURNAMES:
                    secondary += 4  # a name starts with its surname: "Hồ Anh" beats "Hoà Anh"
            else:
                primary -= 1
            if enc == "tcvn3":
                secondary -= sum(c in _VN1_ONLY_CHARS for c in token)  # VN1 codes: rare in files
            elif enc == "vni":
                secondary -= 2 * sum(c in _VNI_MODIFIERS for c in decoded)
        cases = {_case_of(w) for w in _SPLIT.split(decode(text, enc)) if len(w) > 1}
        secondary -= 2 * (len(cases - {""}) > 1)  # "Phan àn" mixes title and lower case; "Phan Ổn" does not
        scores[enc] = (primary, secondary, _PRIOR[enc])
    return scores


def detect(text: str) -> str:
    """Guess the encoding of ``text`` alone: ``"unicode"``, ``"tcvn3"`` or ``"vni"``.

    ASCII, and text holding any character a cp1252 reading of legacy bytes cannot produce
    (``ư``, ``đ``, ``ạ`` …), is Unicode.  Otherwise each reading is scored by its words that are
    Vietnamese syllables (minus those that are not); ties go to the reading whose words are
    common in names and whose case is consistent, then to Unicode, then TCVN3.
    """
    scores = _scores(text)
    if scores is None:
        return "unicode"
    return max(DETECTABLE, key=lambda enc: scores[enc])


def detect_column(values: list[str], *, limit: int = 1000) -> str:
    """The encoding of a column: a majority vote of its non-empty cells that decide.

    A cell decides when it is certainly Unicode or one reading beats the others on words
    alone (not on the tie-breaks); ASCII cells and ambiguous cells abstain, unless no cell
    decides, in which case the summed scores of all cells do.  Only the first ``limit``
    non-ASCII cells are examined (about 0.15 ms each for legacy text).
    """
    votes: Counter[str] = Counter()
    totals = {enc: [0, 0, 0] for enc in DETECTABLE}
    seen = 0
    for value in values:
        if not value or not isinstance(value, str) or _plain_ascii(value):
            continue
        seen += 1
        if seen > limit:
            break
        scores = _scores(value)
        if scores is None:
            votes["unicode"] += 1
            continue
        ranked = sorted(DETECTABLE, key=lambda enc: scores[enc], reverse=True)
        if scores[ranked[0]][0] > scores[ranked[1]][0]:
            votes[ranked[0]] += 1
        for enc in DETECTABLE:
            totals[enc][0] += scores[enc][0]
            totals[enc][1] += scores[enc][1]
    if votes:
        return max(DETECTABLE, key=lambda enc: (votes[enc], _PRIOR[enc]))
    return max(DETECTABLE, key=lambda enc: (*totals[enc][:2], _PRIOR[enc]))
