"""Long work (imports) queued by the web process and done by `dangbo worker` (see jobs.services).

A job is claimed from the database by a conditional UPDATE (queued → running), kept alive by its
worker's heartbeat, and ends done or failed; a job whose worker died (heartbeat too old, or the
worker's process gone) is failed by the next worker's recovery. `upload_dir` is the folder of files
the job reads (e.g. uploaded rolls with ID numbers): deleted when the job ends, either way.
"""

from django.db import models


class Job(models.Model):
    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATUS_CHOICES = [(QUEUED, "Chờ xử lý"), (RUNNING, "Đang xử lý"), (DONE, "Xong"), (FAILED, "Lỗi")]

    kind = models.CharField("Loại việc", max_length=100)  # a handler registered with jobs.services.register
    payload = models.JSONField("Dữ liệu", default=dict, blank=True)
    status = models.CharField("Trạng thái", max_length=10, choices=STATUS_CHOICES, default=QUEUED)
    upload_dir = models.CharField(max_length=500, blank=True)  # under VAR_DIR/uploads/, deleted at the end
    created_at = models.DateTimeField("Thời điểm tạo", auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True)  # "host:pid:token" of the worker running it
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField("Lỗi", blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "id"], name="jobs_status_id")]
        verbose_name = "việc chạy nền"
        verbose_name_plural = "việc chạy nền"

    def __str__(self) -> str:
        return f"Việc #{self.pk} ({self.kind}, {self.get_status_display()})"
