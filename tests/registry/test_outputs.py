"""`dangbo registry merge --out DIR`: never destroys a folder that is not its own, writes owner-only
files from the start, and every CSV cell is formula-safe (issue 9, items 2 and 3)."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from dangbo.registry import merge as merge_module
from dangbo.registry.merge import merge_files, write_outputs

from . import make_files as M

DANGBO = str(Path(sys.executable).with_name("dangbo"))


def snapshot(folder: Path) -> dict[str, tuple[bytes | None, int]]:
    """Every entry under ``folder``: content (files) and mode — to assert nothing was touched."""
    out = {}
    for p in sorted(folder.rglob("*")):
        out[str(p.relative_to(folder))] = (p.read_bytes() if p.is_file() else None, p.stat().st_mode)
    return out


def merge_cli(*args, **kw):
    return call_command("registry", "merge", *map(str, args), stdout=kw.get("stdout", io.StringIO()),
                        stderr=io.StringIO())


def test_a_folder_with_other_files_is_refused_and_left_as_it_was(tmp_path):
    roll = M.bom_csv(tmp_path)
    out = tmp_path / "ket-qua"
    out.mkdir()
    (out / "bao-cao-quy-3.docx").write_bytes(b"do not lose me")
    (out / "persons.csv").write_text("someone else's file")
    (out / "ban-nhap").mkdir()
    (out / "ban-nhap" / "ghi-chu.txt").write_text("x")
    before = snapshot(tmp_path)
    with pytest.raises(CommandError) as e:
        merge_cli(roll, "--out", out)
    message = str(e.value)
    assert "ket-qua" in message and "không ghi đè" in message and "thư mục trống" in message
    assert snapshot(tmp_path) == before


def test_the_command_exits_non_zero_with_nothing_on_stdout(tmp_path):
    roll = M.bom_csv(tmp_path)
    out = tmp_path / "tai-lieu"
    out.mkdir()
    (out / "quan-trong.xlsx").write_bytes(b"PK\x03\x04 keep")
    before = snapshot(tmp_path)
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="dangbo.settings")
    done = subprocess.run([DANGBO, "registry", "merge", str(roll), "--out", str(out), "--json"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode != 0
    assert done.stdout == ""
    assert "tai-lieu" in done.stderr and "quan-trong.xlsx" in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(tmp_path) == before


def test_a_file_given_as_out_is_refused(tmp_path):
    roll = M.bom_csv(tmp_path)
    target = tmp_path / "danh-sach.csv"
    target.write_text("precious")
    with pytest.raises(CommandError) as e:
        merge_cli(roll, "--out", target)
    assert "là một tệp" in str(e.value)
    assert target.read_text() == "precious"


def test_an_earlier_output_or_an_empty_folder_is_replaced(tmp_path):
    roll = M.bom_csv(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    merge_cli(roll, "--out", out)  # empty folder: fine
    first = (out / "persons.csv").read_bytes()
    merge_cli(roll, "--out", out)  # an earlier output: replaced
    assert sorted(p.name for p in out.iterdir()) == ["persons.csv", "report.json", "review.csv"]
    assert (out / "persons.csv").read_bytes() == first
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_three_files_with_our_names_but_not_our_report_are_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for name in ("persons.csv", "review.csv"):
        (out / name).write_text("a,b\n")
    (out / "report.json").write_text('{"something": "else"}')
    with pytest.raises(merge_module.OutputDirError):
        merge_module.check_output_dir(out)


@pytest.mark.parametrize("umask", [0o000, 0o022])
def test_outputs_are_owner_only_from_their_creation(tmp_path, monkeypatch, umask):
    result = merge_files([M.bom_csv(tmp_path)])
    seen: list[tuple[str, int]] = []
    real = merge_module.safe_row

    def spy(values):
        # While the files are being written: the temporary folder and every file in it so far.
        for d in tmp_path.glob(".out.tmp-*"):
            seen.append((d.name, stat.S_IMODE(d.stat().st_mode)))
            seen.extend((f.name, stat.S_IMODE(f.stat().st_mode)) for f in d.iterdir())
        return real(values)

    monkeypatch.setattr(merge_module, "safe_row", spy)
    old = os.umask(umask)
    try:
        out = write_outputs(result, tmp_path / "out")
    finally:
        os.umask(old)
    assert seen and all(mode == (0o700 if name.startswith(".out.tmp-") else 0o600) for name, mode in seen)
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    for f in out.iterdir():
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f.name


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_formula_cells_get_an_apostrophe(tmp_path):
    roll = tmp_path / "cong-thuc.csv"
    roll.write_text(
        "Họ và tên;Năm sinh;Quê quán;Chi bộ\n"
        "-Nguyễn Văn An;1970;=1+2;@Chi bộ 1\n"
        "-Nguyễn Văn An;1970;=1+2;+Chi bộ 2\n"
        "Trần Văn Bình;1971;Xã Bảo Đức, tỉnh Phú Thọ;Chi bộ 3\n", encoding="utf-8")
    out = tmp_path / "out"
    merge_cli(roll, "--out", out)
    persons = read_rows(out / "persons.csv")
    an = [p for p in persons if "An" in p["full_name"]]
    assert an and all(p["full_name"].startswith("'-") for p in an)
    assert all(p["home_town"] == "'=1+2" for p in an)
    assert {p["organization"] for p in an} == {"'@Chi bộ 1", "'+Chi bộ 2"}
    binh = next(p for p in persons if p["full_name"] == "Trần Văn Bình")  # ordinary cells untouched
    assert binh["home_town"] == "Xã Bảo Đức, tỉnh Phú Thọ" and binh["birth_date"] == "1971"
    review = read_rows(out / "review.csv")
    assert review and review[0]["name_a"].startswith("'-") and review[0]["home_town_b"] == "'=1+2"
    assert float(review[0]["score"])  # numbers stay numbers
    for path in (out / "persons.csv", out / "review.csv"):
        for row in csv.reader(path.open(encoding="utf-8")):
            assert not any(c.startswith(("=", "+", "-", "@")) for c in row)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["totals"]["persons"] == len(persons)
