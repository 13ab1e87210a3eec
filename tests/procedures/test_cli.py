"""The `dangbo member dates` command-line contract (issue 13): worked cases across weekends, New Year,
Tết, the fixed holidays and a swapped day; badge delays after discipline; bad input."""

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

HEADER = "id,decision_date,ceremony_date,discipline,discipline_date"


def write(tmp_path, lines, name="in.csv"):
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def run(path, today="2026-01-15", *extra):
    out = StringIO()
    call_command("member", "dates", "--input", str(path), "--today", today, *extra, stdout=out, stderr=StringIO())
    return out.getvalue()


def results(tmp_path, rows, today="2026-01-15"):
    return {r["id"]: r for r in json.loads(run(write(tmp_path, [HEADER, *rows]), today, "--json"))["results"]}


@pytest.mark.django_db
def test_exact_json_shape(tmp_path):
    data = json.loads(run(write(tmp_path, [HEADER, "a,2024-12-20,2025-01-02,none,"]), "2026-01-15", "--json"))
    assert data == {"results": [{
        "id": "a", "probation_end": "2026-01-02", "recognition_deadline": "2026-02-13", "party_age_years": 1,
        "next_badge": {"years": 30, "reached": "2054-12-20", "award_date": "2055-02-03"}}]}


@pytest.mark.django_db
@pytest.mark.parametrize("ceremony, probation_end, deadline", [
    # probation ends on a Sunday: the count starts on Monday; 30 working days → Friday 24/4/2026
    ("2025-03-15", "2026-03-15", "2026-04-24"),
    # across New Year: 1/1/2026 (Thursday) is off → 2/1/2026 instead of 1/1
    ("2024-11-20", "2025-11-20", "2026-01-02"),
    # across Tết Bính Ngọ: 16–20/2/2026 off
    ("2025-01-20", "2026-01-20", "2026-03-10"),
    # across Quốc khánh 2025: 1/9 and 2/9 off
    ("2024-08-15", "2025-08-15", "2025-09-30"),
    # across 30/4 – 1/5/2025 with the Government's swap: Friday 2/5 off, Saturday 26/4 worked
    ("2024-04-10", "2025-04-10", "2025-05-26"),
    # across Giỗ Tổ 7/4/2025 (Monday); 29/2/2024 → probation ends 28/2/2025
    ("2024-02-29", "2025-02-28", "2025-04-14"),
])
def test_recognition_deadline_worked_cases(tmp_path, ceremony, probation_end, deadline):
    r = results(tmp_path, [f"x,{ceremony},{ceremony},none,"])["x"]
    assert (r["probation_end"], r["recognition_deadline"]) == (probation_end, deadline)


@pytest.mark.django_db
def test_probation_counts_from_ceremony_party_age_from_decision(tmp_path):
    r = results(tmp_path, ["x,2000-03-02,2000-04-20,none,"], today="2026-03-01")["x"]
    assert r["probation_end"] == "2001-04-20"
    assert r["party_age_years"] == 25  # 26 years only on 2/3/2026
    assert results(tmp_path, ["x,2000-03-02,2000-04-20,none,"], today="2026-03-02")["x"]["party_age_years"] == 26


@pytest.mark.django_db
@pytest.mark.parametrize("discipline, when, award", [
    ("none", "", "2026-05-19"),
    ("reprimand", "2026-01-01", "2026-09-02"),  # DOMAIN MEM-3 worked case: 1/7/2026 → 2/9/2026
    ("warning", "2026-01-01", "2026-11-07"),  # 1/10/2026 → 7/11
    ("dismissal", "2026-01-01", "2027-02-03"),  # 1/1/2027 → 3/2/2027
    ("reprimand", "2025-01-01", "2026-05-19"),  # the hold ended before the tier is reached
])
def test_badge_after_discipline(tmp_path, discipline, when, award):
    r = results(tmp_path, [f"x,1996-03-01,1996-03-10,{discipline},{when}"], today="2026-01-15")["x"]
    assert r["next_badge"] == {"years": 30, "reached": "2026-03-01", "award_date": award}


@pytest.mark.django_db
def test_badge_is_the_smallest_tier_not_yet_past(tmp_path):
    row = ["x,1996-03-01,1996-03-10,none,"]
    assert results(tmp_path, row, today="2026-05-19")["x"]["next_badge"]["years"] == 30  # award day itself
    assert results(tmp_path, row, today="2026-05-20")["x"]["next_badge"] == {
        "years": 40, "reached": "2036-03-01", "award_date": "2036-05-19"}
    assert results(tmp_path, ["x,1930-02-03,1930-02-03,none,"], today="2026-01-01")["x"]["next_badge"] is None


@pytest.mark.django_db
def test_table_in_vietnamese(tmp_path):
    text = run(write(tmp_path, [HEADER, "a,2024-12-20,2025-01-02,none,"]))
    assert "Hạn xét chính thức" in text and "13/02/2026" in text and "03/02/2055" in text


@pytest.mark.django_db
@pytest.mark.parametrize("rows, where", [
    (["a,2024-13-01,2025-01-02,none,"], "dòng 2, cột «decision_date»"),
    (["a,2024-12-20,,none,"], "dòng 2, cột «ceremony_date»"),
    (["a,2024-12-20,2024-12-19,none,"], "dòng 2, cột «ceremony_date»"),
    (["a,2024-12-20,2025-01-02,expulsion,"], "dòng 2, cột «discipline»"),
    (["a,2024-12-20,2025-01-02,reprimand,"], "dòng 2, cột «discipline_date»"),
    (["a,2024-12-20,2025-01-02,none,2025-01-01"], "dòng 2, cột «discipline_date»"),
    (["a,2024-12-20,2025-01-02,warning,01/02/2025"], "dòng 2, cột «discipline_date»"),
    (["a,2024-12-20,2025-01-02,none,", "a,2024-12-20,2025-01-02,none,"], "dòng 3, cột «id»"),
    ([",2024-12-20,2025-01-02,none,"], "dòng 2, cột «id»"),
])
def test_bad_rows_name_file_line_column(tmp_path, rows, where):
    path = write(tmp_path, [HEADER, *rows])
    with pytest.raises(CommandError) as e:
        run(path)
    assert str(path) in str(e.value) and where in str(e.value)


@pytest.mark.django_db
def test_missing_column_and_file(tmp_path):
    with pytest.raises(CommandError, match="ceremony_date"):
        run(write(tmp_path, ["id,decision_date", "a,2024-12-20"]))
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        run(tmp_path / "none.csv")
    with pytest.raises(CommandError, match="--today"):
        run(write(tmp_path, [HEADER]), "15/01/2026")


def test_exit_code_and_empty_stdout_through_the_console_script(tmp_path):
    path = write(tmp_path, [HEADER, "a,2024-12-20,2025-02-30,none,"])
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"DANGBO_VAR": str(tmp_path / "var")}
    cmd = [sys.executable, "-m", "dangbo.cli", "member", "dates", "--input", str(path), "--today", "2026-01-15",
           "--json"]
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
    assert p.returncode != 0 and p.stdout == ""
    assert "dòng 2, cột «ceremony_date»" in p.stderr and "2025-02-30" in p.stderr
