"""A realistic, gender-aware generator of Vietnamese Party members for demo data.

Pure Python, no Django. Every draw goes through a `random.Random` passed in (or owned by a
`PersonGenerator`), so a seed (and a fixed `today`) gives the same people every time.

Why not Faker: its vi_VN provider mixes male and female name parts freely ("Nguyễn Thị Hùng"),
ignores the surname distribution and knows nothing of the national ID layout.

What is modelled:
- surnames weighted like Vietnam's, biased to the North (Vũ over Võ, Hoàng over Huỳnh) since every
  province here is northern, and ethnic-minority surnames for Mường, Thái, Tày, Dao, ... members;
- middle names by sex and generation (older people far more often "Văn"/"Thị"), sometimes two;
- given names by sex with Zipf-like weights, a few unisex ones;
- a blocklist of top leaders' names, re-drawn on a hit;
- home town / place of birth as commune-level addresses written with the OLD province and district
  names (Phú Thọ, Vĩnh Phúc, Hòa Bình before the 1/7/2025 merger);
- the 12-digit national ID (DOMAIN MEM-8): province code, sex+century digit, 2-digit birth year,
  6-digit serial, unique within a generator run;
- education, professional and political-theory levels, a job title, admission (age 22–40) and the
  official date (admission + 12 months, None while still probationary).
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from itertools import accumulate
from typing import NamedTuple

__all__ = [
    "BLOCKED_NAMES",
    "ETHNICITY_WEIGHTS",
    "FEMALE_GIVEN",
    "FEMALE_MIDDLE",
    "MALE_GIVEN",
    "MALE_MIDDLE",
    "POSITION_POOLS",
    "PROVINCES",
    "PROVINCE_CODES",
    "PROVINCE_WEIGHTS",
    "Person",
    "PersonGenerator",
    "Table",
    "add_months",
    "add_years",
    "is_blocked",
    "make_person",
    "national_id_for",
]


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


class Table(NamedTuple):
    """A weighted list of names (weights need not sum to 1)."""

    names: tuple[str, ...]
    weights: tuple[float, ...]
    cum: tuple[float, ...]

    def share(self, name: str) -> float:
        return self.weights[self.names.index(name)] / sum(self.weights)


def _table(pairs: Sequence[tuple[str, float]]) -> Table:
    names = tuple(_nfc(n) for n, _ in pairs)
    if len(set(names)) != len(names):  # pragma: no cover - guards the tables below
        dupes = sorted({n for n in names if names.count(n) > 1})
        raise ValueError(f"duplicate entries: {dupes}")
    weights = tuple(float(w) for _, w in pairs)
    return Table(names, weights, tuple(accumulate(weights)))


def _zipf(names: Sequence[str], s: float = 0.6) -> Table:
    """Weights 1/rank**s: the list order is the commonness order."""
    return _table([(n, 1.0 / (i + 1) ** s) for i, n in enumerate(names)])


def _pick(rng: random.Random, table: Table) -> str:
    return rng.choices(table.names, cum_weights=table.cum)[0]


# --------------------------------------------------------------------------------------------------
# Provinces (old names, before the 1/7/2025 merger into the new Phú Thọ)
# --------------------------------------------------------------------------------------------------

PROVINCES: tuple[str, ...] = ("Phú Thọ", "Vĩnh Phúc", "Hòa Bình")
#: Province-of-registration codes used in the first three digits of the national ID.
PROVINCE_CODES: dict[str, str] = {"Phú Thọ": "025", "Vĩnh Phúc": "026", "Hòa Bình": "017"}
#: Share of demo members by old province when `province` is not given.
PROVINCE_WEIGHTS: dict[str, float] = {"Phú Thọ": 0.45, "Vĩnh Phúc": 0.32, "Hòa Bình": 0.23}

# (unit type, name) — real district-level units of the old provinces.
_DISTRICTS: dict[str, tuple[tuple[str, str], ...]] = {
    "Phú Thọ": (
        ("thành phố", "Việt Trì"), ("thị xã", "Phú Thọ"), ("huyện", "Đoan Hùng"), ("huyện", "Hạ Hòa"),
        ("huyện", "Thanh Ba"), ("huyện", "Phù Ninh"), ("huyện", "Yên Lập"), ("huyện", "Cẩm Khê"),
        ("huyện", "Tam Nông"), ("huyện", "Lâm Thao"), ("huyện", "Thanh Sơn"), ("huyện", "Thanh Thủy"),
        ("huyện", "Tân Sơn"),
    ),
    "Vĩnh Phúc": (
        ("thành phố", "Vĩnh Yên"), ("thành phố", "Phúc Yên"), ("huyện", "Lập Thạch"), ("huyện", "Tam Dương"),
        ("huyện", "Tam Đảo"), ("huyện", "Bình Xuyên"), ("huyện", "Yên Lạc"), ("huyện", "Vĩnh Tường"),
        ("huyện", "Sông Lô"),
    ),
    "Hòa Bình": (
        ("thành phố", "Hòa Bình"), ("huyện", "Cao Phong"), ("huyện", "Đà Bắc"), ("huyện", "Kim Bôi"),
        ("huyện", "Lạc Sơn"), ("huyện", "Lạc Thủy"), ("huyện", "Lương Sơn"), ("huyện", "Mai Châu"),
        ("huyện", "Tân Lạc"), ("huyện", "Yên Thủy"),
    ),
}

_COMMUNE_FIRST = (
    "An", "Bảo", "Bình", "Cao", "Chí", "Đại", "Đan", "Đồng", "Đông", "Gia", "Hạ", "Hiền", "Hợp", "Hồng",
    "Hùng", "Hương", "Kim", "Lạc", "Liên", "Long", "Minh", "Ngọc", "Nghĩa", "Phú", "Phúc", "Phương",
    "Quang", "Sơn", "Tam", "Tân", "Tề", "Thạch", "Thái", "Thanh", "Thượng", "Tiên", "Trung", "Tứ",
    "Văn", "Vân", "Vĩnh", "Xuân", "Yên",
)
_COMMUNE_SECOND = (
    "An", "Bình", "Châu", "Cương", "Đạo", "Điền", "Đức", "Hòa", "Hội", "Hồng", "Hưng", "Khê", "Lạc",
    "Lâm", "Lập", "Lĩnh", "Lộc", "Lợi", "Lương", "Minh", "Nghĩa", "Ninh", "Phong", "Phú", "Phúc",
    "Quang", "Sơn", "Tân", "Thành", "Thịnh", "Thọ", "Thuận", "Tiến", "Trạch", "Trung", "Tường", "Xá",
    "Xuân", "Yên",
)


def _invent_communes(province: str, district: str, n: int = 8) -> tuple[str, ...]:
    # A string seed is hashed with SHA-512 by `random`, so this is stable across runs and
    # independent of PYTHONHASHSEED.
    r = random.Random(f"dangbo-demo-communes:{province}:{district}")
    out: list[str] = []
    while len(out) < n:
        a, b = r.choice(_COMMUNE_FIRST), r.choice(_COMMUNE_SECOND)
        name = _nfc(f"{a} {b}")
        if a != b and name not in out and name != _nfc(district):
            out.append(name)
    return tuple(out)


_COMMUNES: dict[tuple[str, str], tuple[str, ...]] = {
    (p, d): _invent_communes(p, d) for p, ds in _DISTRICTS.items() for _, d in ds
}


def _address(rng: random.Random, province: str) -> str:
    """A commune-level address with the old district and province names."""
    kind, district = rng.choice(_DISTRICTS[province])
    commune = rng.choice(_COMMUNES[(province, district)])
    if kind == "thành phố":
        unit = "Phường" if rng.random() < 0.7 else "Xã"
    elif kind == "thị xã":
        unit = "Phường" if rng.random() < 0.5 else "Xã"
    else:
        unit = "Xã"
        if rng.random() < 0.1:  # the district town usually carries the district's name
            unit, commune = "Thị trấn", district
    return _nfc(f"{unit} {commune}, {kind} {district}, tỉnh {province}")


# --------------------------------------------------------------------------------------------------
# Ethnicity, religion
# --------------------------------------------------------------------------------------------------

ETHNICITY_WEIGHTS: dict[str, Table] = {
    "Phú Thọ": _table([("Kinh", 90), ("Mường", 7.5), ("Dao", 1.0), ("Sán Chay", 0.5), ("Tày", 0.5),
                       ("Thái", 0.3), ("Nùng", 0.2)]),
    "Vĩnh Phúc": _table([("Kinh", 96), ("Sán Dìu", 2.6), ("Tày", 0.5), ("Nùng", 0.4), ("Mường", 0.3),
                         ("Dao", 0.2)]),
    "Hòa Bình": _table([("Kinh", 60), ("Mường", 32), ("Thái", 4), ("Dao", 2), ("Tày", 1.2), ("Mông", 0.8)]),
}

_RELIGION_KINH = _table([("Không", 89), ("Phật giáo", 8), ("Công giáo", 3)])
_RELIGION_MINORITY = _table([("Không", 96), ("Phật giáo", 2.5), ("Công giáo", 1.5)])


# --------------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------------

# Kinh surnames, weights in percent of the population, already biased to the North: nationally
# Hoàng/Huỳnh is ~5% and Vũ/Võ ~4%, but the North writes Hoàng and Vũ (Huỳnh, Võ are southern).
_SURNAMES_KINH = _table([
    ("Nguyễn", 38.0), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.0), ("Hoàng", 4.8), ("Huỳnh", 0.2),
    ("Phan", 4.5), ("Vũ", 3.8), ("Võ", 0.2), ("Đặng", 2.0), ("Bùi", 2.0), ("Đỗ", 1.4), ("Hồ", 1.3),
    ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5),
    # the tail (~11.5%)
    ("Đinh", 1.2), ("Đào", 1.1), ("Trịnh", 1.0), ("Lương", 0.8), ("Mai", 0.7), ("Hà", 0.8), ("Tạ", 0.6),
    ("Cao", 0.6), ("Kiều", 0.5), ("Quách", 0.3), ("Lưu", 0.5), ("Phùng", 0.6), ("Khuất", 0.3),
    ("Chu", 0.4), ("Văn", 0.3), ("Nghiêm", 0.3), ("Triệu", 0.3), ("Tô", 0.3), ("Đoàn", 0.5),
    ("Thái", 0.2), ("Lại", 0.2), ("Đồng", 0.2), ("Doãn", 0.1), ("Vương", 0.2),
])

# Surnames of the ethnic minorities of the three provinces.
_SURNAMES_MINORITY: dict[str, Table] = {
    # Mường: commoners mostly Bùi; the old noble lineages Đinh, Quách, Bạch, Hà, Xa/Sa.
    "Mường": _table([("Bùi", 42), ("Đinh", 18), ("Quách", 9), ("Xa", 5), ("Hà", 7), ("Sa", 3),
                     ("Bạch", 3), ("Nguyễn", 8), ("Hoàng", 2), ("Lê", 3)]),
    "Thái": _table([("Hà", 25), ("Lò", 20), ("Vi", 12), ("Lường", 12), ("Cầm", 8), ("Sầm", 6),
                    ("Mai", 7), ("Đinh", 5), ("Tòng", 5)]),
    "Tày": _table([("Hoàng", 25), ("Nông", 20), ("Lương", 12), ("Ma", 10), ("Hà", 10), ("Triệu", 8),
                   ("Vi", 6), ("Nguyễn", 9)]),
    "Nùng": _table([("Hoàng", 30), ("Nông", 20), ("Lăng", 10), ("Vi", 12), ("Lục", 8), ("Lý", 10),
                    ("Nguyễn", 10)]),
    "Dao": _table([("Triệu", 30), ("Bàn", 25), ("Đặng", 15), ("Lý", 12), ("Phùng", 8), ("Chảo", 5),
                   ("Lò", 5)]),
    "Sán Dìu": _table([("Lý", 15), ("Diệp", 15), ("Trương", 12), ("Lưu", 12), ("Dương", 10),
                       ("Lâm", 10), ("Trần", 10), ("Hoàng", 8), ("Tạ", 8)]),
    "Sán Chay": _table([("Hoàng", 25), ("Lý", 20), ("Trần", 15), ("Nịnh", 10), ("Lưu", 10),
                        ("Dương", 10), ("Nguyễn", 10)]),
    "Mông": _table([("Giàng", 25), ("Vàng", 20), ("Sùng", 15), ("Thào", 15), ("Lầu", 10), ("Mùa", 8),
                    ("Hờ", 7)]),
}

# Middle names other than Văn / Thị, whose weight depends on the generation (see _van_thi_share).
MALE_MIDDLE = _table([
    ("Đức", 10), ("Minh", 8), ("Hữu", 6), ("Quang", 6), ("Xuân", 5), ("Thanh", 5), ("Công", 5),
    ("Đình", 5), ("Mạnh", 4), ("Ngọc", 4), ("Tiến", 4), ("Trọng", 4), ("Duy", 4), ("Quốc", 4),
    ("Anh", 3), ("Thế", 3), ("Trung", 3), ("Hoàng", 3), ("Viết", 2), ("Tuấn", 2), ("Chí", 2),
    ("Khắc", 2), ("Bá", 2), ("Đăng", 2), ("Hồng", 2), ("Huy", 2), ("Phú", 1), ("Nguyên", 1),
    ("Kim", 1), ("Gia", 1), ("Tất", 1), ("Thái", 1), ("Việt", 2), ("Hải", 1.5), ("Thành", 1.5),
])
FEMALE_MIDDLE = _table([
    ("Thu", 8), ("Thanh", 8), ("Ngọc", 7), ("Hồng", 6), ("Minh", 5), ("Phương", 5), ("Kim", 5),
    ("Thúy", 4), ("Bích", 3), ("Thùy", 3), ("Diệu", 2), ("Hải", 2), ("Hoài", 2), ("Mai", 2),
    ("Lan", 2), ("Khánh", 2), ("Quỳnh", 2), ("Tuyết", 2), ("Việt", 1), ("Cẩm", 1), ("Mỹ", 1),
    ("Hà", 1), ("Thảo", 1), ("Vân", 1), ("Bảo", 1), ("Hương", 1.5), ("Huyền", 1),
])
# Second middle names (the "Thu" of "Nguyễn Thị Thu Hà", the "Minh" of "Lê Đức Minh Tuấn").
_FEMALE_SECOND_MIDDLE = _table([
    ("Thu", 10), ("Thanh", 9), ("Ngọc", 8), ("Kim", 7), ("Minh", 5), ("Phương", 5), ("Hồng", 6),
    ("Thúy", 4), ("Bích", 4), ("Thùy", 3), ("Diệu", 2), ("Hải", 2), ("Hoài", 2), ("Mai", 2), ("Lan", 2),
    ("Khánh", 2), ("Quỳnh", 2), ("Tuyết", 2), ("Vân", 2), ("Cẩm", 1), ("Mỹ", 1), ("Hương", 2),
])
_MALE_FIRST_OF_TWO = _table([("Văn", 5), ("Đức", 4), ("Hữu", 3), ("Công", 2), ("Đình", 2), ("Quang", 2),
                             ("Xuân", 1), ("Ngọc", 1)])
_MALE_SECOND_MIDDLE = _table([("Minh", 6), ("Quốc", 4), ("Anh", 4), ("Thành", 3), ("Hoàng", 3),
                              ("Tuấn", 2), ("Trung", 2), ("Việt", 3), ("Hải", 2), ("Bảo", 1)])

# Given names in commonness order (weights are Zipf-like on the rank). Minh, Thanh, Anh are unisex.
MALE_GIVEN = _zipf([
    "Hùng", "Dũng", "Tuấn", "Cường", "Hải", "Long", "Nam", "Thắng", "Hưng", "Sơn", "Trung", "Đức",
    "Quân", "Huy", "Hoàng", "Minh", "Tùng", "Thành", "Phong", "Khánh", "Anh", "Việt", "Hiếu", "Toàn",
    "Bình", "Quang", "Hòa", "Tiến", "Thịnh", "Vinh", "Kiên", "Lâm", "Chiến", "Hậu", "Phúc", "Tâm",
    "Đạt", "Tài", "Lợi", "Thái", "Hiệp", "Khoa", "Nghĩa", "Thanh", "Tú", "Vũ", "Định", "Trường",
    "Luân", "Quý", "Hào", "Duy", "Thuận", "Hoan", "Công", "Thọ", "Bảo", "Dương", "Hiển", "Lực",
    "Mạnh", "Chính", "Trọng", "Tân", "Thông", "Khải", "Nhật", "Vượng", "Hướng", "Tuyên", "Lượng",
    "Thiện", "Lộc", "Quyết", "Sỹ", "Bắc",
])
FEMALE_GIVEN = _zipf([
    "Hà", "Hương", "Lan", "Hằng", "Linh", "Trang", "Thủy", "Hoa", "Nga", "Huyền", "Mai", "Thảo",
    "Phương", "Hạnh", "Yến", "Loan", "Dung", "Ngọc", "Oanh", "Anh", "Nhung", "Hiền", "Hồng", "Thu",
    "Vân", "Liên", "Quỳnh", "Ly", "Chi", "Giang", "Nhàn", "Thúy", "Tuyết", "Xuân", "Hảo", "Ngân",
    "Nguyệt", "Bích", "Duyên", "Hoài", "Huệ", "Lệ", "Nhi", "Quyên", "Thắm", "Thơm", "Thoa", "Trâm",
    "Uyên", "Vy", "Gấm", "Lụa", "Mến", "Phượng", "Tươi", "Thư", "Diễm", "My", "Ánh", "Thanh", "Minh",
    "Hiên", "Dịu", "Lành", "Luyến", "Nhài", "Sen", "Xoan", "Huế", "Châm",
])

_MALE_GIVEN_SET = frozenset(MALE_GIVEN.names)
_FEMALE_GIVEN_SET = frozenset(FEMALE_GIVEN.names)
#: Given names that only occur for one sex in this generator.
FEMALE_ONLY_GIVEN = _FEMALE_GIVEN_SET - _MALE_GIVEN_SET
MALE_ONLY_GIVEN = _MALE_GIVEN_SET - _FEMALE_GIVEN_SET

#: Exact names of top leaders (past and present) that a demo must never show; compared after NFC
#: normalisation and case folding. A hit re-draws the name.
BLOCKED_NAMES: frozenset[str] = frozenset(_nfc(n).casefold() for n in (
    "Hồ Chí Minh", "Võ Nguyên Giáp", "Tô Lâm", "Đặng Xuân Phong", "Nguyễn Phú Trọng",
    "Phạm Minh Chính", "Lương Cường", "Trần Thanh Mẫn", "Võ Văn Thưởng", "Nguyễn Xuân Phúc",
    "Vương Đình Huệ", "Trần Đại Quang", "Nguyễn Tấn Dũng", "Trương Tấn Sang", "Nông Đức Mạnh",
    "Lê Khả Phiêu", "Đỗ Mười", "Lê Duẩn", "Trường Chinh", "Phạm Văn Đồng", "Nguyễn Thị Kim Ngân",
    "Võ Thị Ánh Xuân", "Trần Cẩm Tú", "Trần Hồng Hà", "Nguyễn Hòa Bình", "Lê Minh Hưng",
    "Phan Văn Giang", "Bùi Thanh Sơn", "Nguyễn Văn Nên", "Trần Quốc Vượng", "Phan Văn Khải",
    "Nguyễn Minh Triết", "Nguyễn Văn Linh", "Đỗ Văn Chiến", "Lương Tam Quang", "Nguyễn Trọng Nghĩa",
    # well-known non-political figures the tables can produce
    "Hồ Ngọc Hà", "Nguyễn Quang Hải", "Đặng Văn Lâm", "Nguyễn Công Phượng",
))


def is_blocked(full_name: str) -> bool:
    return _nfc(full_name).casefold() in BLOCKED_NAMES


def _van_thi_share(sex: str, birth_year: int) -> float:
    """How often the first middle name is Văn (men) / Thị (women), by generation."""
    if sex == "F":
        bands = ((1975, 0.85), (1985, 0.70), (1995, 0.50))
        young = 0.30
    else:
        bands = ((1975, 0.55), (1985, 0.45), (1995, 0.30))
        young = 0.15
    for upto, share in bands:
        if birth_year < upto:
            return share
    return young


def _draw_name(rng: random.Random, sex: str, birth_year: int, ethnicity: str) -> tuple[str, str, str]:
    """(surname, middle, given); middle may hold two words or (rarely) be empty."""
    surnames = _SURNAMES_MINORITY.get(ethnicity, _SURNAMES_KINH)
    surname = _pick(rng, surnames)
    minority = ethnicity != "Kinh"
    # Minority members are registered with Văn/Thị far more often.
    van_thi = min(0.95, _van_thi_share(sex, birth_year) + (0.3 if minority else 0.0))
    given_table = FEMALE_GIVEN if sex == "F" else MALE_GIVEN
    for _ in range(100):
        given = _pick(rng, given_table)
        roll = rng.random()
        if sex == "F":
            if roll < 0.18:  # two middle names: "Thị X"
                middle = ["Thị", _pick(rng, _FEMALE_SECOND_MIDDLE)]
            elif roll < 0.995:
                middle = ["Thị" if rng.random() < van_thi else _pick(rng, FEMALE_MIDDLE)]
            else:
                middle = []
        else:
            if roll < 0.06:
                middle = [_pick(rng, _MALE_FIRST_OF_TWO), _pick(rng, _MALE_SECOND_MIDDLE)]
            elif roll < 0.985:
                middle = ["Văn" if rng.random() < van_thi else _pick(rng, MALE_MIDDLE)]
            else:  # "Lương Cường", "Đỗ Mười": no middle name
                middle = []
        words = [*middle, given]
        if len(set(words)) == len(words):  # no "Minh Minh", no "Thu Thu"
            return surname, _nfc(" ".join(middle)), given
    raise RuntimeError("could not draw a name")  # pragma: no cover


# --------------------------------------------------------------------------------------------------
# Work and levels
# --------------------------------------------------------------------------------------------------

# position -> (weight, minimum age)
POSITION_POOLS: dict[str, dict[str, tuple[float, int]]] = {
    "office": {
        "Nhân viên": (9, 20), "Chuyên viên": (40, 22), "Chuyên viên chính": (15, 33),
        "Chuyên viên cao cấp": (2, 45), "Phó Trưởng phòng": (10, 32), "Trưởng phòng": (6, 38),
        "Phó Chánh Văn phòng": (1.5, 40), "Kế toán viên": (3, 22), "Văn thư": (3, 20), "Lái xe": (5, 21),
    },
    "front": {
        "Nhân viên": (9, 20), "Chuyên viên": (48, 22), "Chuyên viên chính": (12, 33),
        "Phó Trưởng ban": (8, 32), "Trưởng ban": (4, 38), "Kế toán viên": (4, 22), "Lái xe": (4, 21),
        "Văn thư": (3, 20),
    },
    "press": {
        "Phóng viên": (35, 22), "Biên tập viên": (25, 24), "Kỹ thuật viên": (10, 20),
        "Phó Trưởng phòng": (8, 32), "Trưởng phòng": (5, 38), "Phó Tổng Biên tập": (1, 42),
        "Nhân viên": (8, 20), "Kế toán viên": (3, 22),
    },
    "school": {
        "Giảng viên": (40, 23), "Giảng viên chính": (15, 33), "Phó Trưởng khoa": (6, 33),
        "Trưởng khoa": (3, 40), "Chuyên viên": (20, 22), "Phó Trưởng phòng": (5, 32),
        "Trưởng phòng": (3, 38), "Nhân viên": (8, 20),
    },
    "project": {
        "Kỹ sư": (35, 22), "Chuyên viên": (25, 22), "Phó Trưởng phòng": (8, 32), "Trưởng phòng": (5, 38),
        "Kế toán viên": (8, 22), "Nhân viên": (10, 20), "Phó Giám đốc": (1, 40),
    },
}
POSITION_POOLS = {k: {_nfc(p): v for p, v in pool.items()} for k, pool in POSITION_POOLS.items()}

_MANUAL = frozenset({"Nhân viên", "Lái xe", "Văn thư", "Kỹ thuật viên"})
_LEADING = frozenset({
    "Phó Trưởng phòng", "Trưởng phòng", "Phó Chánh Văn phòng", "Phó Trưởng ban", "Trưởng ban",
    "Phó Tổng Biên tập", "Phó Trưởng khoa", "Trưởng khoa", "Phó Giám đốc",
})
_SENIOR = frozenset({"Chuyên viên chính", "Chuyên viên cao cấp", "Giảng viên chính"})
RETIREMENT_AGE = 62


# Jobs held far more often by one sex (multiplier on the pool weight).
_SEX_BIAS = {
    "F": {"Lái xe": 0.0, "Kỹ thuật viên": 0.3, "Kỹ sư": 0.5},
    "M": {"Kế toán viên": 0.35, "Văn thư": 0.25},
}


def _position(rng: random.Random, workplace: str, age: int, sex: str) -> str:
    try:
        pool = POSITION_POOLS[workplace]
    except KeyError:
        raise ValueError(f"unknown workplace {workplace!r}; one of {sorted(POSITION_POOLS)}") from None
    bias = _SEX_BIAS[sex]
    eligible = [(p, w * bias.get(p, 1.0)) for p, (w, min_age) in pool.items() if age >= min_age]
    eligible = [(p, w) for p, w in eligible if w > 0] or [("Nhân viên", 1.0)]
    return rng.choices([p for p, _ in eligible], weights=[w for _, w in eligible])[0]


def _professional_level(rng: random.Random, position: str, age: int, workplace: str) -> str:
    if position in _MANUAL:
        table = [("Trung cấp", 25), ("Cao đẳng", 30), ("Đại học", 45)]
    else:
        masters = 40 if workplace == "school" else 25
        table = [("Cao đẳng", 4), ("Đại học", 100 - masters - 4 - 3), ("Thạc sĩ", masters), ("Tiến sĩ", 3)]
        if position in _LEADING or position in _SENIOR:
            table = [(lvl, w * (2 if lvl in ("Thạc sĩ", "Tiến sĩ") else 1)) for lvl, w in table if lvl != "Cao đẳng"]
    if age < 28:
        table = [(lvl, w) for lvl, w in table if lvl != "Tiến sĩ"]
    if age < 24:
        table = [(lvl, w) for lvl, w in table if lvl != "Thạc sĩ"]
    return rng.choices([lvl for lvl, _ in table], weights=[w for _, w in table])[0]


def _political_theory(rng: random.Random, position: str, age: int) -> str:
    if position in _MANUAL:
        table = [("Sơ cấp", 85), ("Trung cấp", 15)]
    elif position in _LEADING:
        table = [("Trung cấp", 15), ("Cao cấp", 70), ("Cử nhân", 15)]
    elif position in _SENIOR:
        table = [("Trung cấp", 40), ("Cao cấp", 50), ("Cử nhân", 10)]
    else:
        table = [("Sơ cấp", 45), ("Trung cấp", 45), ("Cao cấp", 6), ("Cử nhân", 4)]
        if age < 30:
            table = [("Sơ cấp", 75), ("Trung cấp", 25)]
    return rng.choices([lvl for lvl, _ in table], weights=[w for _, w in table])[0]


# --------------------------------------------------------------------------------------------------
# Dates and the national ID
# --------------------------------------------------------------------------------------------------


def add_years(d: date, years: int) -> date:
    """`d` moved by whole years; 29/2 becomes 28/2 in a non-leap year."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def add_months(d: date, months: int) -> date:
    """`d` moved by whole months, clamped to the month's last day."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, min(d.day, day))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def national_id_for(province: str, sex: str, birth_year: int, serial: int) -> str:
    """The 12-digit ID of DOMAIN MEM-8: province code, sex+century, 2-digit year, 6-digit serial."""
    if not 1900 <= birth_year <= 2099:
        raise ValueError(f"birth year {birth_year} outside 1900–2099")
    if sex not in ("M", "F"):
        raise ValueError(f"sex must be 'M' or 'F', not {sex!r}")
    century = 0 if birth_year < 2000 else 2
    digit = century + (1 if sex == "F" else 0)
    return f"{PROVINCE_CODES[province]}{digit}{birth_year % 100:02d}{serial:06d}"


# --------------------------------------------------------------------------------------------------
# The person
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    surname: str
    middle: str  # "" or one or two words
    given: str
    full_name: str  # NFC
    sex: str  # "M" | "F"
    birth_date: date
    place_of_birth: str
    home_town: str
    home_province: str  # old province name of the home town
    birth_province: str  # old province of birth registration (national ID prefix)
    ethnicity: str
    religion: str
    national_id: str
    education: str  # general education, "12/12"
    professional_level: str
    political_theory_level: str
    position: str
    admission_date: date  # the admission decision (party age counts from it, MEM-1)
    official_date: date | None  # None while still probationary
    ceremony_date: date | None = None  # the admission ceremony, a few weeks later (probation counts from it)

    @property
    def is_probationary(self) -> bool:
        return self.official_date is None

    def age_on(self, on: date) -> int:
        return _age_on(self.birth_date, on)

    def to_dict(self) -> dict:
        return asdict(self)


ADMISSION_AGE = (22, 40)
MIN_ADMISSION_AGE = 18  # Party Charter
PROBATION_MONTHS = 12


def _choose_province(rng: random.Random) -> str:
    return rng.choices(PROVINCES, weights=[PROVINCE_WEIGHTS[p] for p in PROVINCES])[0]


def _shift_off_weekend(d: date, lo: date, hi: date) -> date:
    if d.weekday() < 5:
        return d
    back = d - timedelta(days=d.weekday() - 4)
    if back >= lo:
        return back
    fwd = d + timedelta(days=7 - d.weekday())
    return fwd if fwd <= hi else d


def _birth_and_admission(
    rng: random.Random,
    birth_year_range: tuple[int, int],
    today: date,
    admitted_between: tuple[date | None, date | None] | None,
) -> tuple[date, date]:
    lo_adm, hi_adm = admitted_between or (None, None)
    hi_adm = min(hi_adm or today, today)
    if lo_adm is not None and lo_adm > hi_adm:
        raise ValueError(f"empty admission window {lo_adm}..{hi_adm}")
    y_lo, y_hi = birth_year_range
    if y_lo > y_hi:
        raise ValueError(f"empty birth_year_range {birth_year_range}")
    # Born early enough to be admitted by `hi_adm`.
    y_hi = min(y_hi, hi_adm.year - MIN_ADMISSION_AGE - 1)
    if admitted_between is not None and admitted_between != (None, None):
        # The admission window wins over the birth-year range when they do not meet.
        w_lo = lo_adm.year - ADMISSION_AGE[1] if lo_adm is not None else y_lo
        w_hi = hi_adm.year - ADMISSION_AGE[0]
        if max(y_lo, w_lo) <= min(y_hi, w_hi):
            y_lo, y_hi = max(y_lo, w_lo), min(y_hi, w_hi)
        else:
            y_lo = w_lo if lo_adm is not None else w_hi - (ADMISSION_AGE[1] - ADMISSION_AGE[0])
            y_hi = min(w_hi, hi_adm.year - MIN_ADMISSION_AGE - 1)
    if y_lo > y_hi:
        raise ValueError(f"nobody born in {birth_year_range} can be admitted by {hi_adm}")

    for attempt in range(200):
        year = rng.randint(y_lo, y_hi)
        birth = _random_date(rng, date(year, 1, 1), date(year, 12, 31))
        ages = ADMISSION_AGE if attempt < 150 else (MIN_ADMISSION_AGE, 60)
        start = add_years(birth, ages[0])
        end = min(add_years(birth, ages[1]), hi_adm)
        if lo_adm is not None:
            start = max(start, lo_adm)
        if start > end and lo_adm is None:
            # Too young for the 22–40 band: admitted at 18+ (rare, only near the range's end).
            start = add_years(birth, MIN_ADMISSION_AGE)
        if start <= end:
            adm = _shift_off_weekend(_random_date(rng, start, end), start, end)
            return birth, adm
    raise ValueError(f"cannot place an admission in {admitted_between} for births {y_lo}–{y_hi}")


def make_person(
    rng: random.Random,
    *,
    sex: str | None = None,
    birth_year_range: tuple[int, int] = (1965, 2002),
    province: str | None = None,
    today: date | None = None,
    workplace: str = "office",
    admitted_between: tuple[date | None, date | None] | None = None,
    taken_ids: set[str] | None = None,
) -> Person:
    """One Party member drawn from `rng`.

    sex: "M" / "F" or None (about 55% men, as in provincial Party agencies).
    province: old province of the home town ("Phú Thọ", "Vĩnh Phúc", "Hòa Bình"), or None for the
        demo mix (PROVINCE_WEIGHTS).
    today: reference date for admission / official date and age-dependent titles (default: today).
    workplace: key of POSITION_POOLS ("office", "front", "press", "school", "project").
    admitted_between: (earliest, latest) admission date, either end None; used to place probationary
        members or badge tiers. It overrides `birth_year_range` when the two cannot both hold.
    taken_ids: national IDs already issued; the new one is added to it (uniqueness per run).
    """
    today = today or date.today()
    if sex is None:
        sex = "M" if rng.random() < 0.55 else "F"
    elif sex not in ("M", "F"):
        raise ValueError(f"sex must be 'M', 'F' or None, not {sex!r}")
    if province is None:
        province = _choose_province(rng)
    elif province not in PROVINCE_CODES:
        raise ValueError(f"unknown province {province!r}; one of {PROVINCES}")

    birth, admission = _birth_and_admission(rng, birth_year_range, today, admitted_between)
    ceremony = min(admission + timedelta(days=ceremony_delay_days(admission, birth)), today)
    official = add_months(ceremony, PROBATION_MONTHS)  # MEM-1: 12 months from the ceremony
    official_date = official if official <= today else None

    ethnicity = _pick(rng, ETHNICITY_WEIGHTS[province])
    religion = _pick(rng, _RELIGION_KINH if ethnicity == "Kinh" else _RELIGION_MINORITY)
    for _ in range(1000):
        surname, middle, given = _draw_name(rng, sex, birth.year, ethnicity)
        full_name = _nfc(" ".join(w for w in (surname, middle, given) if w))
        if not is_blocked(full_name):
            break
    else:  # pragma: no cover
        raise RuntimeError("every drawn name was blocked")

    home_town = _address(rng, province)
    if rng.random() < 0.65:
        birth_province, place_of_birth = province, home_town
    else:
        birth_province = province if rng.random() < 0.7 else rng.choice([p for p in PROVINCES if p != province])
        place_of_birth = _address(rng, birth_province)

    for _ in range(10_000):
        nid = national_id_for(birth_province, sex, birth.year, rng.randrange(1_000_000))
        if taken_ids is None or nid not in taken_ids:
            break
    else:  # pragma: no cover
        raise RuntimeError("national ID space exhausted")
    if taken_ids is not None:
        taken_ids.add(nid)

    age = _age_on(birth, today)
    title = _position(rng, workplace, min(age, RETIREMENT_AGE - 1), sex)
    professional = _professional_level(rng, title, age, workplace)
    theory = _political_theory(rng, title, age)
    # Retired members still attached to the agency are shown by their former title.
    position = f"Nguyên {title}" if age >= RETIREMENT_AGE else title
    education = "10/10" if birth.year < 1964 and rng.random() < 0.7 else "12/12"

    return Person(
        surname=surname,
        middle=middle,
        given=given,
        full_name=full_name,
        sex=sex,
        birth_date=birth,
        place_of_birth=place_of_birth,
        home_town=home_town,
        home_province=province,
        birth_province=birth_province,
        ethnicity=ethnicity,
        religion=religion,
        national_id=nid,
        education=education,
        professional_level=professional,
        political_theory_level=theory,
        position=position,
        admission_date=admission,
        official_date=official_date,
        ceremony_date=ceremony,
    )


def ceremony_delay_days(admission: date, birth: date) -> int:
    """Days from the admission decision to the ceremony: 14 to 42 (ADM-5: within 30 working days),
    derived from the two dates so the seeded random stream of everything else is unchanged."""
    return 14 + (admission.toordinal() * 31 + birth.toordinal()) % 29


class PersonGenerator:
    """A seeded stream of people with national IDs unique within the stream.

    Two generators with the same seed (and `today`) yield the same sequence.
    """

    def __init__(self, seed: int | str, *, today: date | None = None) -> None:
        self.seed = seed
        self.today = today or date.today()
        self.rng = random.Random(seed)
        self._ids: set[str] = set()

    def person(self, **kw) -> Person:
        kw.setdefault("today", self.today)
        return make_person(self.rng, taken_ids=self._ids, **kw)

    def people(self, n: int, **kw) -> list[Person]:
        return [self.person(**kw) for _ in range(n)]

    @property
    def issued_ids(self) -> frozenset[str]:
        return frozenset(self._ids)
