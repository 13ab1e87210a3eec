import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangbo.text.collation import name_key, name_sort_string, word_key
from dangbo.text.vietnamese import TONE_MARKS, unify_tones

LOWER_VOWELS = [unicodedata.normalize("NFC", v + t) for v in "aăâeêioôơuưy" for t in ("", *TONE_MARKS)]
LOWER = "".join(LOWER_VOWELS) + "bcdđghklmnpqrstvx" + "fjwz"
MIXED = LOWER + LOWER.upper()

lower_words = st.text(alphabet=LOWER, max_size=7)
mixed_words = st.text(alphabet=MIXED + " ", max_size=7).map(lambda s: " ".join(s.split()))
names = st.tuples(lower_words, lower_words, lower_words)

GIVEN_NAMES = """
Anh Ánh Ân An Ấn Bình Bích Chi Chí Cường Cương Dũng Dung Duy Đức Đăng Giang Hà Hải Hạnh Hằng Hậu
Hòa Hoàng Hùng Hưng Khánh Khoa Lan Linh Loan Long Mai Minh Nam Nga Ngọc Nhung Phúc Phương Quân Quý
Sơn Tâm Thảo Thủy Trang Tú Tuấn Út Ưng Vân Vy Xuân Yến
""".split()


def sign(a, b):
    return (a > b) - (a < b)


def test_alphabet_order():
    alphabet = "a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y".split()
    assert sorted(reversed(alphabet), key=word_key) == alphabet
    toned = "ma mà mả mã má mạ".split()
    assert sorted(reversed(toned), key=word_key) == toned


@pytest.mark.parametrize(
    ("lo", "hi"),
    [
        ("an", "anh"),
        ("anh", "ánh"),
        ("ánh", "ăn"),
        ("ăn", "ân"),
        ("dũng", "đức"),
        ("đức", "em"),
        ("hà", "hạnh"),
        ("hải", "hạnh"),
        ("a", "A"),
        ("anh", "Anh"),
        ("Anh", "ánh"),
        ("yến", "zô"),
        ("ưng", "văn"),
        ("an", "an b"),
    ],
)
def test_word_key_pairs(lo, hi):
    assert word_key(lo) < word_key(hi)


def test_name_key_given_first_then_surname_then_middle():
    people = [
        ("Trần", "Văn", "Bình"),
        ("Nguyễn", "Thị", "Anh"),
        ("Lê", "Văn", "Anh"),
        ("Lê", "", "Anh"),
        ("Nguyễn", "Văn", "An"),
    ]
    ordered = sorted(people, key=lambda p: name_key(*p))
    assert ordered == [
        ("Nguyễn", "Văn", "An"),
        ("Lê", "", "Anh"),
        ("Lê", "Văn", "Anh"),
        ("Nguyễn", "Thị", "Anh"),
        ("Trần", "Văn", "Bình"),
    ]
    assert name_key("Lê", "Thị", "Hoà") == name_key("Lê", "Thị", "Hòa")


def test_name_sort_string_examples():
    assert name_sort_string("Nguyễn", "Văn", "An").isdigit()
    assert name_sort_string("", "", "An") < name_sort_string("", "", "Anh") < name_sort_string("A", "", "Ánh")
    assert name_sort_string("Z", "", "An") < name_sort_string("A", "", "Anh")  # given name boundary respected
    assert name_sort_string("Lê", "", "Hoà") == name_sort_string("Lê", "", "Hòa")


@given(names, names)
def test_name_sort_string_order_matches_name_key(a, b):
    assert sign(name_sort_string(*a), name_sort_string(*b)) == sign(name_key(*a), name_key(*b))


@given(st.tuples(mixed_words, mixed_words, mixed_words), st.tuples(mixed_words, mixed_words, mixed_words))
def test_name_sort_string_order_matches_name_key_mixed_case(a, b):
    assert sign(name_sort_string(*a), name_sort_string(*b)) == sign(name_key(*a), name_key(*b))


# --- against an independent reference: ICU's Vietnamese collator --------------------------------------------


@pytest.fixture(scope="module")
def icu_vi():
    icu = pytest.importorskip(
        "icu", reason="PyICU (pip package pyicu-wheels) is needed for the ICU reference"
    )
    return icu.Collator.createInstance(icu.Locale("vi"))


@given(lower_words, lower_words)
def test_word_key_matches_icu(icu_vi, a, b):
    assert sign(word_key(a), word_key(b)) == icu_vi.compare(a, b)


@given(mixed_words, mixed_words)
def test_word_key_matches_icu_with_case_and_spaces(icu_vi, a, b):
    assert sign(word_key(a), word_key(b)) == icu_vi.compare(a, b)


@given(names, names)
def test_name_key_matches_icu(icu_vi, a, b):
    def icu_key(surname, middle, given):
        return tuple(icu_vi.getSortKey(unify_tones(p)) for p in (given, surname, middle))

    assert sign(name_key(*a), name_key(*b)) == sign(icu_key(*a), icu_key(*b))


def test_given_names_sorted_like_icu(icu_vi):
    shuffled = sorted(GIVEN_NAMES, key=lambda s: s[::-1])
    assert sorted(shuffled, key=word_key) == sorted(shuffled, key=icu_vi.getSortKey)
    assert sorted(shuffled, key=word_key)[:6] == ["An", "Anh", "Ánh", "Ân", "Ấn", "Bích"]
