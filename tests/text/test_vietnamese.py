import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangbo.text.vietnamese import (
    TONE_MARKS,
    fold,
    nfc,
    split_name,
    strip_tone,
    title_name,
    tone_of,
    unify_tones,
)

LOWER_VOWELS = [unicodedata.normalize("NFC", v + t) for v in "aăâeêioôơuưy" for t in ("", *TONE_MARKS)]
VOWELS = LOWER_VOWELS + [v.upper() for v in LOWER_VOWELS]
CONSONANTS = "bcdđghklmnpqrstvx" + "BCDĐGHKLMNPQRSTVX"
LETTERS = "".join(VOWELS) + CONSONANTS

INITIALS = [
    "",
    "b",
    "c",
    "ch",
    "d",
    "đ",
    "g",
    "gh",
    "gi",
    "h",
    "k",
    "kh",
    "l",
    "m",
    "n",
    "ng",
    "ngh",
    "nh",
    "p",
    "ph",
    "qu",
    "r",
    "s",
    "t",
    "th",
    "tr",
    "v",
    "x",
]
NUCLEI = [
    "a",
    "oa",
    "oe",
    "uy",
    "uyê",
    "oai",
    "oay",
    "uyu",
    "ươ",
    "iê",
    "ưa",
    "ua",
    "ia",
    "ê",
    "ô",
    "ơ",
    "ăn",
]
FINALS = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t", "i", "u", "o", "y"]


@st.composite
def syllables(draw):
    """Vietnamese-shaped syllables, with a tone on a random vowel and random case."""
    nucleus = draw(st.sampled_from(NUCLEI))
    at = draw(st.integers(0, len(nucleus) - 1))
    tone = draw(st.sampled_from(("", *TONE_MARKS)))
    nucleus = nucleus[: at + 1] + tone + nucleus[at + 1 :]
    word = draw(st.sampled_from(INITIALS)) + nucleus + draw(st.sampled_from(FINALS))
    case = draw(st.sampled_from([str.lower, str.upper, str.capitalize]))
    return unicodedata.normalize("NFC", case(word))


words = st.one_of(syllables(), st.text(alphabet=LETTERS, min_size=1, max_size=8))
phrases = st.lists(words, max_size=5).map(" ".join)
any_text = st.one_of(phrases, st.text(max_size=20))


def test_letter_inventory():
    assert len(set(VOWELS)) == 144 and all(len(v) == 1 for v in VOWELS)


def test_nfc():
    assert nfc("  Nguye\u0302\u0303n \t Văn\nHùng ") == "Nguyễn Văn Hùng"
    assert nfc("") == ""


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Nguyễn Văn Hùng", "nguyen van hung"),
        ("ĐẶNG", "dang"),
        ("hoà", "hoa"),
        ("hòa", "hoa"),
        ("thuỷ", "thuy"),
        ("thủy", "thuy"),
        (" Trần   Thị Ánh ", "tran thi anh"),
        ("Phạm Ngọc Đức", "pham ngoc duc"),
    ],
)
def test_fold_examples(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("new", "classic"),
    [
        ("hoà", "hòa"),
        ("Thuỷ", "Thủy"),
        ("hoè", "hòe"),
        ("khoẻ", "khỏe"),
        ("uỳ", "ùy"),
        ("HOÀ", "HÒA"),
        ("KHOẺ", "KHỎE"),
        ("uỷ ban", "ủy ban"),
        ("Nguyễn Thị Hoà", "Nguyễn Thị Hòa"),
        ("hòang", "hoàng"),
    ],
)
def test_unify_tones_examples(new, classic):
    assert unify_tones(new) == classic
    assert unify_tones(classic) == classic


@pytest.mark.parametrize(
    "kept",
    [
        "hoàng",
        "thuyết",
        "Nguyễn",
        "ngoài",
        "xoáy",
        "khuỷu",
        "quý",
        "quả",
        "huệ",
        "thuở",
        "già",
        "hoặc",
        "khuỳnh",
        "Toyotà",
        "a-hòa",
        "hoa",
    ],
)
def test_unify_tones_leaves_settled_spellings(kept):
    assert unify_tones(kept) == kept


def test_tone_helpers():
    assert strip_tone("Nguyễn Đặng") == "Nguyên Đăng"
    assert [tone_of(s) for s in ("ma", "mà", "mả", "mã", "má", "mạ")] == ["", *TONE_MARKS]


@pytest.mark.parametrize(
    ("raw", "titled"),
    [
        ("NGUYỄN VĂN HÙNG", "Nguyễn Văn Hùng"),
        ("đặng thị thu", "Đặng Thị Thu"),
        ("  ưng  hoàng phúc", "Ưng Hoàng Phúc"),
        ("ÂU dương", "Âu Dương"),
        ("lê-nguyễn", "Lê-Nguyễn"),
    ],
)
def test_title_name(raw, titled):
    assert title_name(raw) == titled


@pytest.mark.parametrize(
    ("full", "parts"),
    [
        ("Nguyễn Văn Hùng", ("Nguyễn", "Văn", "Hùng")),
        ("Nguyễn Thị Minh Khai", ("Nguyễn", "Thị Minh", "Khai")),
        ("Lê Lợi", ("Lê", "", "Lợi")),
        ("Hùng", ("", "", "Hùng")),
        ("  ", ("", "", "")),
        (" Trần  Hưng   Đạo ", ("Trần", "Hưng", "Đạo")),
    ],
)
def test_split_name(full, parts):
    assert split_name(full) == parts


@given(any_text)
def test_fold_idempotent_and_bare(s):
    folded = fold(s)
    assert fold(folded) == folded
    assert not any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", folded))
    assert "đ" not in folded and "Đ" not in folded


@given(phrases)
def test_fold_of_vietnamese_is_ascii(s):
    assert fold(s).isascii()


@given(any_text)
def test_unify_tones_idempotent_and_fold_invariant(s):
    unified = unify_tones(s)
    assert unify_tones(unified) == unified
    assert fold(unified) == fold(s)
    assert unicodedata.is_normalized("NFC", unified)


@given(
    st.sampled_from([i for i in INITIALS if i not in ("gi", "qu")]),
    st.sampled_from(["oa", "oe", "uy"]),
    st.sampled_from(TONE_MARKS),
    st.sampled_from(["", "c", "ch", "n", "ng", "nh", "t"]),
    st.sampled_from([str.lower, str.upper, str.capitalize]),
)
def test_unify_tones_old_and_new_style_agree(initial, nucleus, tone, final, case):
    def spell(at):
        return unicodedata.normalize(
            "NFC", case(initial + nucleus[: at + 1] + tone + nucleus[at + 1 :] + final)
        )

    canonical = spell(1 if final else 0)
    assert unify_tones(spell(0)) == unify_tones(spell(1)) == canonical


@given(any_text)
def test_nfc_idempotent(s):
    assert nfc(nfc(s)) == nfc(s)


@given(phrases)
def test_title_name_idempotent(s):
    assert title_name(title_name(s)) == title_name(s)


@given(any_text)
def test_split_name_rejoins(s):
    assert " ".join(p for p in split_name(s) if p) == nfc(s)
