"""The `dangbo cell warnings` command-line contract (issue 11): JSON output, table, input errors."""

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

ATTENDANCE = [
    "member,month,status",
    "m1,2026-01,absent", "m1,2026-02,present", "m1,2026-03,absent", "m1,2026-03,absent", "m1,2026-08,absent",
    "m2,2026-01,absent", "m2,2026-02,excused", "m2,2026-04,absent",  # 2 absences: no warning
    "m3,2025-12,absent", "m3,2026-01,absent", "m3,2026-02,away", "m3,2026-05,absent",  # 2025 not counted
    "m4,2026-01,exempt", "m4,2026-02,absent", "m4,2026-03,absent", "m4,2026-04,absent",
]
PAYMENTS = [
    "member,month,paid",
    "m2,2026-06,no", "m2,2026-07,no",  # 2 + 2 in other months: neither ground (default)
    "m5,2026-11,no", "m5,2026-02,no", "m5,2026-03,excused", "m5,2026-09,no",
    "m4,2026-01,no",
]


def write(tmp_path, name, lines, prefix=b""):
    p = tmp_path / name
    p.write_bytes(prefix + ("\n".join(lines) + "\n").encode("utf-8"))
    return p


def run(tmp_path, attendance=ATTENDANCE, payments=PAYMENTS, *extra, year="2026"):
    out, err = StringIO(), StringIO()
    call_command("cell", "warnings", "--attendance", str(write(tmp_path, "a.csv", attendance)),
                 "--payments", str(write(tmp_path, "p.csv", payments)), "--year", year, *extra,
                 stdout=out, stderr=err)
    return out.getvalue()


def test_warnings_json_exact(tmp_path):
    data = json.loads(run(tmp_path, ATTENDANCE, PAYMENTS, "--json"))
    assert data == {"year": 2026, "warnings": [
        {"member": "m1", "absent_months": ["2026-01", "2026-03", "2026-08"], "unpaid_months": [],
         "grounds": ["absence"]},
        {"member": "m4", "absent_months": ["2026-02", "2026-03", "2026-04"], "unpaid_months": ["2026-01"],
         "grounds": ["absence"]},
        {"member": "m5", "absent_months": [], "unpaid_months": ["2026-02", "2026-09", "2026-11"],
         "grounds": ["fees"]},
    ]}


def test_both_grounds_and_other_year(tmp_path):
    att = ["member,month,status"] + [f"m9,2025-0{i},absent" for i in (1, 2, 3)]
    pay = ["member,month,paid"] + [f"m9,2025-0{i},no" for i in (4, 5, 6)]
    assert json.loads(run(tmp_path, att, pay, "--json", year="2025"))["warnings"] == [
        {"member": "m9", "absent_months": ["2025-01", "2025-02", "2025-03"],
         "unpaid_months": ["2025-04", "2025-05", "2025-06"], "grounds": ["absence", "fees"]}]
    assert json.loads(run(tmp_path, att, pay, "--json", year="2026")) == {"year": 2026, "warnings": []}


def test_grounds_add_up_setting(tmp_path, settings):
    settings.DANGBO_RULES = {"warning_grounds_add_up": True}
    members = [w["member"] for w in json.loads(run(tmp_path, ATTENDANCE, PAYMENTS, "--json"))["warnings"]]
    assert "m2" in members


def test_table_in_vietnamese(tmp_path):
    out = run(tmp_path)
    assert "Cảnh báo xoá tên năm 2026" in out and "m1: Vắng sinh hoạt không có lý do" in out
    assert "01/2026, 03/2026, 08/2026" in out


def test_bom_and_semicolons(tmp_path):
    att = [line.replace(",", ";") for line in ATTENDANCE]
    data = json.loads(run(tmp_path, att, PAYMENTS, "--json"))
    assert [w["member"] for w in data["warnings"]] == ["m1", "m4", "m5"]


@pytest.mark.parametrize("which, lines, message", [
    ("a", ["member,month,status", "m1,2026-1,absent"], "dòng 2, cột «month»"),
    ("a", ["member,month,status", "m1,2026-13,absent"], "dòng 2, cột «month»"),
    ("a", ["member,month,status", "m1,2026-01,absent", "m1,2026-02,late"], "dòng 3, cột «status»"),
    ("a", ["member,month,status", ",2026-01,absent"], "dòng 2, cột «member»"),
    ("a", ["member,month", "m1,2026-01"], "thiếu cột «status»"),
    ("p", ["member,month,paid", "m1,2026-01,maybe"], "dòng 2, cột «paid»"),
    ("p", ["member,month,paid", "m1,2026-01,no", "m1,2026-01,yes"], "dòng 3, cột «month»: đảng viên «m1» tháng 2026-01 đã có ở dòng 2"),
    ("p", ["member,month,paid", "m\x071,2026-01,no"], "dòng 2, cột «member»"),
])
def test_bad_input_names_file_line_column(tmp_path, which, lines, message):
    att, pay = (lines, PAYMENTS) if which == "a" else (ATTENDANCE, lines)
    with pytest.raises(CommandError) as e:
        run(tmp_path, att, pay, "--json")
    assert message in str(e.value) and ("a.csv" if which == "a" else "p.csv") in str(e.value)


def test_missing_file_and_bad_year(tmp_path):
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("cell", "warnings", "--attendance", str(tmp_path / "none.csv"), "--payments",
                     str(tmp_path / "none.csv"), "--year", "2026", stdout=StringIO())
    with pytest.raises(CommandError, match="Năm xét không hợp lệ"):
        run(tmp_path, year="20260")


def test_subprocess_error_exit_and_empty_stdout(tmp_path):
    a = write(tmp_path, "a.csv", ["member,month,status", "m1,01/2026,absent"])
    p = write(tmp_path, "p.csv", PAYMENTS)
    r = subprocess.run([sys.executable, "-c", "from dangbo.cli import main; main()", "cell", "warnings",
                        "--attendance", str(a), "--payments", str(p), "--year", "2026", "--json"],
                       capture_output=True, text=True)
    assert r.returncode != 0 and r.stdout == ""
    assert "a.csv, dòng 2, cột «month»" in r.stderr and "YYYY-MM" in r.stderr
