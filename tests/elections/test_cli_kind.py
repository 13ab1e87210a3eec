"""`dangbo election tally --kind` (CON-5): a committee or standing committee list without surplus or
over the cap is refused (Vietnamese on stderr, non-zero exit, nothing on stdout); without `--kind` the
command behaves exactly as before."""

import json
import os
import subprocess
import sys

from tests.congress.test_cli import CANDIDATES, fails, run, write

BALLOTS = "ballot_no,kept,flags\n1,1 2,\n2,1 3,\n3,1,\n"
THREE = "no,full_name\n1,Nguyễn Văn An\n2,Trần Thị Bình\n3,Lê Văn Cường\n"


def files(tmp_path, candidates=CANDIDATES):
    return write(tmp_path, "c.csv", candidates), write(tmp_path, "b.csv", BALLOTS)


def test_without_kind_unchanged(tmp_path):
    c, b = files(tmp_path, THREE)
    data, _ = run("election", "tally", "--candidates", c, "--ballots", b, "--seats", "3", "--base", "5", "--json")
    assert data["elected"] == [1] and data["threshold"] == 3  # no surplus: not checked without --kind
    c, b = files(tmp_path)  # 4 names for 2 seats: surplus 2 > 1, not checked either
    data, _ = run("election", "tally", "--candidates", c, "--ballots", b, "--seats", "2", "--base", "5", "--json")
    assert data["elected"] == [1]


def test_committee_list_without_surplus_refused(tmp_path):
    for kind, label in (("committee", "Ban Chấp hành"), ("standing_committee", "Ban Thường vụ")):
        c, b = files(tmp_path, THREE)
        fails("election", "tally", "--candidates", c, "--ballots", b, "--seats", "3", "--base", "5",
              "--kind", kind, "--json", match=rf"c\.csv: Danh sách bầu {label}.* phải có số dư: 3 người cho 3 chỗ")
        c, b = files(tmp_path)
        fails("election", "tally", "--candidates", c, "--ballots", b, "--seats", "2", "--base", "5",
              "--kind", kind, "--json", match="vượt mức tối đa 1")
        data, _ = run("election", "tally", "--candidates", c, "--ballots", b, "--seats", "3", "--base", "5",
                      "--kind", kind, "--json")
        assert data["elected"] == [1]


def test_other_kinds_and_bad_kind(tmp_path):
    c, b = files(tmp_path, THREE)
    for kind in ("secretary", "deputy", "inspection", "delegates"):
        data, _ = run("election", "tally", "--candidates", c, "--ballots", b, "--seats", "3", "--base", "5",
                      "--kind", kind, "--json")
        assert data["elected"] == [1]
    fails("election", "tally", "--candidates", c, "--ballots", b, "--seats", "4", "--base", "5", "--kind",
          "secretary", "--json", match="ít hơn số lượng cần bầu")
    fails("election", "tally", "--candidates", c, "--ballots", b, "--seats", "3", "--base", "5", "--kind",
          "president", "--json", match="--kind phải là một trong: committee, standing_committee")


def test_console_script(tmp_path):
    c, b = files(tmp_path, THREE)
    env = {**os.environ, "DANGBO_VAR": str(tmp_path / "var")}
    cmd = [sys.executable, "-m", "dangbo.cli", "election", "tally", "--candidates", c, "--ballots", b,
           "--seats", "3", "--base", "5", "--json"]
    r = subprocess.run([*cmd, "--kind", "committee"], capture_output=True, text=True, env=env)
    assert r.returncode == 1 and r.stdout == "" and "phải có số dư" in r.stderr
    r = subprocess.run([*cmd, "--kind", "secretary"], capture_output=True, text=True, env=env)
    assert r.returncode == 0 and json.loads(r.stdout)["elected"] == [1]
