"""The web upload of rolls (/nhap-danh-sach/tai-len/): the page queues, `dangbo worker` imports.

- :func:`upload_start` (web process) checks the files, saves them owner-only in a private folder under
  ``VAR_DIR/uploads/``, creates the batch "running" (progress stage "queued") and queues the job
  :data:`IMPORT_JOB` in the same transaction; the page then polls the batch's progress.
- :func:`upload_run` (the worker) runs :func:`registry.services.import_files` into the batch; its
  :class:`_BatchProgress` writes files and rows read, records matched and members imported to the
  batch and stops the import when the worker is told to stop (SIGTERM): what was written is removed
  and the job goes back to the queue (:func:`upload_released`).
- A failure — bad files, or the worker's death found by the next worker's recovery — goes through
  :func:`upload_failed`: what was written is removed, the batch says "failed" with the Vietnamese
  message. The jobs app deletes the uploaded files when the job ends, either way.
The handlers are registered with the jobs app in ``registry/jobs.py``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from django.db import OperationalError, transaction

from dangbo.audit.services import audit_record
from dangbo.core.errors import InvalidInput
from dangbo.jobs import services as jobs
from dangbo.jobs.models import Job
from dangbo.orgs.models import Organization
from dangbo.registry.models import ImportBatch
from dangbo.registry.readers import RegistryInputError
from dangbo.registry.services import RegistryImportError, batch_fail, import_files

log = logging.getLogger(__name__)

IMPORT_JOB = "registry.import"
UPLOAD_EXTENSIONS = (".xlsx", ".xls", ".csv")
MAX_UPLOAD_FILES = 20
MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # per file
#: Share of the progress bar per stage (read files, match, import members).
_SPAN = {"read": (0, 35), "compare": (40, 70), "import": (70, 100)}


def _queued_state(files: int) -> dict[str, Any]:
    return {"stage": "queued", "percent": 0, "files": files}


class _BatchProgress:
    """A `Progress` callback that keeps the batch's progress in its row (while reading and matching at
    most twice a second and at each stage's end; while importing once per write transaction, inside
    it) and calls `check` first, which raises to stop the import."""

    def __init__(self, batch_id: int, files: int, check: Callable[[], None] | None = None):
        self.batch_id, self.check, self.last = batch_id, check, 0.0
        self.state: dict[str, Any] = {"stage": "read", "percent": 0, "files": files, "files_read": 0,
                                      "rows_read": 0, "records_matched": 0, "persons": 0, "members_imported": 0}
        self._save(catch=True)

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.check:
            self.check()
        st = self.state
        if stage == "read":
            st["files_read"] = done
        elif stage == "rows_read":
            st["rows_read"] = done
        elif stage == "compare":
            st["stage"] = "compare"
        elif stage == "matched":
            st.update(stage="import", records_matched=done, persons=total, percent=_SPAN["import"][0])
        elif stage == "import":
            st.update(stage="import", members_imported=done, persons=total)
        if stage in _SPAN:
            lo, hi = _SPAN[stage]
            st["percent"] = int(lo + (hi - lo) * (done / total if total else 1))
        if stage == "import":  # inside the import's transaction: an error there must end it
            self._save(catch=False)
        elif done >= total or stage in ("rows_read", "matched") or time.monotonic() - self.last >= 0.5:
            self._save(catch=True)

    def _save(self, *, catch: bool) -> None:
        self.last = time.monotonic()
        try:
            ImportBatch.objects.filter(pk=self.batch_id, status=ImportBatch.RUNNING).update(progress=dict(self.state))
        except OperationalError:
            if not catch:
                raise
            log.warning("registry upload %s: progress not saved (database busy)", self.batch_id)


def live_progress(batch: ImportBatch) -> dict[str, Any]:
    """The batch's progress as the worker last wrote it."""
    return dict(batch.progress or {})


def _check_upload(files: Sequence[Any]) -> None:
    if not files:
        raise InvalidInput("Chưa chọn tệp danh sách nào.", field="files")
    if len(files) > MAX_UPLOAD_FILES:
        raise InvalidInput(f"Mỗi lần nhập tối đa {MAX_UPLOAD_FILES} tệp.", field="files")
    names = []
    for f in files:
        name = Path(f.name or "").name
        if not name or name.startswith("."):
            raise InvalidInput(f"Tệp «{f.name}»: tên tệp không hợp lệ.", field="files")
        if not name.lower().endswith(UPLOAD_EXTENSIONS):
            raise InvalidInput(f"Tệp «{name}»: chỉ nhận tệp .xlsx, .xls hoặc .csv.", field="files")
        if f.size > MAX_UPLOAD_BYTES:
            raise InvalidInput(f"Tệp «{name}»: lớn hơn {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.", field="files")
        if name in names:
            raise InvalidInput(f"Tệp «{name}»: được chọn hai lần (hoặc hai tệp trùng tên) — nguồn "
                               "TỆP:DÒNG sẽ không phân biệt được; hãy đổi tên một tệp.", field="files")
        names.append(name)


def upload_start(*, actor, organization: Organization, files: Sequence[Any],
                 mapping: dict[str, str] | None = None) -> ImportBatch:
    """Queue the import of uploaded rolls (Django ``UploadedFile``s) into `organization`'s subtree.

    Checks the files (Vietnamese `InvalidInput` naming the file), saves them (0600, in a 0700 folder
    under ``VAR_DIR/uploads/``), then in one transaction creates the batch "running", queues the job
    and audits the upload; returns the batch at once.
    """
    _check_upload(files)
    if organization.valid_to is not None:
        raise InvalidInput(f"«{organization.name}» đã giải thể, không nhận danh sách.", field="organization")
    directory = jobs.upload_dir_new()
    try:
        paths = [jobs.upload_save(directory, Path(f.name).name, f.chunks()) for f in files]
        actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                created_by=actor if actor_id else None,
                created_by_name=actor.get_username() if actor_id else "hệ thống",
                organization=organization, org_path=organization.path, files=[p.name for p in paths],
                status=ImportBatch.RUNNING, progress=_queued_state(len(paths)),
            )
            batch.job = jobs.job_enqueue(kind=IMPORT_JOB, upload_dir=directory, payload={
                "batch": batch.pk, "files": [p.name for p in paths], "mapping": mapping, "actor": actor_id})
            batch.save(update_fields=["job"])
            audit_record(actor=actor, action="registry.upload", obj=batch, org_path=organization.path,
                         after={"files": batch.files, "organization": organization.pk})
    except BaseException:
        jobs.upload_remove(directory)
        raise
    return batch


def upload_run(job: Job, ctx: jobs.JobContext) -> None:
    """The worker's part: import the job's files into its batch (a bad file → `JobError`)."""
    from django.contrib.auth import get_user_model

    batch = ImportBatch.objects.select_related("organization").get(pk=job.payload["batch"])
    actor_id = job.payload.get("actor")
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    paths = [Path(job.upload_dir) / name for name in job.payload["files"]]
    progress = _BatchProgress(batch.pk, len(paths), check=ctx.check)
    try:
        import_files(paths, organization=batch.organization, actor=actor, mapping=job.payload.get("mapping"),
                     progress=progress, batch=batch)
    except (RegistryInputError, RegistryImportError, InvalidInput) as exc:
        raise jobs.JobError(getattr(exc, "message", None) or str(exc)) from None


def upload_failed(job: Job, message: str) -> None:
    batch_fail(job.payload["batch"], message, actor_id=job.payload.get("actor"))


def upload_released(job: Job) -> None:
    """The worker stopped mid-import (what it wrote is already removed): the batch waits again."""
    ImportBatch.objects.filter(pk=job.payload["batch"], status=ImportBatch.RUNNING).update(
        progress=_queued_state(len(job.payload["files"])))
