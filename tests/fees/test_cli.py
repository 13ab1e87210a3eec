"""The `dangbo fees due` command-line contract (issue 11): JSON output, table, input errors."""

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

HEADER = "id,category,base,decision_date,reduction_pct,exempt"
ROWS = [
    "m1,insured,8000000,2010-05-19,0,none",
    "m2,insured,8.000.000,2010-05-19,50,none",
    "m3,pension,4567891,1976-02-03,0,none",  # 50 years of party age on 03/02/2026
    "m4,student,,2024-01-01,0,none",
    "m5,other,,,,",
    "m6,benefit,6000000,2001-01-01,0,hardship",
]


def write(tmp_path, lines, name="in.csv"):
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def run(path, month, *extra):
    out, err = StringIO(), StringIO()
    call_command("fees", "due", "--input", str(path), "--month", month, *extra, stdout=out, stderr=err)
    return out.getvalue()


def test_due_json_exact_new_regime(tmp_path):
    data = json.loads(run(write(tmp_path, [HEADER, *ROWS]), "2026-02", "--json"))
    assert data == {"month": "2026-02", "regime": "01-QĐ/TW", "results": [
        {"id": "m1", "due": 80000, "reasons": ["FEE-1", "FEE-2"]},
        {"id": "m2", "due": 40000, "reasons": ["FEE-1", "FEE-2", "FEE-4"]},
        {"id": "m3", "due": 0, "reasons": ["FEE-1", "FEE-2", "FEE-9", "FEE-4"]},
        {"id": "m4", "due": 5000, "reasons": ["FEE-1", "FEE-2"]},
        {"id": "m5", "due": 15930, "reasons": ["FEE-1", "FEE-3"]},
        {"id": "m6", "due": 0, "reasons": ["FEE-1", "FEE-2", "FEE-4"]},
    ]}


def test_due_json_old_regime(tmp_path):
    data = json.loads(run(write(tmp_path, [HEADER, *ROWS]), "2026-01", "--json"))
    assert data["regime"] == "342-QĐ/TW"
    assert [r["due"] for r in data["results"]] == [80000, 40000, 22839, 5000, 5000, 0]
    assert data["results"][2]["reasons"] == ["FEE-1", "FEE-8", "FEE-9"]  # 50 years only in 02/2026


def test_other_sums_come_from_settings(tmp_path, settings):
    settings.DANGBO_RULES = {"other_sum_01": 20000}
    data = json.loads(run(write(tmp_path, [HEADER, "x,other,,,0,none"]), "2026-05", "--json"))
    assert data["results"] == [{"id": "x", "due": 20000, "reasons": ["FEE-1", "FEE-3"]}]


def test_table_in_vietnamese(tmp_path):
    out = run(write(tmp_path, [HEADER, *ROWS]), "2026-02")
    assert "Đảng phí tháng 02/2026 — Quy định 01-QĐ/TW" in out and "80.000" in out and "Cộng" in out


@pytest.mark.parametrize("line,column,words", [
    ("m1,abroad,1,,0,none", "category", "không hợp lệ"),
    ("m1,insured,,,0,none", "base", "bỏ trống"),
    ("m1,insured,5000000.5,,0,none", "base", "đồng nguyên"),
    ("m1,insured,5000000,19/05/2010,0,none", "decision_date", "yyyy-mm-dd"),
    ("m1,insured,5000000,2010-02-30,0,none", "decision_date", "yyyy-mm-dd"),
    ("m1,insured,5000000,,40,none", "reduction_pct", "0, 30, 50 hoặc 70"),
    ("m1,insured,5000000,,0,poor", "exempt", "không hợp lệ"),
    (",insured,5000000,,0,none", "id", "thiếu mã"),
])
def test_bad_rows_name_file_line_column(tmp_path, line, column, words):
    path = write(tmp_path, [HEADER, "ok,student,,,0,none", line])
    with pytest.raises(CommandError) as e:
        run(path, "2026-02", "--json")
    assert f"dòng 3, cột «{column}»" in str(e.value) and words in str(e.value) and "in.csv" in str(e.value)


def test_duplicate_id_and_missing_column(tmp_path):
    with pytest.raises(CommandError, match="trùng với dòng 2"):
        run(write(tmp_path, [HEADER, "a,student,,,0,none", "a,student,,,0,none"]), "2026-02")
    with pytest.raises(CommandError, match="thiếu cột «exempt»"):
        run(write(tmp_path, ["id,category,base,decision_date,reduction_pct", "a,student,,,0"]), "2026-02")


@pytest.mark.parametrize("month", ["2026-13", "2026-2", "02/2026", "abcd-ef"])
def test_bad_month(tmp_path, month):
    with pytest.raises(CommandError, match="--month"):
        run(write(tmp_path, [HEADER, *ROWS]), month)


def test_through_the_dangbo_command(tmp_path):
    """Bad input: non-zero exit, the Vietnamese message on stderr, nothing on stdout."""
    good = write(tmp_path, [HEADER, *ROWS])
    bad = write(tmp_path, [HEADER, "m1,insured,abc,,0,none"], name="bad.csv")
    ok = subprocess.run([sys.executable, "-m", "dangbo.cli", "fees", "due", "--input", str(good), "--month",
                         "2026-02", "--json"], capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0 and json.loads(ok.stdout)["regime"] == "01-QĐ/TW"
    ko = subprocess.run([sys.executable, "-m", "dangbo.cli", "fees", "due", "--input", str(bad), "--month",
                         "2026-02", "--json"], capture_output=True, text=True, timeout=60)
    assert ko.returncode != 0 and ko.stdout == "" and "dòng 2, cột «base»" in ko.stderr
