"""Tests of orgs.rules (ORG-1, ORG-3, DOC-1, DOC-2): worked cases and Hypothesis properties."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangbo.orgs import rules
from dangbo.orgs.rules import (
    ALLOWED_PARENTS,
    DOC_TYPES,
    EVENT_KINDS,
    EVENT_LABELS,
    KIND_LABELS,
    KINDS,
    OrgRuleSettings,
    check_parent,
    format_number_symbol,
    is_grassroots,
    parse_number_symbol,
)

# ------------------------------------------------------------------------------------------------
# ORG-1 kinds and the tree
# ------------------------------------------------------------------------------------------------


def test_kind_and_event_labels():
    assert KINDS == ("committee", "grassroots_committee", "grassroots_cell", "sub_committee", "cell")
    assert [KIND_LABELS[k] for k in KINDS] == [
        "Đảng bộ", "Đảng bộ cơ sở", "Chi bộ cơ sở", "Đảng bộ bộ phận", "Chi bộ trực thuộc"]
    assert EVENT_KINDS == ("found", "merge", "split", "rename", "dissolve", "move")
    assert [EVENT_LABELS[k] for k in EVENT_KINDS] == [
        "Thành lập", "Hợp nhất", "Chia tách", "Đổi tên", "Giải thể", "Điều chỉnh trực thuộc"]


ALLOWED = {
    ("committee", None), ("committee", "committee"),
    ("grassroots_committee", "committee"), ("grassroots_cell", "committee"),
    ("sub_committee", "grassroots_committee"),
    ("cell", "grassroots_committee"), ("cell", "sub_committee"),
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("parent", [None, *KINDS])
def test_allowed_parents_matrix(kind, parent):
    if (kind, parent) in ALLOWED:
        check_parent(kind, parent)
    else:
        with pytest.raises(ValueError):
            check_parent(kind, parent)
    assert ((kind, parent) in ALLOWED) == (parent in ALLOWED_PARENTS[kind])


def test_check_parent_messages_are_vietnamese():
    with pytest.raises(ValueError) as exc:
        check_parent("cell", "committee")
    assert str(exc.value) == ("«Chi bộ trực thuộc» không thể trực thuộc «Đảng bộ»; chỉ được trực thuộc "
                              "«Đảng bộ cơ sở» hoặc «Đảng bộ bộ phận».")
    with pytest.raises(ValueError) as exc:
        check_parent("grassroots_cell", None)
    assert str(exc.value) == "«Chi bộ cơ sở» không thể ở cấp cao nhất; phải trực thuộc «Đảng bộ»."
    with pytest.raises(ValueError, match="ở cấp cao nhất"):
        check_parent("committee", "cell")
    with pytest.raises(ValueError, match="Loại tổ chức đảng không hợp lệ"):
        check_parent("district", "committee")
    with pytest.raises(ValueError, match="cấp trên không hợp lệ"):
        check_parent("cell", "district")


def test_grassroots_and_cells():
    assert [k for k in KINDS if is_grassroots(k)] == ["grassroots_committee", "grassroots_cell"]
    assert [k for k in KINDS if rules.is_cell(k)] == ["grassroots_cell", "cell"]


def test_organisation_events_cite_a_document():
    assert all(rules.requires_document(k) for k in EVENT_KINDS)
    only_four = OrgRuleSettings.from_mapping({"events_requiring_document": ["found", "merge", "rename", "dissolve"]})
    assert not rules.requires_document("move", settings=only_four)


# ------------------------------------------------------------------------------------------------
# DOC-1 / DOC-2 / ORG-3 number-symbols
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, parsed, canonical", [
    ("10-QĐ/TU", (10, "QĐ", "TU"), "10-QĐ/TU"),
    ("57-NQ/TW", (57, "NQ", "TW"), "57-NQ/TW"),
    ("04-KH/TU", (4, "KH", "TU"), "04-KH/TU"),
    ("43-HD/BTCTW", (43, "HD", "BTCTW"), "43-HD/BTCTW"),
    ("02-QĐi/TW", (2, "QĐi", "TW"), "02-QĐi/TW"),
    ("4-KH/TU", (4, "KH", "TU"), "04-KH/TU"),
    (" 10 - QĐ / TU ", (10, "QĐ", "TU"), "10-QĐ/TU"),
    ("Số 01-BC/CB", (1, "BC", "CB"), "01-BC/CB"),
    ("số: 366-QĐ/TW", (366, "QĐ", "TW"), "366-QĐ/TW"),
    ("10–QĐ/TU", (10, "QĐ", "TU"), "10-QĐ/TU"),  # en dash
    ("10-Q\u00d0/TU", (10, "QĐ", "TU"), "10-QĐ/TU"),  # Icelandic Eth looks like Đ
    ("02-qđi/tw", (2, "QĐi", "TW"), "02-QĐi/TW"),
    ("15-CTR/ĐU", (15, "CTr", "ĐU"), "15-CTr/ĐU"),
    ("3-ĐA/đu", (3, "ĐA", "ĐU"), "03-ĐA/ĐU"),
    ("141-CV/VPTW/nb", (141, "CV", "VPTW/NB"), "141-CV/VPTW/NB"),
    ("\u00a010-TTr/ĐU\u00a0", (10, "TTr", "ĐU"), "10-TTr/ĐU"),  # non-breaking spaces
])
def test_parse_and_format_worked_cases(text, parsed, canonical):
    assert parse_number_symbol(text) == parsed
    assert format_number_symbol(*parse_number_symbol(text)) == canonical


def test_parse_normalises_to_nfc():
    nfd = unicodedata.normalize("NFD", "Số 10-QĐ/TU")
    assert nfd != "Số 10-QĐ/TU"
    assert parse_number_symbol(nfd) == (10, "QĐ", "TU")
    assert parse_number_symbol(unicodedata.normalize("NFD", "12-TB/ĐỦ")) == (12, "TB", "ĐỦ")


@pytest.mark.parametrize("garbage", ["abc", "10QĐTU", "10-QĐ", "-QĐ/TU", "10-QĐ/", "10-/TU", "10-QĐ/TU/",
                                     "mười-QĐ/TU", "10-Q Đ/TU", "10-QĐ/T_U"])
def test_parse_rejects_garbage_with_a_vietnamese_message(garbage):
    with pytest.raises(ValueError, match="không đúng dạng số, ký hiệu văn bản"):
        parse_number_symbol(garbage)


def test_parse_rejects_empty_zero_and_unknown_types():
    with pytest.raises(ValueError, match="Chưa nhập"):
        parse_number_symbol("  ")
    with pytest.raises(ValueError, match="từ 01 trở lên"):
        parse_number_symbol("0-QĐ/TU")
    with pytest.raises(ValueError, match="Loại văn bản «XYZ» không có trong danh mục"):
        parse_number_symbol("10-XYZ/TU")
    with pytest.raises(ValueError, match="Có phải «QĐ»"):
        parse_number_symbol("10-QD/TU")
    with pytest.raises(ValueError, match="Có phải «ĐA»"):
        parse_number_symbol("10-DA/TU")


def test_allowed_types_are_a_setting():
    assert DOC_TYPES == ("NQ", "QĐ", "QĐi", "CT", "KL", "QC", "TT", "HD", "TB", "TC", "BC", "KH", "CTr",
                         "ĐA", "PA", "TTr", "CV", "BB")
    joint = OrgRuleSettings(doc_types=DOC_TYPES + ("NQLT",))
    assert parse_number_symbol("01-NQLT/TW-CP", settings=joint) == (1, "NQLT", "TW-CP")
    with pytest.raises(ValueError):
        parse_number_symbol("01-NQLT/TW-CP")


def test_format_pads_and_validates():
    assert format_number_symbol(4, "KH", "TU") == "04-KH/TU"
    assert format_number_symbol(10, "QĐ", "TU") == "10-QĐ/TU"
    assert format_number_symbol(1234, "BB", "CB") == "1234-BB/CB"
    assert format_number_symbol(4, "qđi", "tw") == "04-QĐi/TW"
    assert format_number_symbol(4, "KH", "TU", settings=OrgRuleSettings(number_min_digits=3)) == "004-KH/TU"
    for bad in (0, -1, True, "4"):
        with pytest.raises(ValueError):
            format_number_symbol(bad, "KH", "TU")
    with pytest.raises(ValueError):
        format_number_symbol(4, "XX", "TU")
    with pytest.raises(ValueError, match="Cơ quan ban hành"):
        format_number_symbol(4, "KH", "T U!")


issuers = st.lists(st.text(alphabet="ABCDĐEGHIKLMNOPQRSTUVXYỦÔƠ", min_size=1, max_size=6),
                   min_size=1, max_size=3).map("-".join)


@given(st.integers(1, 10**6), st.sampled_from(DOC_TYPES), issuers)
def test_format_parse_round_trip(number, doc_type, issuer):
    text = format_number_symbol(number, doc_type, issuer)
    assert parse_number_symbol(text) == (number, doc_type, issuer)
    if number < 10:
        assert text.startswith("0")


@given(st.integers(1, 10**6), st.sampled_from(DOC_TYPES), issuers,
       st.sampled_from(["", " ", "  ", "\t"]), st.sampled_from(["", "Số ", "số: "]), st.booleans())
def test_parse_tolerates_spacing_case_and_form(number, doc_type, issuer, sp, prefix, lower):
    t = doc_type.lower() if lower else doc_type
    text = f"{prefix}{number}{sp}-{sp}{t}{sp}/{sp}{issuer}"
    parsed = parse_number_symbol(unicodedata.normalize("NFD", text))
    assert parsed == (number, doc_type, issuer)
    canonical = format_number_symbol(*parsed)
    assert format_number_symbol(*parse_number_symbol(canonical)) == canonical
