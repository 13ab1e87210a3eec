import pytest

from dangbo.registry.headers import (
    FIELDS,
    TARGETS,
    find_header,
    header_key,
    is_mark_column,
    map_row,
    match_header,
)
from dangbo.text.encodings import encode

VARIANTS = [
    # names
    ("Họ và tên", "full_name"),
    ("Họ tên", "full_name"),
    ("HỌ VÀ TÊN", "full_name"),
    ("ho_ten", "full_name"),
    ("Ho va ten", "full_name"),
    ("Họ và tên đảng viên", "full_name"),
    ("1. Họ và tên", "full_name"),
    ("(2) Họ và tên", "full_name"),
    ("Họ và tên (2)", "full_name"),
    ("HỌ  TÊN:", "full_name"),
    ("Họ và đệm", "surname_middle"),
    ("Họ đệm", "surname_middle"),
    ("HỌ VÀ TÊN ĐỆM", "surname_middle"),
    ("Họ và chữ đệm", "surname_middle"),
    ("Tên", "given_name"),
    ("TÊN", "given_name"),
    # sex
    ("Giới tính", "sex"),
    ("GIỚI TÍNH", "sex"),
    ("Nam/Nữ", "sex"),
    ("Nam, nữ", "sex"),
    ("Nam", "sex"),
    ("Nữ", "sex"),
    # birth
    ("Ngày sinh", "birth_date"),
    ("Năm sinh", "birth_date"),
    ("Ngày, tháng, năm sinh", "birth_date"),
    ("Ngày tháng năm sinh", "birth_date"),
    ("ngay_sinh", "birth_date"),
    ("Sinh ngày", "birth_date"),
    # home town
    ("Quê quán", "home_town"),
    ("Nguyên quán", "home_town"),
    ("QUÊ QUÁN (xã, tỉnh)", "home_town"),
    # national id
    ("Số CCCD", "national_id"),
    ("CCCD", "national_id"),
    ("Số định danh cá nhân", "national_id"),
    ("Số căn cước", "national_id"),
    ("Số căn cước công dân", "national_id"),
    ("CMND", "national_id"),
    ("Số CMND/CCCD", "national_id"),
    # card
    ("Số thẻ đảng viên", "party_card_no"),
    ("Số thẻ ĐV", "party_card_no"),
    ("Số thẻ Đảng", "party_card_no"),
    ("so_the_dang", "party_card_no"),
    # admission / official
    ("Ngày vào Đảng", "admission_date"),
    ("Ngày kết nạp", "admission_date"),
    ("Ngày kết nạp Đảng", "admission_date"),
    ("ngay_ket_nap", "admission_date"),
    ("Ngày chính thức", "official_date"),
    ("Ngày công nhận chính thức", "official_date"),
    ("Ngày được công nhận đảng viên chính thức", "official_date"),
    # organisation
    ("Chi bộ", "organization"),
    ("Đơn vị", "organization"),
    ("Chi bộ sinh hoạt", "organization"),
    ("Đơn vị công tác", "organization"),
    # ignore
    ("STT", "ignore"),
    ("Số TT", "ignore"),
    ("TT", "ignore"),
    ("Ghi chú", "ignore"),
]


@pytest.mark.parametrize(("text", "field"), VARIANTS)
def test_header_variants(text, field):
    assert match_header(text) == field


@pytest.mark.parametrize(
    "text",
    ["DANH SÁCH ĐẢNG VIÊN ĐẢNG BỘ XÃ THỬ NGHIỆM NĂM 2025 (kèm theo công văn số 12)", "Nơi sinh", "", "   ",
     "Nguyễn Văn Hùng", "Chức vụ"],
)
def test_not_headers(text):
    assert match_header(text) is None


@pytest.mark.parametrize("value", [None, 1975, 3.5, True])
def test_non_text_cells_are_not_headers(value):
    assert match_header(value) is None


def test_header_key_strips_numbering_and_punctuation():
    assert header_key("(2) Ngày, tháng, năm sinh") == "ngay thang nam sinh"
    assert header_key("1. Họ và tên") == "ho va ten"
    assert header_key("Số thẻ ĐV (5)") == "so the dv"
    assert header_key("Thuỷ") == header_key("Thủy") == "thuy"


@pytest.mark.parametrize(("text", "field"), [(t, f) for t, f in VARIANTS if f and not t.isascii()])
@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_headers_are_detected_without_a_font(text, field, encoding):
    assert match_header(encode(text, encoding)) == field


@pytest.mark.parametrize(
    ("font", "encoding"),
    [(".VnTime", "tcvn3"), (".VnArial", "tcvn3"), (".VnTimeH", "tcvn3_upper"), ("VNI-Times", "vni"),
     ("VNI-Helve", "vni")],
)
@pytest.mark.parametrize(("text", "field"), [("Họ và tên", "full_name"), ("Ngày vào Đảng", "admission_date"),
                                             ("Số định danh cá nhân", "national_id"), ("Quê quán", "home_town")])
def test_legacy_headers_by_font(font, encoding, text, field):
    assert match_header(encode(text, encoding), font) == field


def test_mark_columns():
    assert is_mark_column("Nam") == "M"
    assert is_mark_column("NỮ") == "F"
    assert is_mark_column("Nam/Nữ") is None
    assert map_row(["Họ và tên", "Nam", "Nữ"]) == {0: "full_name", 1: "sex", 2: "sex"}


def test_first_column_wins_a_field():
    assert map_row(["Họ và tên", "Chi bộ", "Đơn vị", "STT", "TT"]) == {
        0: "full_name", 1: "organization", 3: "ignore", 4: "ignore"}


def test_find_header_below_title_rows():
    rows = [
        ["ĐẢNG BỘ XÃ THỬ NGHIỆM", None, None],
        ["DANH SÁCH ĐẢNG VIÊN CHI BỘ", None, None],
        [],
        ["STT", "Họ và tên", "Ngày sinh", "Số CCCD"],
        [1, "Nguyễn Văn Hùng", "05/05/1975", "025075000123"],
    ]
    assert find_header(rows) == (3, {0: "ignore", 1: "full_name", 2: "birth_date", 3: "national_id"})


def test_find_header_needs_a_name_column_and_two_fields():
    assert find_header([["Ngày sinh", "Số CCCD", "Quê quán"]]) is None
    assert find_header([["Họ và tên"], ["Nguyễn Văn Hùng"]]) is None
    assert find_header([["Họ và đệm", "Tên"]]) == (0, {0: "surname_middle", 1: "given_name"})


def test_find_header_prefers_the_row_with_most_fields():
    rows = [["Họ tên", "Chi bộ"], ["Họ và tên", "Ngày sinh", "Giới tính"]]
    assert find_header(rows)[0] == 1


def test_find_header_only_looks_at_the_first_rows():
    rows = [[f"dòng {i}"] for i in range(15)] + [["Họ và tên", "Ngày sinh"]]
    assert find_header(rows) is None
    assert find_header(rows, limit=16)[0] == 15


def test_find_header_with_legacy_fonts():
    rows = [[encode("Họ và tên", "tcvn3"), encode("Ngày sinh", "tcvn3")]]
    fonts = [[".VnTime", ".VnTime"]]
    assert find_header(rows, fonts) == (0, {0: "full_name", 1: "birth_date"})


def test_targets():
    assert set(FIELDS) < TARGETS and "ignore" in TARGETS
