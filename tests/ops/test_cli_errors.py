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
