"""The election command-line contract: `dangbo election tally|verify` (the command lives in the
elections app; its options, output and exit codes are unchanged by the move from congress).

Run through call_command with CSV files in tmp_path; no database is needed.
"""

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dangbo.elections import chain
from tests.congress.test_cli import CANDIDATES, ballots_csv, fails, run, write

# ------------------------------------------------------------------------------------------------
# election tally
# ------------------------------------------------------------------------------------------------


def tally(tmp_path, rows, *extra, seats=2, base=11, candidates=CANDIDATES):
    c = write(tmp_path, "c.csv", candidates)
    b = write(tmp_path, "b.csv", ballots_csv(rows))
    return run("election", "tally", "--candidates", c, "--ballots", b, "--seats", str(seats), "--base", str(base),
               *extra)


TIE_ROWS = ([(n, "1 2", "") for n in range(1, 5)] + [(n, "1 3", "") for n in range(5, 9)]
            + [(n, "2 3", "") for n in range(9, 12)])  # An 8, Bình 7, Cường 7


def test_tally_json_exact_with_runoff(tmp_path):
    data, _ = tally(tmp_path, TIE_ROWS, "--json")
    assert data == {
        "base": 11, "threshold": 6, "valid": 11, "invalid": 0, "invalid_reasons": {},
        "candidates": [
            {"no": 1, "full_name": "Nguyễn Văn An", "votes": 8, "percent_of_base": 72.73},
            {"no": 2, "full_name": "Trần Thị Bình", "votes": 7, "percent_of_base": 63.64},
            {"no": 3, "full_name": "Lê Văn Cường", "votes": 7, "percent_of_base": 63.64},
            {"no": 4, "full_name": "Phạm Thị Dung", "votes": 0, "percent_of_base": 0.0},
        ],
        "elected": [1], "runoff": [2, 3], "unfilled": 1,
    }


def test_tally_json_most_votes_not_elected_and_invalid_reasons(tmp_path):
    rows = [(1, "1 2", ""), (2, "1 2", ""), (3, "1 3", ""), (4, "1 4", ""), (5, "1 2 3", ""),
            (6, "", ""), (7, "2", "unstamped"), (8, "3", "mark"), (9, "4", "added_name mark")]
    data, _ = tally(tmp_path, rows, "--json", base=10)
    assert data["threshold"] == 6 and data["valid"] == 4 and data["invalid"] == 5
    assert data["invalid_reasons"] == {"unstamped": 1, "too_many": 1, "all_struck": 1, "added_name": 1, "mark": 1}
    assert [c["votes"] for c in data["candidates"]] == [4, 2, 1, 1]
    assert data["elected"] == [] and data["runoff"] == [] and data["unfilled"] == 2


def test_tally_elected_in_descending_votes(tmp_path):
    c = "no,full_name\n1,A\n2,B\n3,C\n"
    rows = [(n, "2 3", "") for n in range(1, 6)] + [(n, "1 2", "") for n in range(6, 8)]  # B 7, C 5, A 2
    data, _ = tally(tmp_path, rows, "--json", base=8, candidates=c)
    assert data["elected"] == [2, 3] and data["unfilled"] == 0


def test_tally_accepts_bom_and_semicolons(tmp_path):
    c = write(tmp_path, "c.csv", CANDIDATES.replace(",", ";"), bom=True)
    b = write(tmp_path, "b.csv", ballots_csv(TIE_ROWS).replace(",", ";").replace("\n", "\r\n"), bom=True)
    data, _ = run("election", "tally", "--candidates", c, "--ballots", b, "--seats", "2", "--base", "11", "--json")
    assert data["elected"] == [1] and data["runoff"] == [2, 3]


def test_tally_table(tmp_path):
    _, text = tally(tmp_path, TIE_ROWS)
    assert "Cơ sở tính kết quả: 11" in text and "ít nhất 6 phiếu" in text
    assert "72,73%" in text and "Trúng cử" in text and "1. Nguyễn Văn An" in text
    assert "phải bầu lại" in text and "2. Trần Thị Bình" in text


def test_tally_chain_out_and_verify(tmp_path):
    out = tmp_path / "export.csv"
    data, _ = tally(tmp_path, TIE_ROWS, "--json", "--chain-out", str(out))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "ballot_no,kept,flags,hash" and len(lines) == 12 and lines[1].startswith("1,1 2,,")
    ballots = [(n, set(map(int, k.split())), set(f.split())) for n, k, f in TIE_ROWS]
    assert data.pop("fingerprint") == chain.fingerprint(ballots) == lines[-1].rsplit(",", 1)[1]
    c = str(tmp_path / "c.csv")
    res, _ = run("election", "verify", "--ballots", str(out), "--candidates", c, "--seats", "2", "--base", "11",
                 "--fingerprint", chain.fingerprint(ballots), "--json")
    assert res == {"ok": True, "rows": 11, "first_bad_row": None, "reason": None,
                   "fingerprint": chain.fingerprint(ballots), "tally": data}
    res, _ = run("election", "verify", "--ballots", str(out), "--json")
    assert res["ok"] and res["tally"] is None
    _, text = run("election", "verify", "--ballots", str(out))
    assert "Chuỗi băm khớp: 11 phiếu" in text


def test_verify_reports_a_tampered_export(tmp_path):
    out = tmp_path / "export.csv"
    tally(tmp_path, TIE_ROWS, "--json", "--chain-out", str(out))
    lines = out.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace(",1 3,", ",1 2,")  # ballot 5: Cường → Bình
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    stdout = StringIO()
    with pytest.raises(CommandError, match=r"export\.csv, dòng 6, cột «hash»: chuỗi băm không khớp") as e:
        call_command("election", "verify", "--ballots", str(out), "--json", stdout=stdout)
    assert e.value.returncode == 2
    res = json.loads(stdout.getvalue())
    assert (res["ok"], res["first_bad_row"], res["reason"], res["tally"]) == (False, 5, "hash_mismatch", None)
    # the last row removed: found against the fingerprint in the minutes
    good = tmp_path / "good.csv"
    data, _ = tally(tmp_path, TIE_ROWS, "--json", "--chain-out", str(good))
    short = tmp_path / "short.csv"
    short.write_text("\n".join(good.read_text(encoding="utf-8").splitlines()[:-1]) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match="dấu vân tay") as e:
        call_command("election", "verify", "--ballots", str(short), "--fingerprint", data["fingerprint"],
                     "--json", stdout=StringIO())
    assert e.value.returncode == 2


def test_tally_errors_name_file_row_and_column(tmp_path):
    def bad_ballots(text, match, **kw):
        c = write(tmp_path, "c.csv", kw.get("candidates", CANDIDATES))
        b = write(tmp_path, "b.csv", text)
        return fails("election", "tally", "--candidates", c, "--ballots", b, "--seats", kw.get("seats", "2"),
                     "--base", kw.get("base", "11"), "--json", match=match)

    bad_ballots("ballot_no,flags\n1,\n", r"b\.csv, dòng 1: thiếu cột «kept»")
    bad_ballots("ballot_no,kept,flags\n1,1 2,\nx,1,\n", r"b\.csv, dòng 3, cột «ballot_no»: «x» không phải là số nguyên")
    bad_ballots("ballot_no,kept,flags\n1,1 a,\n", r"b\.csv, dòng 2, cột «kept»: «a» không phải là số nguyên")
    bad_ballots("ballot_no,kept,flags\n1,1 2,\n2,1 9,\n", r"b\.csv, dòng 3, cột «kept»: không có ứng cử viên số 9")
    bad_ballots("ballot_no,kept,flags\n1,1 2,\n2,3,\n1,4,\n",
                r"b\.csv, dòng 4, cột «ballot_no»: phiếu số 1 đã nhập ở dòng 2")
    bad_ballots("ballot_no,kept,flags\n1,1 1,\n", r"dòng 2, cột «kept»: một ứng cử viên được ghi hai lần")
    bad_ballots("ballot_no,kept,flags\n1,1,torn\n", r"dòng 2, cột «flags»: «torn» không hợp lệ")
    bad_ballots("ballot_no,kept,flags\n1,1,\n2,2,\n", "nhiều hơn cơ sở", base="1")
    bad_ballots("ballot_no,kept,flags\n1,1,\n", r"--seats .* phải là số nguyên dương", seats="0")
    bad_ballots("ballot_no,kept,flags\n1,1,\n", r"c\.csv, dòng 3, cột «no»: số thứ tự 1 trùng với dòng 2",
                candidates="no,full_name\n1,A\n1,B\n")
    bad_ballots("ballot_no,kept,flags\n1,1,\n", r"c\.csv, dòng 2, cột «full_name»: không được để trống",
                candidates="no,full_name\n1,\n")
    bad_ballots("ballot_no,kept,flags\n1,1,\n", r"c\.csv: danh sách ứng cử viên trống", candidates="no,full_name\n")
    c = write(tmp_path, "c.csv", CANDIDATES)
    b = write(tmp_path, "latin.csv", "ballot_no,kept,flags\n1,1,\n2,2,Đ\n", encoding="cp1258")
    fails("election", "tally", "--candidates", c, "--ballots", b, "--seats", "2", "--base", "11", "--json",
          match=r"latin\.csv, dòng 3: không phải văn bản UTF-8")
    fails("election", "tally", "--candidates", c, "--ballots", str(tmp_path / "none.csv"), "--seats", "2",
          "--base", "11", "--json", match=r"Không tìm thấy tệp .*none\.csv")
    with pytest.raises(CommandError):  # argparse: --seats must be a number
        call_command("election", "tally", "--candidates", c, "--ballots", c, "--seats", "hai", "--base", "11",
                     stdout=StringIO())


def test_verify_needs_all_retally_options(tmp_path):
    out = tmp_path / "export.csv"
    tally(tmp_path, TIE_ROWS, "--chain-out", str(out))
    fails("election", "verify", "--ballots", str(out), "--seats", "2", "--json", match="cần đủ --candidates")
    bad = write(tmp_path, "bad.csv", "ballot_no,kept,flags\n1,1,\n")
    fails("election", "verify", "--ballots", bad, "--json", match=r"bad\.csv, dòng 1: thiếu cột «hash»")


def test_console_script_exit_status_and_stderr(tmp_path):
    c = write(tmp_path, "c.csv", CANDIDATES)
    b = write(tmp_path, "b.csv", "ballot_no,kept,flags\n1,1 7,\n")
    env = {**os.environ, "DANGBO_VAR": str(tmp_path / "var")}
    r = subprocess.run([sys.executable, "-m", "dangbo.cli", "election", "tally", "--candidates", c, "--ballots", b,
                        "--seats", "2", "--base", "11", "--json"], capture_output=True, text=True, env=env)
    assert r.returncode == 1 and r.stdout == ""
    assert "dòng 2, cột «kept»: không có ứng cử viên số 7" in r.stderr
