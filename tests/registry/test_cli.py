"""`dangbo registry merge` through call_command: outputs, their columns, the report, the error path."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from dangbo.registry.management.commands.registry import parse_map
from dangbo.registry.merge import PERSON_COLUMNS, REVIEW_COLUMNS

from . import make_files as M

REQUIRED = ["person_id", "full_name", "surname", "middle_name", "given_name", "sex", "birth_date", "national_id",
            "party_card_no", "home_town", "admission_date", "official_date", "organization", "sources", "match"]


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_merge_writes_the_three_outputs(tmp_path):
    files = [M.legacy_xlsx(tmp_path), M.two_column_xlsx(tmp_path), M.bom_csv(tmp_path), M.legacy_xls(tmp_path)]
    out = tmp_path / "out"
    stdout = io.StringIO()
    call_command("registry", "merge", *map(str, files), "--out", str(out), "--json", stdout=stdout,
                 stderr=io.StringIO())
    totals = json.loads(stdout.getvalue())
    persons = read_csv(out / "persons.csv")
    with open(out / "persons.csv", encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert header[: len(REQUIRED)] == REQUIRED and tuple(header) == PERSON_COLUMNS
    assert totals["persons"] == len(persons) == 8
    hung = next(p for p in persons if p["national_id"] == "025075000123")
    assert hung["full_name"] == "Nguyễn Văn Hùng" and hung["birth_date"] == "1975-05-05"
    assert hung["sources"] == "tinh-cu.xlsx:5;tinh-b.xlsx:2;tinh-d.csv:2"
    hoa = next(p for p in persons if p["sources"] == "tinh-cu.xlsx:7")
    assert (hoa["full_name"], hoa["birth_date"], hoa["sex"]) == ("Lê Thị Hòa", "1975", "Nữ")
    for p in persons:
        assert not p["national_id"] or (len(p["national_id"]) == 12 and p["national_id"].isdigit())
        for ref in p["sources"].split(";"):
            file, _, row = ref.rpartition(":")
            assert file in {f.name for f in files} and row.isdigit()
    review = read_csv(out / "review.csv")
    with open(out / "review.csv", encoding="utf-8") as f:
        assert tuple(next(csv.reader(f))) == REVIEW_COLUMNS
    assert review and review[0]["name_cmp"] and float(review[0]["score"])
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    first = report["files"][0]
    assert first["file"] == "tinh-cu.xlsx" and first["sheet"] == "DS dang vien" and first["header_row"] == 3
    assert first["columns"]["Họ và tên"] == "full_name" and first["encodings"]["Quê quán"] == "vni"
    assert first["rows_read"] == 5 and first["rows_rejected"] == 2
    assert all(r["reason"] for r in first["rejected"])
    assert report["totals"]["persons"] == 8 and "review_pairs" in report["totals"]
    assert "merged_pairs" in report["totals"]


def test_csv_line_numbers_and_map(tmp_path):
    path = tmp_path / "ds.csv"
    path.write_text("Danh sách\nTên đầy đủ;Sinh;CCCD\nNguyễn Văn Hùng;05/05/1975;025075000123\n"
                    "NGUYỄN VĂN HÙNG;1975;25075000123\n", encoding="utf-8")
    out = tmp_path / "out"
    call_command("registry", "merge", str(path), "--out", str(out), "--map",
                 "Tên đầy đủ=full_name,Sinh=birth_date,CCCD=national_id", stdout=io.StringIO())
    persons = read_csv(out / "persons.csv")
    assert [p["sources"] for p in persons] == ["ds.csv:3;ds.csv:4"]


def test_parse_map_keeps_commas_inside_headers():
    assert parse_map("Ngày, tháng, năm sinh=birth_date,Họ tên=full_name") == {
        "Ngày, tháng, năm sinh": "birth_date", "Họ tên": "full_name"}
    with pytest.raises(CommandError):
        parse_map("Họ tên")


@pytest.mark.parametrize("builder", [M.password_xlsx, M.headerless_xlsx, M.empty_xlsx, M.header_only_xlsx])
def test_bad_input_names_the_file_and_writes_nothing(tmp_path, builder):
    good = M.bom_csv(tmp_path)
    bad = builder(tmp_path)
    out = tmp_path / "out"
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(CommandError) as e:
        call_command("registry", "merge", str(good), str(bad), "--out", str(out), stdout=io.StringIO(),
                     stderr=io.StringIO())
    assert bad.name in str(e.value)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_existing_output_kept_on_error(tmp_path):
    good = M.bom_csv(tmp_path)
    out = tmp_path / "out"
    call_command("registry", "merge", str(good), "--out", str(out), stdout=io.StringIO())
    kept = (out / "persons.csv").read_bytes()
    with pytest.raises(CommandError):
        call_command("registry", "merge", str(good), str(M.password_xlsx(tmp_path)), "--out", str(out),
                     stdout=io.StringIO(), stderr=io.StringIO())
    assert (out / "persons.csv").read_bytes() == kept
