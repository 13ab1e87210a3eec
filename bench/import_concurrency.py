"""Writes beside an import on SQLite (issue 9; not a test).

    .venv/bin/python bench/import_concurrency.py [--rows 6000] [--writers 20] [--via worker|cli] [--json]

In a temporary folder: migrates a scratch SQLite database (WAL, the settings' 20 s busy timeout),
creates a committee with 10 cells, an office account and `--existing` members through the member
service, and writes a roll of `--rows` new people (CSV). Then, at the same time:

- the import: ``--via worker`` (default) queues the roll as the web upload does
  (``registry.uploads.upload_start``) and runs a real ``dangbo worker`` process; ``--via cli`` runs
  ``dangbo registry import`` (this also runs on code from before the worker existed, for the
  "before" figure);
- `--writers` threads in this process, each updating a random existing member through
  ``members.services.member_update`` (audited) and then waiting 0.2–1.0 s, until the import ends.

Prints one JSON object: the import's wall time, the writes done while it ran, errors (count and the
first messages) and the write latency (lock wait included) p50 / p95 / p99 / max in ms, with the
machine's load average before and after.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: A writer's pause between two writes (seconds): 20 writers make ~30 writes a second, the rate of
#: 2,000 delegates voting from their phones within a minute (bench/congress_load.py).
THINK = (0.2, 1.0)


def _dangbo(*args: str) -> list[str]:
    # through this interpreter, so PYTHONPATH (another checkout's src/) applies to the child too
    return [sys.executable, "-c", "from dangbo.cli import main; main()", *args]


def setup(rows: int, existing: int, roll: Path, seed: int) -> None:
    from dangbo.accounts.services import account_create
    from dangbo.demo.people import PersonGenerator
    from dangbo.members.services import member_create
    from dangbo.orgs.services import org_found

    d = dt.date(2025, 7, 1)
    root = org_found(actor=None, code="ROOT", name="Đảng bộ Thử nghiệm", kind="committee", parent=None, on=d)
    cells = [org_found(actor=None, code=f"C{i}", name=f"Chi bộ số {i}", kind="grassroots_cell", parent=root, on=d)
             for i in range(10)]
    account_create(actor=None, username="office", password="mat-khau-thu-nghiem-2025", role="office",
                   organization=root)
    gen = PersonGenerator(seed, today=dt.date(2025, 10, 1))
    for i, p in enumerate(gen.people(existing)):
        member_create(actor=None, organization=cells[i % 10], profile={"full_name": p.full_name, "sex": p.sex},
                      admission_date=p.admission_date, official_date=p.official_date)
    with roll.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Quê quán", "Ngày vào Đảng",
                    "Ngày chính thức", "Chi bộ"])
        for i, p in enumerate(gen.people(rows)):
            w.writerow([p.full_name, f"{p.birth_date:%d/%m/%Y}", "Nam" if p.sex == "M" else "Nữ", p.national_id,
                        p.home_town, f"{p.admission_date:%d/%m/%Y}",
                        f"{p.official_date:%d/%m/%Y}" if p.official_date else "", f"Chi bộ số {i % 10}"])


class Writers:
    def __init__(self, n: int, seed: int):
        from dangbo.members.models import Member

        self.ids = list(Member.objects.values_list("pk", flat=True))
        self.n, self.seed = n, seed
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.done: list[tuple[float, float]] = []  # (start, seconds)
        self.errors: list[str] = []
        self.threads = [threading.Thread(target=self.write, args=(i,), daemon=True) for i in range(n)]

    def write(self, i: int) -> None:
        from django.db import connection

        from dangbo.members.models import Member
        from dangbo.members.services import member_update

        rng = random.Random(f"{self.seed}-{i}")
        try:
            while not self.stop.is_set():
                start = time.monotonic()
                try:
                    member = Member.objects.get(pk=rng.choice(self.ids))
                    member_update(actor=None, member=member, profile={"position": f"Chức vụ {rng.randrange(10**6)}"})
                    with self.lock:
                        self.done.append((start, time.monotonic() - start))
                except Exception as exc:
                    with self.lock:
                        self.errors.append(f"{type(exc).__name__}: {exc}")
                self.stop.wait(rng.uniform(*THINK))
        finally:
            connection.close()

    def start(self) -> None:
        for t in self.threads:
            t.start()

    def finish(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(60)


def _pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def measure(args, tmp: Path, env: dict) -> dict:
    from django.db import connection

    from dangbo.registry.models import ImportBatch

    roll = tmp / "dv.csv"
    writers = Writers(args.writers, args.seed)
    writers.start()
    time.sleep(2)  # writers warmed up
    began = time.monotonic()
    out: dict = {}
    if args.via == "cli":
        run = subprocess.run(_dangbo("registry", "import", str(roll), "--org", "ROOT", "--json"), env=env, cwd=ROOT,
                             capture_output=True, text=True)
        ended = time.monotonic()
        out["import"] = json.loads(run.stdout) if run.returncode == 0 else {"error": run.stderr[-500:]}
    else:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from dangbo.accounts.models import Account
        from dangbo.orgs.models import Organization
        from dangbo.registry.uploads import upload_start

        log = (tmp / "worker.log").open("wb")
        worker = subprocess.Popen(_dangbo("worker", "--poll", "0.5"), env=env, cwd=ROOT, stdout=log,
                                  stderr=subprocess.STDOUT)
        office = Account.objects.get(user__username="office").user
        batch = upload_start(actor=office, organization=Organization.objects.get(code="ROOT"),
                             files=[SimpleUploadedFile("dv.csv", roll.read_bytes())])
        while True:
            batch.refresh_from_db()
            if batch.status != ImportBatch.RUNNING:
                break
            time.sleep(0.5)
        ended = time.monotonic()
        worker.terminate()
        worker.wait(60)
        out["import"] = {"batch": batch.pk, "status": batch.status, "members_created": batch.members_created,
                         "error": batch.error[:300]}
        log.close()
        slow = [line for line in (tmp / "worker.log").read_text(errors="replace").splitlines()
                if "write transaction took" in line]
        out["import"]["slow_transactions"] = slow[:5]
    writers.finish()
    connection.close()
    during = [s for start, s in writers.done if began <= start <= ended]
    ms = [s * 1000 for s in during]
    out.update({
        "import_wall_s": round(ended - began, 1),
        "writes_during_import": len(during),
        "errors": len(writers.errors), "first_errors": writers.errors[:3],
        "write_ms": {"p50": round(statistics.median(ms), 1) if ms else 0, "p95": round(_pct(ms, 95), 1),
                     "p99": round(_pct(ms, 99), 1), "max": round(max(ms), 1) if ms else 0},
    })
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=6000)
    ap.add_argument("--writers", type=int, default=20)
    ap.add_argument("--existing", type=int, default=200)
    ap.add_argument("--via", choices=("worker", "cli"), default="worker")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true", help="(the output is always one JSON object)")
    args = ap.parse_args()
    summary = {"rows": args.rows, "writers": args.writers, "via": args.via, "cpus": os.cpu_count(),
               "loadavg_before": [round(x, 2) for x in os.getloadavg()]}
    with tempfile.TemporaryDirectory(prefix="dangbo-import-") as name:
        tmp = Path(name)
        env = {**os.environ, "DANGBO_VAR": str(tmp / "var"), "DATABASE_URL": f"sqlite:///{tmp}/var/bench.sqlite3",
               "DANGBO_SECRET_KEY": "bench-secret-key"}
        env.pop("DANGBO_DEBUG", None)
        subprocess.run(_dangbo("migrate", "--noinput", "-v", "0"), env=env, cwd=ROOT, check=True)
        os.environ.update({k: env[k] for k in ("DANGBO_VAR", "DATABASE_URL", "DANGBO_SECRET_KEY")})
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
        import django

        django.setup()
        t = time.monotonic()
        setup(args.rows, args.existing, tmp / "dv.csv", args.seed)
        summary["setup_s"] = round(time.monotonic() - t, 1)
        summary.update(measure(args, tmp, env))
    summary["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
