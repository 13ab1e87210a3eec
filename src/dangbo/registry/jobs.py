"""The registry's work for `dangbo worker` (found by jobs.services' discovery of `<app>.jobs` modules):
the import of uploaded rolls, and the sweep of imports whose process died."""

from dangbo.jobs.services import on_recover, register
from dangbo.registry import uploads
from dangbo.registry.services import batches_recover

register(uploads.IMPORT_JOB, run=uploads.upload_run, failed=uploads.upload_failed, released=uploads.upload_released)
on_recover(batches_recover)
