"""`dangbo report members` (issue 14): the contract's fields, agreement with `dangbo stats`, past days,
the workbook, bad input."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from dangbo.members.services import member_event_record

FIELDS = ["org", "as_of", "total", "official", "probationary", "by_sex", "by_age_band", "by_party_age_band",
          "by_ethnicity", "by_religion", "by_education", "by_theory_level"]


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("report", "members", *args, stdout=out, stderr=err)
    return out.getvalue()


def report(code, day):
    return json.loads(run("--org", code, "--as-of", day, "--json"))


def test_contract_fields_and_sums(world):
    data = report("ROOT", "2026-01-01")
    assert list(data)[:len(FIELDS)] == FIELDS
    assert data["org"] == "ROOT" and data["as_of"] == "2026-01-01"
    assert (data["total"], data["official"], data["probationary"]) == (3, 2, 1)  # Hùng, Lan official; Hoà
    assert data["by_sex"] == {"M": 1, "F": 2}
    assert list(data["by_age_band"]) == ["≤30", "31–40", "41–50", "51–60", ">60"]
    assert data["by_age_band"]["41–50"] == 3  # born 05/05/1975: 50 on 01/01/2026
    assert list(data["by_party_age_band"]) == ["<10", "10–19", "20–29", "30–39", "≥40"]
    assert data["by_party_age_band"] == {"<10": 1, "10–19": 0, "20–29": 2, "30–39": 0, "≥40": 0}
    for name in FIELDS[5:]:
        assert sum(data[name].values()) == data["total"], name


def test_root_today_equals_dangbo_stats(world):
    out = StringIO()
    call_command("stats", "--json", stdout=out)
    stats = json.loads(out.getvalue())
    data = report("ROOT", date.today().isoformat())
    assert (data["total"], data["official"], data["probationary"]) == (
        stats["members"] - 1, stats["official"] - 1, stats["probationary"])  # stats counts the outsider tree too
    assert report("X", date.today().isoformat())["total"] == 1


def test_a_past_day_is_replayed_from_the_events(world):
    member_event_record(actor=None, member=world.hung, kind="transfer_internal", on=date(2026, 2, 1), to_org=world.b)
    member_event_record(actor=None, member=world.lan, kind="death", on=date(2026, 3, 1))
    assert report("A", "2026-01-31")["total"] == 2
    assert report("A", "2026-02-01")["total"] == 1
    assert report("A", "2026-03-01")["total"] == 0
    assert report("B", "2026-01-31")["total"] == 1 and report("B", "2026-02-01")["total"] == 2
    assert report("ROOT", "2025-08-31")["total"] == 2  # Hoà admitted 01/09/2025
    assert report("ROOT", "1999-12-31")["total"] == 0


def test_temporary_member_counts_at_the_permanent_cell(world):
    member_event_record(actor=None, member=world.lan, kind="temp_transfer_out", on=date(2026, 1, 5),
                        end_date=date(2026, 6, 5), to_org=world.b)
    for day in ("2026-02-01", date.today().isoformat()):
        assert report("A", day)["total"] == 2
        assert report("B", day)["total"] == 1


def test_xlsx_one_sheet_per_table(world, tmp_path):
    path = tmp_path / "tk.xlsx"
    data = json.loads(run("--org", "ROOT", "--as-of", "2026-01-01", "--json", "--xlsx", str(path)))
    wb = load_workbook(path)
    assert wb.sheetnames[:4] == ["Tổng số", "Giới tính", "Độ tuổi", "Tuổi đảng"]
    ws = wb["Giới tính"]
    assert ws["A1"].value == "Đảng bộ Thử nghiệm" and "01/01/2026" in ws["A2"].value
    values = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(6, ws.max_row + 1)}
    assert values == {"Nam": 1, "Nữ": 2, "Cộng": data["total"]}
    assert path.stat().st_mode & 0o077 == 0


def test_formula_in_a_profile_is_text_in_the_workbook(world, tmp_path):
    world.add(world.a1, "Đỗ Văn Tú", ethnicity="=HYPERLINK(\"x\")")
    path = tmp_path / "tk.xlsx"
    run("--org", "ROOT", "--as-of", "2026-01-01", "--xlsx", str(path))
    ws = load_workbook(path)["Dân tộc"]
    cells = [ws.cell(r, 1) for r in range(6, ws.max_row + 1)]
    bad = [c for c in cells if str(c.value).startswith("=")]
    assert bad and all(c.data_type == "s" and c.quotePrefix for c in bad)


@pytest.mark.parametrize("args, message", [
    (["--as-of", "2026-01-01", "--json"], "Thiếu --org"),
    (["--org", "ROOT", "--json"], "Thiếu --as-of"),
    (["--org", "ROOT", "--as-of", "01/01/2026", "--json"], "--as-of phải là một ngày"),
    (["--org", "ROOT", "--as-of", "2026-02-30", "--json"], "--as-of phải là một ngày"),
    (["--org", "KHONG", "--as-of", "2026-01-01", "--json"], "Không có tổ chức đảng mã «KHONG»"),
    (["--org", "ROOT", "--as-of", "2026-01-01", "--xlsx", "/khong/co/tk.xlsx"], "không có thư mục"),
])
def test_bad_input_is_refused_in_vietnamese(world, args, message):
    out = StringIO()
    with pytest.raises(CommandError, match=message):
        call_command("report", "members", *args, stdout=out)
    assert out.getvalue() == ""
