"""Queue, claim, end and recover jobs (`jobs.models.Job`); where uploaded files wait for their job.

Why our own small queue rather than django-tasks' database backend: a job here must be failed (or
re-queued) when its worker dies half-way, with its half-written rows removed and its uploaded files
(ID numbers) deleted — django-tasks leaves such a task "running" for ever (its issue #46, open) — and
the page must tell a clerk when no worker is running. That is a conditional UPDATE, a heartbeat and a
recovery pass (healthchecks' `sendalerts` pattern), a few dozen lines.

- The web process only calls :func:`job_enqueue` (in the transaction that creates what the job fills)
  and reads :func:`job_health`.
- `dangbo worker` (jobs.worker) calls :func:`job_claim` → the kind's handler → :func:`job_done`,
  :func:`job_fail` or :func:`job_release`; it beats :func:`job_heartbeat` while the handler runs and
  calls :func:`jobs_recover` at start and every `recover_every_seconds`.
- A kind is registered by a ``jobs`` module in its app (found like Django's admin modules):
  ``register("registry.import", run=…, failed=…, released=…)``; ``on_recover(fn)`` adds a sweep the
  recovery pass runs (e.g. imports started by the command line and killed).

Settings (``settings.DANGBO_JOBS``, a dict; defaults in :data:`DEFAULTS`): ``heartbeat_seconds``,
``stale_seconds`` (a running job whose heartbeat is older is its worker's death), ``queue_warn_seconds``
(a job queued longer means no worker is running: the page says so), ``poll_seconds``,
``recover_every_seconds``, ``orphan_seconds`` (an upload folder no job owns is deleted after this).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import shutil
import socket
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from dangbo.jobs.models import Job

log = logging.getLogger(__name__)

DEFAULTS = {"heartbeat_seconds": 5.0, "stale_seconds": 60.0, "queue_warn_seconds": 15.0, "poll_seconds": 1.0,
            "recover_every_seconds": 30.0, "orphan_seconds": 900.0}
#: What a job whose worker died says (page and job row).
DIED = ("Bộ xử lý nền đã dừng giữa chừng khi đang làm việc này (máy chủ khởi động lại, tiến trình bị tắt "
        "hoặc hết bộ nhớ). Phần đã ghi dở đã được xoá — hãy làm lại.")
UNEXPECTED = "Lỗi không mong đợi khi xử lý (chưa lưu gì): {error}"


def conf(name: str) -> float:
    return float(getattr(settings, "DANGBO_JOBS", {}).get(name, DEFAULTS[name]))


class JobError(Exception):
    """A job that cannot be done; `message` (Vietnamese) is stored on the job and shown to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class JobReleased(BaseException):  # noqa: N818 — a signal to unwind, like KeyboardInterrupt
    """Raised by :meth:`JobContext.check` when the worker is stopping: the handler undoes its partial
    work (cleanup in ``finally`` / ``except BaseException``) and the job goes back to the queue."""


class JobLost(BaseException):  # noqa: N818
    """Raised by :meth:`JobContext.check` when the job is no longer this worker's (recovered by another
    worker after a long stall): the handler unwinds and nobody touches the job's row."""


class JobContext:
    """What a handler sees of its worker: `check()` at safe points (between chunks, per file)."""

    def __init__(self, job: Job, stopping: Callable[[], bool] = lambda: False):
        self.job, self._stopping, self.lost = job, stopping, False

    def check(self) -> None:
        if self.lost:
            raise JobLost(f"job {self.job.pk}")
        if self._stopping():
            raise JobReleased(f"job {self.job.pk}")


@dataclasses.dataclass(frozen=True)
class Handler:
    run: Callable[[Job, JobContext], None]
    failed: Callable[[Job, str], None] | None = None  # undo partial work, record the failure (idempotent)
    released: Callable[[Job], None] | None = None  # the job goes back to the queue


_HANDLERS: dict[str, Handler] = {}
_RECOVERIES: list[Callable[[], object]] = []
_discovered = False


def register(kind: str, *, run, failed=None, released=None) -> None:
    _HANDLERS[kind] = Handler(run=run, failed=failed, released=released)


def on_recover(fn: Callable[[], object]) -> Callable[[], object]:
    if fn not in _RECOVERIES:
        _RECOVERIES.append(fn)
    return fn


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("jobs")
        _discovered = True


def handler_for(kind: str) -> Handler:
    _discover()
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise JobError(f"Không có bộ xử lý cho loại việc «{kind}».") from None


# ---------------------------------------------------------------- uploads


def uploads_root() -> Path:
    """``VAR_DIR/uploads``, readable by the server's user only (0700)."""
    root = Path(settings.VAR_DIR) / "uploads"
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(root, 0o700)
    return root


def upload_dir_new() -> Path:
    """A new private folder (0700) for one job's files."""
    return Path(tempfile.mkdtemp(prefix="job-", dir=uploads_root()))


def upload_save(directory: Path, name: str, chunks: Iterable[bytes]) -> Path:
    """Write one uploaded file into `directory`, owner-only (0600); `name` is a plain base name."""
    path = directory / Path(name).name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    with os.fdopen(fd, "wb") as out:
        for chunk in chunks:
            out.write(chunk)
    return path


def upload_remove(directory: str | os.PathLike | None) -> None:
    """Delete a job's upload folder (only ever one under :func:`uploads_root`)."""
    if not directory:
        return
    path = Path(directory).resolve()
    if path.parent != uploads_root().resolve():
        log.error("upload folder %s is not under %s: not deleted", path, uploads_root())
        return
    shutil.rmtree(path, ignore_errors=True)


# ---------------------------------------------------------------- the queue


def job_enqueue(*, kind: str, payload: dict, upload_dir: str | os.PathLike = "") -> Job:
    """Queue a job (call inside the transaction that creates what the job works on)."""
    return Job.objects.create(kind=kind, payload=payload, upload_dir=str(upload_dir or ""))


def job_claim(*, worker: str) -> Job | None:
    """Take the oldest queued job: a conditional UPDATE (queued → running), so two workers never run
    the same job; None when the queue is empty."""
    for _ in range(10):
        candidate = Job.objects.filter(status=Job.QUEUED).order_by("id").values_list("id", flat=True).first()
        if candidate is None:
            return None
        now = timezone.now()
        claimed = Job.objects.filter(pk=candidate, status=Job.QUEUED).update(
            status=Job.RUNNING, worker=worker, claimed_at=now, heartbeat_at=now, attempts=F("attempts") + 1, error="")
        if claimed:
            return Job.objects.get(pk=candidate)
    return None  # others keep winning: try again at the next poll


def job_heartbeat(job: Job, *, worker: str) -> bool:
    """Say the job is alive; False when it is no longer this worker's (recovered meanwhile)."""
    return Job.objects.filter(pk=job.pk, status=Job.RUNNING, worker=worker).update(heartbeat_at=timezone.now()) == 1


def job_done(job: Job, *, worker: str) -> None:
    Job.objects.filter(pk=job.pk, status=Job.RUNNING, worker=worker).update(
        status=Job.DONE, finished_at=timezone.now())
    upload_remove(job.upload_dir)


def job_fail(job: Job, message: str, *, worker: str | None = None) -> None:
    """Fail the job: the kind's `failed` hook undoes partial work and records the message, then the
    job row says failed and its upload folder is deleted. Safe to repeat."""
    try:
        hook = handler_for(job.kind).failed
    except JobError:
        hook = None
    if hook:
        hook(job, message)
    qs = Job.objects.filter(pk=job.pk, status__in=(Job.QUEUED, Job.RUNNING))
    if worker is not None:
        qs = qs.filter(worker=worker)
    qs.update(status=Job.FAILED, error=message, finished_at=timezone.now())
    upload_remove(job.upload_dir)


def job_release(job: Job, *, worker: str) -> None:
    """Put a job the worker gave up on (stopping) back in the queue; its files stay for the next run."""
    hook = handler_for(job.kind).released
    if hook:
        hook(job)
    Job.objects.filter(pk=job.pk, status=Job.RUNNING, worker=worker).update(
        status=Job.QUEUED, worker="", claimed_at=None, heartbeat_at=None)


# ---------------------------------------------------------------- recovery


def worker_ident(token: str) -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{token}"


def _dead_here(worker: str, me: str | None) -> bool:
    """True when `worker` ran on this machine and is certainly gone: its process no longer exists, or it
    had this process's id but another token (a previous run of a restarted container)."""
    try:
        host, pid_text, token = worker.rsplit(":", 2)
        pid = int(pid_text)
    except ValueError:
        return False
    if host != socket.gethostname():
        return False
    if me and worker == me:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def jobs_recover(*, me: str | None = None, now: dt.datetime | None = None) -> list[int]:
    """Fail the running jobs whose worker died (heartbeat older than `stale_seconds`, or the worker's
    process gone on this machine), run the registered sweeps, delete orphaned upload folders.
    Returns the ids of the jobs failed."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=conf("stale_seconds"))
    failed = []
    for job in Job.objects.filter(status=Job.RUNNING).order_by("id"):
        stale = job.heartbeat_at is None or job.heartbeat_at < cutoff
        if not (stale or _dead_here(job.worker, me)):
            continue
        # take the job over conditionally, so two recovering workers never fail it twice
        owner = f"{me or worker_ident('recover')} (phục hồi)"
        if not Job.objects.filter(pk=job.pk, status=Job.RUNNING, worker=job.worker).update(worker=owner, heartbeat_at=now):
            continue
        log.warning("job %s (%s): its worker %s died; failing it", job.pk, job.kind, job.worker)
        try:
            job_fail(job, DIED, worker=owner)
        except Exception:  # a sweep that fails is retried at the next pass
            log.exception("job %s: recovery failed", job.pk)
            Job.objects.filter(pk=job.pk, worker=owner).update(worker=job.worker, heartbeat_at=job.heartbeat_at)
            continue
        failed.append(job.pk)
    _discover()
    for sweep in list(_RECOVERIES):
        try:
            sweep()
        except Exception:
            log.exception("recovery sweep %s failed", getattr(sweep, "__name__", sweep))
    uploads_sweep(now=now)
    return failed


def uploads_sweep(*, now: dt.datetime | None = None) -> list[str]:
    """Delete upload folders no queued or running job owns, once older than `orphan_seconds` (a web
    process killed between saving files and queueing the job; a worker killed before deleting)."""
    root = uploads_root()
    owned = {str(Path(d).resolve()) for d in Job.objects.filter(status__in=(Job.QUEUED, Job.RUNNING))
             .exclude(upload_dir="").values_list("upload_dir", flat=True)}
    limit = (now or timezone.now()).timestamp() - conf("orphan_seconds")
    removed = []
    for path in root.iterdir():
        if str(path.resolve()) in owned:
            continue
        try:
            if path.lstat().st_mtime > limit:
                continue
        except FileNotFoundError:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path.name)
    return removed


def job_health(job: Job | None, *, now: dt.datetime | None = None) -> str:
    """"waiting" — queued longer than `queue_warn_seconds` while no worker is busy (so none is running);
    "busy" — queued behind another job a live worker is doing; "stalled" — running with a heartbeat older
    than `stale_seconds` (its worker died and none has recovered it); else "ok"."""
    if job is None:
        return "ok"
    now = now or timezone.now()
    alive = now - dt.timedelta(seconds=conf("stale_seconds"))
    if job.status == Job.QUEUED and job.created_at < now - dt.timedelta(seconds=conf("queue_warn_seconds")):
        busy = Job.objects.filter(status=Job.RUNNING, heartbeat_at__gte=alive).exclude(pk=job.pk).exists()
        return "busy" if busy else "waiting"
    if job.status == Job.RUNNING and (job.heartbeat_at is None or job.heartbeat_at < alive):
        return "stalled"
    return "ok"
