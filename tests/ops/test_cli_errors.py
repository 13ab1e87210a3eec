"""A refused command says its Vietnamese sentence alone: Django prints «CommandError: …» before it, the
class name in English (issue 10: no English or code where a clerk reads). `--traceback` keeps the trace."""

import importlib
import os
import pkgutil
import subprocess
import sys

import dangbo
from dangbo.core.command import DangboCommand


def _dangbo(tmp_path, *args):
    env = {**os.environ, "DANGBO_VAR": str(tmp_path / "var")}
    return subprocess.run([sys.executable, "-c", "from dangbo.cli import main; main()", *args],
                          capture_output=True, text=True, env=env)


def test_a_refusal_is_the_vietnamese_sentence_alone(tmp_path):
    r = _dangbo(tmp_path, "restore", str(tmp_path / "khong-co.dump"))
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.startswith("Không tìm thấy tệp sao lưu"), r.stderr
    assert "CommandError" not in r.stderr and "Traceback" not in r.stderr


def test_traceback_still_shows_the_trace_for_a_developer(tmp_path):
    r = _dangbo(tmp_path, "restore", str(tmp_path / "khong-co.dump"), "--traceback")
    assert r.returncode != 0 and "Traceback" in r.stderr and "CommandError" in r.stderr


def test_every_dangbo_command_is_a_dangbo_command():
    names = []
    for info in pkgutil.walk_packages(dangbo.__path__, "dangbo."):
        if ".management.commands." in info.name:
            module = importlib.import_module(info.name)
            names.append(info.name)
            assert issubclass(module.Command, DangboCommand), info.name
    assert len(names) >= 19


def test_argparse_refusals_are_said_in_vietnamese_on_the_command_line(tmp_path):
    """argparse printed «usage: …» and «error: the following arguments are required: …» in English."""
    r = _dangbo(tmp_path, "registry", "merge")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr == ("dangbo registry merge: thiếu tham số bắt buộc: FILE, --out.\n"
                        "Xem cách dùng: dangbo registry merge --help\n"), r.stderr
    r = _dangbo(tmp_path, "stats", "--bogus")
    assert r.returncode == 2 and "không hiểu tham số: --bogus." in r.stderr
    assert "error" not in r.stderr and "usage" not in r.stderr


def test_the_usage_messages_in_words():
    from dangbo.core.command import vietnamese_usage_error as vi

    assert vi("argument --kind: invalid choice: 'x' (choose from 'a', 'b')") == \
        "--kind: 'x' không có trong các lựa chọn ('a', 'b')."
    assert vi("argument --seats: invalid int value: 'ba'") == "--seats: 'ba' không phải số nguyên."
    assert vi("argument --out: expected one argument") == "--out cần một giá trị."
    assert vi("argument --year: --year phải là năm bốn chữ số.") == "--year: --year phải là năm bốn chữ số."
    assert vi("something argparse says that we do not know") == "something argparse says that we do not know"


def test_from_code_the_refusal_is_raised_as_django_raises_it():
    import pytest
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="the following arguments are required"):
        call_command("registry", "merge")
