"""Imports of member rolls into the registry, with provenance and the review queue.

`dangbo registry import` (registry.services.import_files) records one :class:`ImportBatch` per run,
keeps every accepted source row as a :class:`SourceRecord` linked to the member it became part of,
and puts the pairs the matcher could not decide into the review queue (:class:`ReviewPair`), where
office staff merge them or keep them apart — every decision audited and reversible.
"""

from django.conf import settings
from django.db import models

from dangbo.members.models import Member
from dangbo.orgs.models import Organization


class ImportBatch(models.Model):
    """One run of `dangbo registry import`: who, when, which files, the merge report, the target."""

    created_at = models.DateTimeField("Thời điểm nhập", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_by_name = models.CharField("Người nhập", max_length=150, blank=True)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="Tổ chức đảng nhận danh sách")
    org_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    files = models.JSONField("Tệp", default=list)  # base names, in the order given
    report = models.JSONField("Báo cáo", default=dict)  # merge report (per file, rejected rows, totals)
    members_created = models.PositiveIntegerField(default=0)
    # An import writes in short transactions (services.import_files): the batch is "running" until the
    # last one, which makes it "done"; a failed import removes what it wrote and leaves only this row,
    # "failed", with the Vietnamese `error` — no member, source row or pair. A web upload
    # (/nhap-danh-sach/tai-len/) creates its batch first and queues `job` for `dangbo worker`;
    # `progress` says how far. `heartbeat_at` is touched by every transaction of a running import, so
    # one whose process died is found and cleaned up (services.batches_recover).
    RUNNING, DONE, FAILED = "running", "done", "failed"
    STATUS_CHOICES = [(RUNNING, "Đang nhập"), (DONE, "Đã nhập"), (FAILED, "Lỗi, chưa nhập gì")]
    status = models.CharField("Trạng thái", max_length=10, choices=STATUS_CHOICES, default=DONE)
    progress = models.JSONField("Tiến độ", default=dict, blank=True)
    error = models.TextField("Lỗi", blank=True)
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "lần nhập danh sách"
        verbose_name_plural = "lần nhập danh sách"

    def __str__(self) -> str:
        return f"Lần nhập #{self.pk} ({', '.join(self.files)})"


class SourceRecord(models.Model):
    """One accepted row of an input file (provenance): its normalised fields, its raw values, its member.

    `data` holds the normalised record (registry.records.Record, without the run-local index) plus
    `person_id`, `card_history` (every card number the person's rows carried) and the precision of
    each date ("day" | "year"): a date known to the year only was stored on the member as a full date
    (see services._member_date), and the precision recorded here says so.
    """

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="records")
    ref = models.CharField("Nguồn (tệp:dòng)", max_length=300)
    data = models.JSONField(default=dict)
    raw = models.JSONField(default=dict)
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="source_records")

    class Meta:
        ordering = ["batch", "id"]
        constraints = [models.UniqueConstraint(fields=["batch", "ref"], name="registry_source_ref_unique")]

    def __str__(self) -> str:
        return self.ref


class BulkDecision(models.Model):
    """One decision taken for a whole class of open pairs ("Giữ riêng tất cả" / "Hợp nhất tất cả"),
    undone as one (its pairs, newest first). `pairs` are the pairs it decided."""

    MERGE, KEEP_APART = "merge", "keep_apart"
    ACTION_CHOICES = [(MERGE, "Hợp nhất tất cả"), (KEEP_APART, "Giữ riêng tất cả")]

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="bulk_decisions")
    kind = models.CharField("Loại cặp", max_length=12)
    action = models.CharField("Quyết định", max_length=12, choices=ACTION_CHOICES)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
    count = models.PositiveIntegerField(default=0)
    skipped = models.JSONField(default=list, blank=True)  # [{"pair", "reason"}] that could not be decided
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.kind}, {self.count} cặp)"


class ReviewPair(models.Model):
    """Two source rows the matcher found alike but not certainly the same person.

    Their members are `record_a.member` and `record_b.member` (a merge moves B's rows to A's member,
    so later pairs follow). `undo` keeps what reverting a decision needs: for a merge, the full
    snapshot of the removed member and its events, the rows moved and the fields filled in on A.
    """

    OPEN, MERGED, KEPT_APART = "open", "merged", "kept_apart"
    STATUS_CHOICES = [(OPEN, "Chờ xem xét"), (MERGED, "Đã hợp nhất"), (KEPT_APART, "Giữ riêng")]

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="pairs")
    record_a = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="+")
    record_b = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="+")
    comparison = models.JSONField(default=dict)  # field → {"a", "b", "cmp"}
    score = models.FloatField(default=0.0)
    reason = models.CharField(max_length=255, blank=True)
    status = models.CharField("Trạng thái", max_length=12, choices=STATUS_CHOICES, default=OPEN, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    undo = models.JSONField(default=dict, blank=True)
    # Issue 15: the class of the pair (registry.matching.KINDS) and its rank there (strongest first);
    # the cell whose secretary may decide it (both records in that subtree); the bulk decision that
    # decided it, if any.
    kind = models.CharField("Loại cặp", max_length=12, blank=True, db_index=True)
    rank = models.PositiveSmallIntegerField(default=0)
    assigned_org = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name="Giao cho chi bộ")
    bulk = models.ForeignKey(BulkDecision, null=True, blank=True, on_delete=models.SET_NULL, related_name="pairs")

    class Meta:
        ordering = ["batch", "rank", "-score", "id"]

    def __str__(self) -> str:
        return f"{self.record_a.ref} ↔ {self.record_b.ref}"


class ImportIssue(models.Model):
    """One thing a clerk should know about an import, in file order: a row refused (``rejected``), a
    value that could not be read and was left empty (``unread``), one read with a change
    (``repaired``), invisible characters removed (``stripped``) — what the command line's
    ``report.json`` lists — or, for a batch that failed, a problem that stopped it (``error``; each
    person named once, every field in conflict on one line). Kept with the batch, done or failed, for
    its page (paged) and its Excel / CSV download; `member` is the member the row became part of."""

    REJECTED, UNREAD, REPAIRED, STRIPPED, ERROR = "rejected", "unread", "repaired", "stripped", "error"
    KIND_CHOICES = [(ERROR, "Lỗi cần sửa"), (REJECTED, "Dòng bị loại"), (UNREAD, "Giá trị không đọc được"),
                    (REPAIRED, "Giá trị đã sửa"), (STRIPPED, "Đã bỏ ký tự vô hình")]

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="issues")
    kind = models.CharField("Loại", max_length=10, choices=KIND_CHOICES)
    file = models.CharField("Tệp", max_length=255, blank=True)
    row = models.PositiveIntegerField("Dòng", null=True, blank=True)
    refs = models.TextField("Các dòng", blank=True)  # "FILE:ROW" joined by ", " (a person of several rows)
    name = models.CharField("Họ và tên", max_length=255, blank=True)
    column = models.CharField("Cột", max_length=255, blank=True)
    value = models.TextField("Giá trị trong tệp", blank=True)
    kept = models.TextField("Giá trị đã giữ", blank=True)
    message = models.TextField("Ghi chú", blank=True)
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["batch", "id"]
        indexes = [models.Index(fields=["batch", "kind"], name="registry_issue_batch_kind")]
        verbose_name = "ghi chú lần nhập"
        verbose_name_plural = "ghi chú lần nhập"

    def __str__(self) -> str:
        return f"{self.refs} ({self.name}): {self.message}" if self.name else f"{self.refs}: {self.message}"
