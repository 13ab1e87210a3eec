"""The worker loop behind `dangbo worker`: recover, claim one job, run it with a heartbeat, repeat.

SIGTERM / SIGINT: stop claiming; the running job's handler is told at its next safe point
(`JobContext.check`), undoes what it wrote and the job goes back to the queue, then the worker exits.
A worker killed outright (SIGKILL, out of memory) leaves its job "running" with an ageing heartbeat;
the next worker's recovery fails it (at once when it ran on the same machine, since the process is
gone; otherwise once the heartbeat is `stale_seconds` old) and the kind's hook removes what it wrote.
"""

from __future__ import annotations

import logging
import secrets
import signal
import threading
import time

from django.db import DatabaseError, close_old_connections, connection

from dangbo.jobs import services
from dangbo.jobs.models import Job

log = logging.getLogger(__name__)


class _Heartbeat(threading.Thread):
    """Beats the job's heartbeat every `interval` seconds from its own connection; marks the context
    lost when the job is no longer this worker's."""

    def __init__(self, job: Job, worker: str, interval: float, ctx: services.JobContext):
        super().__init__(name=f"job-{job.pk}-heartbeat", daemon=True)
        self.job, self.worker, self.interval, self.ctx = job, worker, interval, ctx
        self.done = threading.Event()

    def run(self) -> None:
        try:
            while not self.done.wait(self.interval):
                try:
                    alive = services.job_heartbeat(self.job, worker=self.worker)
                except DatabaseError as exc:  # a busy database: the next beat will do
                    log.warning("job %s: heartbeat not written (%s)", self.job.pk, exc)
                    continue
                if not alive:
                    self.ctx.lost = True
                    return
        finally:
            connection.close()

    def stop(self) -> None:
        self.done.set()
        self.join(timeout=30)


class Worker:
    def __init__(self, *, poll: float | None = None, heartbeat: float | None = None):
        self.ident = services.worker_ident(secrets.token_hex(4))
        self.poll = services.conf("poll_seconds") if poll is None else poll
        self.heartbeat = services.conf("heartbeat_seconds") if heartbeat is None else heartbeat
        self.stop_event = threading.Event()

    def stopping(self) -> bool:
        return self.stop_event.is_set()

    def stop(self, *_args) -> None:
        self.stop_event.set()

    def recover(self) -> list[int]:
        return services.jobs_recover(me=self.ident)

    def run_once(self) -> Job | None:
        """Claim and run one queued job; returns it (refreshed) or None when the queue is empty."""
        job = services.job_claim(worker=self.ident)
        if job is None:
            return None
        log.info("job %s (%s) started by %s", job.pk, job.kind, self.ident)
        ctx = services.JobContext(job, self.stopping)
        beat = _Heartbeat(job, self.ident, self.heartbeat, ctx)
        beat.start()
        outcome = "done"
        try:
            try:
                services.handler_for(job.kind).run(job, ctx)
            finally:
                beat.stop()
        except services.JobReleased:
            outcome = "released"
            services.job_release(job, worker=self.ident)
        except services.JobLost:
            outcome = "lost"
            log.warning("job %s was taken over by a recovery; its outcome is theirs", job.pk)
        except services.JobError as exc:
            outcome = "failed"
            services.job_fail(job, exc.message, worker=self.ident)
        except Exception as exc:
            outcome = "failed"
            log.exception("job %s (%s) failed", job.pk, job.kind)
            services.job_fail(job, services.UNEXPECTED.format(error=exc), worker=self.ident)
        else:
            services.job_done(job, worker=self.ident)
        log.info("job %s: %s", job.pk, outcome)
        job.refresh_from_db()
        return job

    def run(self, *, once: bool = False, signals: bool = True) -> None:
        """Loop until stopped (or, with `once`, until the queue is empty)."""
        if signals:
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)
        every = services.conf("recover_every_seconds")
        last_recover = None
        while not self.stopping():
            try:
                if last_recover is None or time.monotonic() - last_recover >= every:
                    last_recover = time.monotonic()
                    self.recover()
                job = self.run_once()
            except DatabaseError as exc:  # e.g. the database is busy or restarting: try again later
                log.warning("worker: database error (%s); retrying", exc)
                close_old_connections()
                job = None
                if once:
                    raise
            if job is None:
                if once:
                    return
                self.stop_event.wait(self.poll)
