"""A scratch installation for tests that need real processes (`dangbo worker`, `dangbo registry import`,
writers beside them): its own VAR folder and SQLite file (WAL) migrated once per session, commands run
as subprocesses, the database read directly with sqlite3 (pytest's own test database is in memory,
which another process cannot open)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DANGBO = str(Path(sys.executable).parent / "dangbo")
PRELUDE = ("import os, json, django\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'dangbo.settings')\n"
           "django.setup()\n")

#: A committee with four cells, an office account, `existing` members, and a roll of `rows` new
#: people (CSV) in `roll`; with `upload`, the roll is queued through the web upload's service.
SETUP = r"""
import csv, datetime as dt
from django.core.files.uploadedfile import SimpleUploadedFile
from dangbo.accounts.services import account_create
from dangbo.demo.people import PersonGenerator
from dangbo.members.services import member_create
from dangbo.orgs.services import org_found
from dangbo.registry.uploads import upload_start

d = dt.date(2025, 7, 1)
root = org_found(actor=None, code="ROOT", name="Đảng bộ Thử nghiệm", kind="committee", parent=None, on=d)
cells = [org_found(actor=None, code=f"C{i}", name=f"Chi bộ số {i}", kind="grassroots_cell", parent=root, on=d)
         for i in range(4)]
office = account_create(actor=None, username="office", password="mat-khau-thu-nghiem-2025", role="office",
                        organization=root)
gen = PersonGenerator(ARGS["seed"], today=dt.date(2025, 10, 1))
for i, p in enumerate(gen.people(ARGS["existing"])):
    member_create(actor=None, organization=cells[i % 4], profile={"full_name": p.full_name, "sex": p.sex},
                  admission_date=p.admission_date, official_date=p.official_date)
with open(ARGS["roll"], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Quê quán", "Ngày vào Đảng", "Ngày chính thức",
                "Chi bộ"])
    for i, p in enumerate(gen.people(ARGS["rows"])):
        w.writerow([p.full_name, f"{p.birth_date:%d/%m/%Y}", "Nam" if p.sex == "M" else "Nữ", p.national_id,
                    p.home_town, f"{p.admission_date:%d/%m/%Y}",
                    f"{p.official_date:%d/%m/%Y}" if p.official_date else "", f"Chi bộ số {i % 4}"])
out = {"members": ARGS["existing"]}
if ARGS["upload"]:
    with open(ARGS["roll"], "rb") as f:
        batch = upload_start(actor=office, organization=root, files=[SimpleUploadedFile("dv.csv", f.read())])
    out.update(batch=batch.pk, job=batch.job_id, dir=batch.job.upload_dir)
print(json.dumps(out))
"""


def migrated(folder: Path) -> Path:
    """A freshly migrated SQLite file in `folder` (to copy for each test)."""
    folder.mkdir(parents=True, exist_ok=True)
    env = _env(folder, folder / "template.sqlite3")
    subprocess.run([DANGBO, "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True, timeout=600)
    return folder / "template.sqlite3"


def _env(var: Path, db: Path) -> dict:
    env = {**os.environ, "DANGBO_VAR": str(var), "DATABASE_URL": f"sqlite:///{db}",
           "DANGBO_SECRET_KEY": "sandbox-secret-key-not-for-production", "PYTHONUNBUFFERED": "1"}
    env.pop("DANGBO_DEBUG", None)
    return env


class Sandbox:
    def __init__(self, folder: Path, template: Path):
        self.folder = folder
        self.var = folder / "var"
        self.var.mkdir(parents=True)
        self.db = self.var / "dangbo.sqlite3"
        shutil.copy(template, self.db)
        self.env = _env(self.var, self.db)
        self.procs: list[subprocess.Popen] = []

    def python(self, code: str, args: dict | None = None, timeout: float = 600) -> dict:
        """Run `code` in a Django process on this installation; returns the last JSON line it printed."""
        script = PRELUDE + f"ARGS = json.loads({json.dumps(json.dumps(args or {}))})\n" + code
        out = subprocess.run([sys.executable, "-c", script], env=self.env, cwd=ROOT, capture_output=True, text=True,
                             timeout=timeout)
        assert out.returncode == 0, out.stderr[-3000:]
        return json.loads(out.stdout.strip().splitlines()[-1])

    def setup(self, *, rows: int, existing: int = 8, upload: bool = True, seed: int = 7) -> dict:
        roll = self.folder / "dv.csv"
        info = self.python(SETUP, {"rows": rows, "existing": existing, "upload": upload, "seed": seed,
                                   "roll": str(roll)})
        return dict(info, roll=str(roll))

    def start(self, *args: str, name: str = "proc") -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "ab")
        proc = subprocess.Popen([DANGBO, *args], env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        self.procs.append(proc)
        return proc

    def run(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        return subprocess.run([DANGBO, *args], env=self.env, cwd=ROOT, capture_output=True, text=True,
                              timeout=timeout)

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def sql(self, query: str, *params):
        con = sqlite3.connect(self.db, timeout=30)
        try:
            return con.execute(query, params).fetchall()
        finally:
            con.close()

    def one(self, query: str, *params):
        rows = self.sql(query, *params)
        return rows[0][0] if rows else None

    def wait(self, condition, *, timeout: float = 180, what: str = "") -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if condition():
                return
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what or condition}")

    def close(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(30)
