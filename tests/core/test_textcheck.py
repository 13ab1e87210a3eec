"""The one text check (core/textcheck.py): what is refused, what is kept, documents never fail."""

import io

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangbo.core.errors import InvalidInput
from dangbo.core.textcheck import bad_char, clean_text, clean_texts, xml_safe
from dangbo.core.wordfile import centered, grid_table, new_document, to_bytes

REFUSED = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\u200b", "\u200d", "\u202e", "\u2066", "\u200f", "\ufeff",
           "\ufffe", "\u00ad"]


@pytest.mark.parametrize("ch", REFUSED)
def test_refused_characters_name_the_field(ch):
    with pytest.raises(InvalidInput) as exc:
        clean_text(f"Nguyễn{ch}Văn Hùng", field="full_name", label="Họ và tên")
    assert exc.value.field == "full_name"
    assert "Họ và tên" in exc.value.message and f"U+{ord(ch):04X}" in exc.value.message


def test_line_breaks_only_in_multiline_fields():
    assert clean_text("dòng 1\ndòng 2\tx", field="note", label="Ghi chú", multiline=True) == "dòng 1\ndòng 2\tx"
    with pytest.raises(InvalidInput):
        clean_text("dòng 1\ndòng 2", field="name", label="Tên")


def test_over_long_values_are_refused_with_the_limit():
    assert clean_text("a" * 40, field="x", label="X", max_length=40) == "a" * 40
    with pytest.raises(InvalidInput, match="tối đa 40"):
        clean_text("a" * 41, field="x", label="X", max_length=40)


def test_clean_texts_reports_every_bad_field_at_once():
    with pytest.raises(InvalidInput) as exc:
        clean_texts({"a": "x\x00", "b": "y" * 5, "c": "ok"}, {"a": ("A", 10), "b": ("B", 3), "c": ("C", 3)})
    assert set(exc.value.errors) == {"a", "b"}


def test_nfc_and_strip():
    assert clean_text("  Nguye\u0302\u0303n  ", field="x", label="X") == "Nguyễn"


VIETNAMESE = st.text(alphabet=st.sampled_from("aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹ ,.-'()"
                                              "ỳỷỹýỵÀÁĐƯƠ0123456789"), max_size=60)


@given(VIETNAMESE)
def test_ordinary_vietnamese_text_is_never_refused(s):
    assert bad_char(s) is None
    assert clean_text(s, field="x", label="X") == clean_text(clean_text(s, field="x", label="X"), field="x", label="X")


@given(st.text(max_size=80))
def test_whatever_is_accepted_holds_no_refused_character(s):
    try:
        out = clean_text(s, field="x", label="X", multiline=True)
    except InvalidInput:
        return
    assert all(c not in out for c in REFUSED)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=80))
def test_documents_never_fail_on_stored_text(s):
    """A record stored before the checks (or by a path that skipped them) still makes a document."""
    doc = new_document()
    doc.add_paragraph(s)
    centered(doc, s)
    grid_table(doc, ["Họ và tên"], [[s]])
    read = docx.Document(io.BytesIO(to_bytes(doc)))
    assert read.paragraphs[0].text.replace("\n", "").replace("\t", "") == \
        xml_safe(s).replace("\n", "").replace("\t", "").replace("\r", "")
