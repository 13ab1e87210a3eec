"""`dangbo worker` as a real process on a real SQLite file: killed with SIGKILL half-way through an
uploaded roll and started again → the job and the batch end failed, the members already written are
gone (counters right), the uploaded file is deleted; stopped with SIGTERM half-way → it gives the job
back (nothing of it left) and exits 0, and the next worker does the job."""

from __future__ import annotations

import json
import os
import signal

from dangbo.jobs.services import DIED

ROWS = 300


def _members(box) -> int:
    return box.one("SELECT count(*) FROM members_member")


def _job(box, job_id) -> tuple:
    return box.sql("SELECT status, error, worker, attempts FROM jobs_job WHERE id = ?", job_id)[0]


def _batch(box, batch_id) -> tuple:
    status, error, progress = box.sql("SELECT status, error, progress FROM registry_importbatch WHERE id = ?",
                                      batch_id)[0]
    return status, error, json.loads(progress)


def _half_way(box, before: int) -> None:
    box.wait(lambda: _members(box) > before, what="the worker to write the first members")


def test_a_worker_killed_mid_import_is_recovered_by_the_next(sandbox):
    info = sandbox.setup(rows=ROWS)
    before = info["members"]
    assert _job(sandbox, info["job"])[0] == "queued" and os.path.isdir(info["dir"])
    worker = sandbox.start("worker", "--poll", "0.2", name="worker1")
    _half_way(sandbox, before)
    worker.send_signal(signal.SIGKILL)
    worker.wait(30)
    half = _members(sandbox)
    assert before < half < before + ROWS, sandbox.log("worker1")  # killed with part of the roll written
    assert _job(sandbox, info["job"])[0] == "running" and _batch(sandbox, info["batch"])[0] == "running"

    out = sandbox.run("worker", "--once")  # recovers (the dead worker ran here), then finds nothing to do
    assert out.returncode == 0, out.stderr
    status, error, _worker, attempts = _job(sandbox, info["job"])
    assert (status, error, attempts) == ("failed", DIED, 1)
    b_status, b_error, progress = _batch(sandbox, info["batch"])
    assert (b_status, b_error, progress["stage"]) == ("failed", DIED, "failed")
    assert _members(sandbox) == before
    assert sandbox.one("SELECT count(*) FROM registry_sourcerecord") == 0
    assert not os.path.exists(info["dir"])  # the roll with its ID numbers is gone
    assert sandbox.run("recount", "--check").returncode == 0  # member counters taken back too


def test_sigterm_gives_the_job_back_and_the_next_worker_does_it(sandbox):
    info = sandbox.setup(rows=ROWS)
    before = info["members"]
    worker = sandbox.start("worker", "--poll", "0.2", name="worker1")
    _half_way(sandbox, before)
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(120) == 0, sandbox.log("worker1")
    status, _error, who, attempts = _job(sandbox, info["job"])
    assert (status, who, attempts) == ("queued", "", 1)
    b_status, _e, progress = _batch(sandbox, info["batch"])
    assert b_status == "running" and progress["stage"] == "queued"
    assert _members(sandbox) == before  # what it had written was taken back
    assert os.path.isdir(info["dir"])  # the files wait for the next worker

    out = sandbox.run("worker", "--once")
    assert out.returncode == 0, out.stderr
    assert _job(sandbox, info["job"])[:2] == ("done", "")
    b_status, _e, progress = _batch(sandbox, info["batch"])
    assert b_status == "done" and progress["members_imported"] == ROWS
    assert _members(sandbox) == before + ROWS
    assert not os.path.exists(info["dir"])
    assert sandbox.run("recount", "--check").returncode == 0
