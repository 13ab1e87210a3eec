"""Control, bidi and zero-width characters, and over-long values, in imported cells (issue 9, item 6):
invisible formatting characters are stripped with a note in the row's problems; a control or
bidirectional character refuses the row, with the reason naming file, row and column; a value longer
than the registry stores refuses the row — never cut short. Nothing of it reaches the database."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from dangbo.core.textcheck import bad_char
from dangbo.members.models import Member
from dangbo.registry import limits as L
from dangbo.registry.merge import merge_files
from dangbo.registry.readers import read_file

from . import bombs as B

HEAD = "Họ và tên;Ngày sinh;Giới tính;Số CCCD;Số thẻ đảng viên;Quê quán;Ngày vào Đảng;Chi bộ\n"


def roll(tmp_path, *rows: str, name: str = "ds.csv"):
    path = tmp_path / name
    path.write_text(HEAD + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def row(name="Nguyễn Văn An", birth="05/05/1975", nid="", card="", home="Xã Bảo Đức, tỉnh Phú Thọ",
        admission="02/03/2000", org="Chi bộ A1"):
    return f"{name};{birth};Nam;{nid};{card};{home};{admission};{org}"


def rejected(result) -> dict[str, str]:
    return {r["ref"]: r["reason"] for r in result.report["rejected"]}


def test_invisible_formatting_characters_are_stripped_with_a_note(tmp_path):
    path = roll(tmp_path, row(name="Nguyễn\u200b Văn\u00ad An\ufeff", home="\ufeffXã Bảo Đức, tỉnh Phú Thọ"),
                row(name="Trần Thị Bình", birth="06/06/1976"))
    result = merge_files([path])
    assert rejected(result) == {}
    an = next(p for p in result.persons if p["sources"] == "ds.csv:2")
    assert an["full_name"] == "Nguyễn Văn An" and an["home_town"] == "Xã Bảo Đức, tỉnh Phú Thọ"
    assert "ds.csv:2: cột «Họ và tên»: đã bỏ ký tự vô hình U+200B (zero width space), U+00AD (soft hyphen), " \
           "U+FEFF (zero width no-break space)" in an["problems"]
    assert "cột «Quê quán»: đã bỏ ký tự vô hình U+FEFF" in an["problems"]
    for p in result.persons:
        assert all(bad_char(v) is None for v in p.values())
    binh = next(p for p in result.persons if p["sources"] == "ds.csv:3")
    assert binh["problems"] == ""  # ordinary rows untouched


@pytest.mark.parametrize("name, ch", [
    ("Nguyễn Văn \u202eAn", "U+202E (right-to-left override)"),
    ("Nguyễn Văn \u2066An\u2069", "U+2066 (left-to-right isolate)"),
    ("Nguyễn\u200f Văn An", "U+200F (right-to-left mark)"),
    ("Nguyễn Văn\x07 An", "U+0007"),
    ("Nguyễn Văn\x00An", "U+0000"),
    ("Nguyễn Văn\x9b An", "U+009B"),
])
def test_a_name_with_a_control_or_bidi_character_refuses_the_row(tmp_path, name, ch):
    path = roll(tmp_path, row(name=name), row(name="Trần Thị Bình", birth="06/06/1976"))
    result = merge_files([path])
    reason = rejected(result)["ds.csv:2"]
    assert reason.startswith("cột «Họ và tên»: họ tên chứa ký tự không được phép (") and ch in reason
    assert [p["sources"] for p in result.persons] == ["ds.csv:3"]
    file_report = result.report["files"][0]
    assert file_report["rows_rejected"] == 1 and file_report["rejected"][0]["row"] == 2


def test_other_columns_refuse_the_row_too_naming_the_column(tmp_path):
    path = roll(tmp_path, row(home="Xã Bảo\u202e Đức"), row(org="Chi bộ\x1b A1", birth="06/06/1976"))
    reasons = rejected(merge_files([path]))
    assert reasons["ds.csv:2"].startswith("cột «Quê quán»: ô chứa ký tự không được phép (U+202E")
    assert reasons["ds.csv:3"].startswith("cột «Chi bộ»: ô chứa ký tự không được phép (U+001B")


def test_xlsx_cells_are_checked_the_same_way(tmp_path):
    rows = [B.HEADER_ROW,
            '<row r="2">' + B.inline("A2", "Lê Văn \u202eBa") + B.inline("B2", "1/1/1970") + "</row>",
            '<row r="3">' + B.inline("A3", "Lê\u200b Văn Tư") + B.inline("B3", "2/2/1971") + "</row>"]
    path = B.write_xlsx(tmp_path / "ds.xlsx", B.sheet(rows))
    fr = read_file(path)
    assert [(r.ref, r.reason[:50]) for r in fr.rejected] == [
        ("ds.xlsx:2", "cột «Họ và tên»: họ tên chứa ký tự không được phép")]
    assert fr.rows[0].values["full_name"] == "Lê Văn Tư" and "U+200B" in fr.rows[0].problems[0]


def test_over_long_values_refuse_the_row_never_cut(tmp_path):
    long_name = "Nguyễn Văn " + "A" * 111  # 122 characters
    path = roll(tmp_path, row(name=long_name),
                row(name="Trần Văn Ba", home="Xã " + "Đ" * 253, birth="01/01/1971"),
                row(name="Lê Văn Tư", card="1" * 21, birth="02/02/1972"),
                row(name="Phạm Văn " + "B" * 41, birth="03/03/1973"),
                row(name="Hoàng Văn Năm", birth="04/04/1974"))
    reasons = rejected(merge_files([path]))
    assert reasons["ds.csv:2"] == "cột «Họ và tên»: dài 122 ký tự, tối đa 120 — hãy sửa ô này trong tệp"
    assert reasons["ds.csv:3"] == "cột «Quê quán»: dài 256 ký tự, tối đa 255 — hãy sửa ô này trong tệp"
    assert reasons["ds.csv:4"].startswith('số thẻ đảng viên "111111111111111111111" dài 21 ký tự, tối đa 20')
    assert reasons["ds.csv:5"].startswith("tên \"Bbbb") and "dài 41 ký tự, tối đa 40" in reasons["ds.csv:5"]
    assert "ds.csv:6" not in reasons


def test_limits_are_the_member_models():
    field = Member._meta.get_field
    assert L.FIELD_MAX_CHARS["full_name"] == field("full_name").max_length
    assert L.FIELD_MAX_CHARS["home_town"] == field("home_town").max_length
    assert L.FIELD_MAX_CHARS["given_name"] == field("given_name").max_length
    assert L.FIELD_MAX_CHARS["surname_middle"] == field("surname").max_length + 1 + field("middle_name").max_length
    assert L.NAME_PART_MAX_CHARS == {"surname": field("surname").max_length,
                                     "middle": field("middle_name").max_length,
                                     "given": field("given_name").max_length}
    assert L.CARD_MAX_CHARS == field("card_number").max_length


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("AnVăưĐ ") + ["\u200b", "\u00ad", "\ufeff", "\u202e", "\x07", "\u2067",
                                                           "\u00a0", "\x85"]), min_size=1, max_size=20))
def test_property_nothing_bad_survives_a_cell(tmp_path_factory, text):
    path = roll(tmp_path_factory.mktemp("p"), row(name=f"Nguyễn {text} Văn"), row(name="Trần Thị Bình", birth="06/06/1976"))
    result = merge_files([path])
    for p in result.persons:
        for value in p.values():
            assert bad_char(value) is None
    stripped = text.translate({ord(c): None for c in "\u200b\u00ad\ufeff"})
    if bad_char(" ".join(stripped.split())) is not None:  # whitespace (NEL too) is one space once read
        assert "ds.csv:2" in rejected(result)


def test_the_import_stores_no_such_character(world, tmp_path):
    path = roll(tmp_path, row(name="Nguyễn\u200b Văn An", nid="001075000111"),
                row(name="Trần \u202eThị Bình", birth="06/06/1976"))
    out = io.StringIO()
    call_command("registry", "import", str(path), "--org", "ROOT", "--json", stdout=out, stderr=io.StringIO())
    assert json.loads(out.getvalue())["members_created"] == 1
    member = Member.objects.get(national_id="001075000111")
    assert member.full_name == "Nguyễn Văn An"
    assert not Member.objects.filter(full_name__contains="\u202e").exists()
    merged = tmp_path / "out"
    call_command("registry", "merge", str(path), "--out", str(merged), stdout=io.StringIO())
    with (merged / "persons.csv").open(encoding="utf-8") as f:
        persons = list(csv.DictReader(f))
    assert [p["full_name"] for p in persons] == ["Nguyễn Văn An"]
    report = json.loads((merged / "report.json").read_text(encoding="utf-8"))
    assert report["rejected"][0]["file"] == "ds.csv" and report["rejected"][0]["row"] == 3
    assert "«Họ và tên»" in report["rejected"][0]["reason"] and "U+202E" in report["rejected"][0]["reason"]
