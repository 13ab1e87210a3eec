"""`dangbo vote result` (CON-4): the command-line contract, through call_command and the console
script. No database is needed."""

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dangbo.votes import rules


def run(*args):
    out = StringIO()
    call_command("vote", "result", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def fails(*args, match):
    out = StringIO()
    with pytest.raises(CommandError, match=match):
        call_command("vote", "result", *args, stdout=out, stderr=StringIO())
    assert out.getvalue() == ""


def test_resolution_worked_example_json():
    text = run("--kind", "resolution", "--summoned", "184", "--present", "130", "--yes", "70", "--json")
    assert text.count("\n") <= 1 and json.loads(text) == {"kind": "resolution", "base": 184, "needed": 93,
                                                          "yes": 70, "passed": False}
    data = json.loads(run("--kind", "resolution", "--summoned", "184", "--excluded", "4", "--present", "170",
                          "--yes", "91", "--no", "79", "--json"))
    assert data == {"kind": "resolution", "base": 180, "needed": 91, "yes": 91, "passed": True}


def test_procedural_counts_those_present(settings):
    data = json.loads(run("--kind", "procedural", "--summoned", "184", "--excluded", "9", "--present", "130",
                          "--yes", "70", "--json"))
    assert data == {"kind": "procedural", "base": 130, "needed": 66, "yes": 70, "passed": True}
    settings.DANGBO_RULES = {**getattr(settings, "DANGBO_RULES", {}), "vote_base": "summoned"}
    data = json.loads(run("--kind", "procedural", "--summoned", "184", "--present", "130", "--yes", "70", "--json"))
    assert (data["base"], data["needed"], data["passed"]) == (184, 93, False)


def test_same_function_as_the_web():
    for summoned, excluded, present, yes in ((184, 0, 130, 70), (7, 1, 6, 4), (10, 0, 10, 5)):
        base = rules.vote_base(kind="resolution", present=present, summoned=summoned, excluded=excluded)
        web = rules.vote_result(votes_for=yes, votes_against=0, votes_abstain=0, base=base, kind="resolution",
                                present=present)
        cli = json.loads(run("--kind", "resolution", "--summoned", str(summoned), "--excluded", str(excluded),
                             "--present", str(present), "--yes", str(yes), "--json"))
        assert (cli["base"], cli["needed"], cli["passed"]) == (web.base, web.need, web.passed)


def test_text_output():
    text = run("--kind", "resolution", "--summoned", "184", "--present", "130", "--yes", "70")
    assert "cơ sở tính 184" in text and "cần ít nhất 93" in text and "KHÔNG THÔNG QUA" in text


def test_bad_input_in_vietnamese_nothing_on_stdout():
    base = ("--summoned", "184", "--present", "130", "--yes", "70", "--json")
    fails("--kind", "secret", *base, match="--kind phải là «resolution»")
    fails(*base, match="--kind phải là")
    fails("--kind", "resolution", "--present", "130", "--yes", "70", match=r"Thiếu --summoned \(số được triệu tập\)")
    fails("--kind", "resolution", "--summoned", "mười", "--present", "1", "--yes", "1",
          match=r"--summoned \(số được triệu tập\) phải là số nguyên không âm")
    fails("--kind", "resolution", "--summoned", "-3", "--present", "1", "--yes", "1", match="--summoned")
    fails("--kind", "resolution", "--summoned", "10", "--present", "11", "--yes", "1", match="Số có mặt")
    fails("--kind", "resolution", "--summoned", "10", "--excluded", "11", "--present", "0", "--yes", "0",
          match="Số loại trừ")
    fails("--kind", "resolution", "--summoned", "10", "--excluded", "2", "--present", "9", "--yes", "1",
          match="người đã loại trừ không thể có mặt")
    fails("--kind", "resolution", "--summoned", "184", "--present", "130", "--yes", "100", "--no", "31",
          match="lớn hơn số đại biểu có mặt")


def test_console_script_exit_status_and_streams(tmp_path):
    env = {**os.environ, "DANGBO_VAR": str(tmp_path / "var")}
    cmd = [sys.executable, "-m", "dangbo.cli", "vote", "result", "--kind", "resolution", "--summoned", "184",
           "--present", "130", "--yes", "70"]
    ok = subprocess.run([*cmd, "--json"], capture_output=True, text=True, env=env)
    assert ok.returncode == 0 and json.loads(ok.stdout)["passed"] is False and ok.stderr == ""
    bad = subprocess.run([*cmd, "--no", "61", "--json"], capture_output=True, text=True, env=env)
    assert bad.returncode == 1 and bad.stdout == ""
    assert "Tổng số biểu quyết (131) lớn hơn số đại biểu có mặt (130)" in bad.stderr
