"""The job queue in this process: conditional claim, a job run by the worker's one-iteration function,
failure, release on stop, recovery of jobs whose worker died, the upload folders' permissions and
sweep, and what the page is told (no worker, stalled)."""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
import sys

import pytest
from django.utils import timezone

from dangbo.jobs import services
from dangbo.jobs.models import Job
from dangbo.jobs.worker import Worker

CALLS: list = []


def _run(job, ctx):
    CALLS.append(("run", job.payload))
    action = job.payload.get("do")
    if action == "fail":
        raise services.JobError("Tệp «a.csv» dòng 3: thiếu ngày vào Đảng")
    if action == "crash":
        raise ValueError("boom")
    if action == "stop":
        ctx.job_worker.stop()
        ctx.check()


def _failed(job, message):
    CALLS.append(("failed", message))


def _released(job):
    CALLS.append(("released", job.pk))


@pytest.fixture(autouse=True)
def kind(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    CALLS.clear()
    services.register("test.echo", run=_run, failed=_failed, released=_released)
    yield "test.echo"
    services._HANDLERS.pop("test.echo", None)


def _job(tmp_path, **payload) -> Job:
    folder = services.upload_dir_new()
    services.upload_save(folder, "roll.csv", [b"x"])
    return services.job_enqueue(kind="test.echo", payload=payload, upload_dir=folder)


def _worker():
    return Worker(heartbeat=3600)


def test_claim_is_conditional(db, tmp_path):
    job = _job(tmp_path)
    first = services.job_claim(worker="a:1:x")
    assert first.pk == job.pk and first.status == "running" and first.worker == "a:1:x" and first.attempts == 1
    assert services.job_claim(worker="b:2:y") is None  # nothing else queued: the job is a's
    job.refresh_from_db()
    assert job.worker == "a:1:x"


def test_worker_runs_one_job_and_deletes_its_files(db, tmp_path):
    job = _job(tmp_path, n=1)
    folder = job.upload_dir
    assert os.path.isdir(folder)
    done = _worker().run_once()
    assert done.pk == job.pk and done.status == "done" and done.finished_at and done.error == ""
    assert CALLS == [("run", {"n": 1})]
    assert not os.path.exists(folder)
    assert _worker().run_once() is None  # the queue is empty


@pytest.mark.parametrize("action, message", [
    ("fail", "Tệp «a.csv» dòng 3: thiếu ngày vào Đảng"),
    ("crash", "Lỗi không mong đợi khi xử lý (chưa lưu gì): boom"),
])
def test_a_failing_job_is_failed_with_its_message(db, tmp_path, action, message):
    job = _job(tmp_path, do=action)
    folder = job.upload_dir
    done = _worker().run_once()
    assert done.status == "failed" and done.error == message
    assert CALLS[-1] == ("failed", message)
    assert not os.path.exists(folder)


def test_a_stopping_worker_releases_its_job(db, tmp_path, monkeypatch):
    job = _job(tmp_path, do="stop")
    w = _worker()
    real = services.JobContext.__init__

    def init(self, job, stopping):
        real(self, job, stopping)
        self.job_worker = w
    monkeypatch.setattr(services.JobContext, "__init__", init)
    back = w.run_once()
    assert back.status == "queued" and back.worker == "" and back.attempts == 1
    assert ("released", job.pk) in CALLS
    assert os.path.isdir(job.upload_dir)  # kept for the next run


def _running(job, worker, beat):
    Job.objects.filter(pk=job.pk).update(status="running", worker=worker, heartbeat_at=beat, claimed_at=beat)


def test_recovery_fails_jobs_whose_worker_died(db, tmp_path):
    now = timezone.now()
    stale = _job(tmp_path)
    _running(stale, "other-host:123:aa", now - dt.timedelta(seconds=300))
    alive = _job(tmp_path)
    _running(alive, "other-host:124:bb", now - dt.timedelta(seconds=5))
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    here = _job(tmp_path)  # ran on this machine, its process is gone: no need to wait for the heartbeat
    _running(here, services.worker_ident("cc").replace(f":{os.getpid()}:", f":{gone.pid}:"), now)
    failed = Worker().recover()
    assert sorted(failed) == sorted([stale.pk, here.pk])
    for job in (stale, here):
        job.refresh_from_db()
        assert job.status == "failed" and job.error == services.DIED
        assert not os.path.exists(job.upload_dir)
    alive.refresh_from_db()
    assert alive.status == "running" and os.path.isdir(alive.upload_dir)
    assert [c for c in CALLS if c[0] == "failed"] == [("failed", services.DIED)] * 2
    assert Worker().recover() == []  # nothing twice


def test_a_previous_run_with_this_process_id_is_dead(db, tmp_path):
    """A restarted container gives the worker the same process id: another token means another run."""
    job = _job(tmp_path)
    _running(job, services.worker_ident("old"), timezone.now())
    w = Worker()
    assert w.recover() == [job.pk]


def test_upload_folders_are_private(db, tmp_path):
    folder = services.upload_dir_new()
    path = services.upload_save(folder, "../../dv.csv", [b"a;b\n"])
    assert path.parent == folder and path.name == "dv.csv"
    assert stat.S_IMODE(os.stat(services.uploads_root()).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_orphaned_upload_folders_are_swept(db, tmp_path):
    owned = _job(tmp_path)
    orphan = services.upload_dir_new()
    fresh = services.upload_dir_new()
    old = timezone.now().timestamp() - 3600
    for folder in (owned.upload_dir, orphan):
        os.utime(folder, (old, old))
    assert services.uploads_sweep() == [orphan.name]
    assert os.path.isdir(owned.upload_dir) and os.path.isdir(fresh) and not orphan.exists()


def test_health_says_when_no_worker_runs(db, tmp_path):
    now = timezone.now()
    job = _job(tmp_path)
    assert services.job_health(job, now=now) == "ok"
    later = now + dt.timedelta(seconds=services.conf("queue_warn_seconds") + 1)
    assert services.job_health(job, now=later) == "waiting"
    other = _job(tmp_path)
    _running(other, "h:1:x", later)
    other.refresh_from_db()
    assert services.job_health(job, now=later) == "busy"  # queued behind a job a live worker is doing
    assert services.job_health(other, now=later) == "ok"
    assert services.job_health(other, now=later + dt.timedelta(seconds=services.conf("stale_seconds") + 1)) \
        == "stalled"
