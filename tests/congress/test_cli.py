"""The congress command-line contract: `dangbo congress allocate` (`dangbo election`: tests/elections/test_cli.py).

Run through call_command with CSV files in tmp_path; no database is needed.
"""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

CANDIDATES = "no,full_name\n1,Nguyễn Văn An\n2,Trần Thị Bình\n3,Lê Văn Cường\n4,Phạm Thị Dung\n"


def write(tmp_path, name, text, *, bom=False, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
    return str(p)


def run(*args):
    """(parsed JSON or text, stdout) of a successful command."""
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    text = out.getvalue()
    return (json.loads(text) if "--json" in args else text), text


def fails(*args, match):
    out = StringIO()
    with pytest.raises(CommandError, match=match) as exc:
        call_command(*args, stdout=out, stderr=StringIO())
    assert out.getvalue() == ""  # nothing on stdout
    return exc.value


def ballots_csv(rows):
    return "ballot_no,kept,flags\n" + "".join(f"{n},{k},{f}\n" for n, k, f in rows)


# ------------------------------------------------------------------------------------------------
# congress allocate
# ------------------------------------------------------------------------------------------------


def test_allocate_json(tmp_path):
    orgs = write(tmp_path, "orgs.csv", "org,members,bonus\nA,120,1\nB,80,0\nC,45,0\n")
    data, _ = run("congress", "allocate", "--orgs", orgs, "--seats", "30", "--ex-officio", "5",
                  "--base-per-org", "2", "--json")
    assert data == {"allocations": {"A": 12, "B": 8, "C": 5}, "total": 25}


def test_allocate_accepts_bom_semicolon_and_no_bonus_column(tmp_path):
    orgs = write(tmp_path, "orgs.csv", "Org ; Members\r\nĐảng bộ cơ sở A;60\r\n\r\nChi bộ cơ sở B;40\r\n", bom=True)
    data, _ = run("congress", "allocate", "--orgs", orgs, "--seats", "12", "--ex-officio", "2", "--json")
    assert data == {"allocations": {"Đảng bộ cơ sở A": 6, "Chi bộ cơ sở B": 4}, "total": 10}


def test_allocate_table(tmp_path):
    orgs = write(tmp_path, "orgs.csv", "org,members\nA,60\nB,40\n")
    _, text = run("congress", "allocate", "--orgs", orgs, "--seats", "10")
    assert "Tổ chức" in text and "Đại biểu" in text and "Cộng" in text and "phân bổ cho các tổ chức: 10" in text


def test_allocate_errors(tmp_path):
    def allocate(text, *extra, match):
        orgs = write(tmp_path, "orgs.csv", text)
        return fails("congress", "allocate", "--orgs", orgs, "--seats", "10", *extra, "--json", match=match)

    e = allocate("org,thanh_vien\nA,5\n", match="thiếu cột «members»")
    assert "orgs.csv" in str(e) and "dòng 1" in str(e)
    allocate("org,members\nA,5\nB,năm\n", match=r"orgs\.csv, dòng 3, cột «members»: «năm» không phải là số nguyên")
    allocate("org,members\nA,5\nB,-2\n", match=r"dòng 3, cột «members»")
    allocate("org,members,bonus\nA,5,x\n", match=r"dòng 2, cột «bonus»")
    allocate("org,members\nA,5\nA,6\n", match=r"dòng 3, cột «org»: tổ chức «A» trùng với dòng 2")
    allocate("org,members\n,5\n", match=r"dòng 2, cột «org»: không được để trống")
    allocate("org,members,bonus\nA,5,6\nB,5,6\n", match="vượt")
    allocate("org,members\n", match="trống")
    allocate("", match="trống")
    allocate("org,members\nA,5\n", "--ex-officio", "11", match="đương nhiên")
    allocate("org,members\nA,5\n", "--seats", "-1", match="không được âm")
    orgs = write(tmp_path, "orgs.csv", "org,members\nA,5\n")
    fails("congress", "allocate", "--orgs", orgs, "--seats", "301", "--level", "committee", "--json",
          match="không quá 300")
    fails("congress", "allocate", "--orgs", str(tmp_path / "missing.csv"), "--seats", "10", "--json",
          match=r"Không tìm thấy tệp .*missing\.csv")
