"""The term programme (TGT-*) and the models registry (MOD-*).

A `Programme` is what an organisation's congress adopted for its term: key tasks (`KeyTask`) with the
action programme's yearly items (`ActionItem`), and targets (`Target`) with a goal per year
(`TargetGoal`). A subordinate organisation's programme has its own targets, each under the committee's
(`Target.parent`). A target is computed from the platform's records (`measure`, see
`programme.measures`) or reported per organisation per year (`Figure`, with its evidence). Digital
transformation indicators (TGT-5 and those the office adds) are targets of category «digital».
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models

from dangbo.congress.models import Congress
from dangbo.members.models import Member
from dangbo.orgs.models import Organization
from dangbo.programme import rules

GOAL_DIGITS = {"max_digits": 12, "decimal_places": 2}


class EvidenceStorage(FileSystemStorage):
    """Evidence files live owner-only under var/evidence/ (never served as static files); the folder
    is read from settings.VAR_DIR at each use, so a test's VAR_DIR is honoured."""

    def __init__(self):
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self):
        return str(settings.VAR_DIR / "evidence")

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def evidence_storage():
    return EvidenceStorage()


class Programme(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="programmes",
                                     verbose_name="Tổ chức đảng")
    org_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    congress = models.ForeignKey(Congress, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name="Đại hội thông qua")
    term = models.CharField("Nhiệm kỳ", max_length=20)
    title = models.CharField("Tên nghị quyết, chương trình", max_length=255)
    document_number = models.CharField("Số, ký hiệu văn bản", max_length=40, blank=True)

    class Meta:
        ordering = ["org_path", "-term"]
        constraints = [models.UniqueConstraint(fields=["organization", "term"], name="programme_org_term_unique")]
        verbose_name = "chương trình toàn khoá"
        verbose_name_plural = "chương trình toàn khoá"

    def __str__(self) -> str:
        return self.title


class KeyTask(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="tasks")
    code = models.CharField("Mã", max_length=20)
    title = models.CharField("Nhiệm vụ trọng tâm", max_length=500)

    class Meta:
        ordering = ["programme", "code"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="programme_task_code_unique")]
        verbose_name = "nhiệm vụ trọng tâm"
        verbose_name_plural = "nhiệm vụ trọng tâm"

    def __str__(self) -> str:
        return self.title


class ActionItem(models.Model):
    task = models.ForeignKey(KeyTask, on_delete=models.CASCADE, related_name="items")
    year = models.PositiveSmallIntegerField("Năm")
    title = models.CharField("Nội dung", max_length=500)
    owner = models.CharField("Đơn vị, người chủ trì", max_length=255)
    deadline = models.DateField("Thời hạn")
    done_on = models.DateField("Ngày hoàn thành", null=True, blank=True)

    class Meta:
        ordering = ["year", "deadline", "id"]
        verbose_name = "việc trong chương trình hành động"
        verbose_name_plural = "việc trong chương trình hành động"


class Target(models.Model):
    TARGET, DIGITAL = "target", "digital"
    CATEGORY_CHOICES = [(TARGET, "Chỉ tiêu"), (DIGITAL, "Chỉ số chuyển đổi số")]
    COMPUTED, REPORTED = "computed", "reported"
    SOURCE_CHOICES = [(COMPUTED, "Tính từ dữ liệu của hệ thống"), (REPORTED, "Tổ chức báo cáo")]
    ROLLUP_CHOICES = list(rules.ROLLUP_LABELS.items())

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    task = models.ForeignKey(KeyTask, null=True, blank=True, on_delete=models.SET_NULL, related_name="targets",
                             verbose_name="Thuộc nhiệm vụ")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children",
                               verbose_name="Cụ thể hoá chỉ tiêu của cấp trên")
    category = models.CharField("Nhóm", max_length=10, choices=CATEGORY_CHOICES, default=TARGET)
    code = models.CharField("Mã", max_length=20)
    title = models.CharField("Chỉ tiêu", max_length=500)
    unit = models.CharField("Đơn vị tính", max_length=40, default="%")
    baseline = models.DecimalField("Số liệu đầu nhiệm kỳ", null=True, blank=True, **GOAL_DIGITS)
    term_goal = models.DecimalField("Mục tiêu cả nhiệm kỳ", null=True, blank=True, **GOAL_DIGITS)
    source = models.CharField("Cách có số liệu", max_length=10, choices=SOURCE_CHOICES, default=REPORTED)
    measure = models.CharField("Cách tính", max_length=40, blank=True)  # a key of programme.measures.MEASURES
    rollup = models.CharField("Cách tổng hợp", max_length=16, choices=ROLLUP_CHOICES, default=rules.ORGS_MEETING)
    org_goal = models.DecimalField("Mức mỗi tổ chức phải đạt", null=True, blank=True, **GOAL_DIGITS)
    how_measured = models.TextField("Cách đo", blank=True)
    reporter = models.CharField("Ai báo cáo", max_length=255, blank=True)
    demo_data = models.BooleanField("Dữ liệu mẫu (không phải chỉ tiêu đã công bố)", default=False)

    class Meta:
        ordering = ["programme", "category", "code"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="programme_target_code_unique")]
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"

    @staticmethod
    def audit_codes(key: str) -> dict | None:
        """The audit log's words for a stored code (audit.display): `measure` is a key of the registry."""
        if key != "measure":
            return None
        from dangbo.programme.measures import MEASURES

        return {code: m.label for code, m in MEASURES.items()}

    def __str__(self) -> str:
        return self.title


class TargetGoal(models.Model):
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="goals")
    year = models.PositiveSmallIntegerField("Năm")
    goal = models.DecimalField("Mục tiêu năm", **GOAL_DIGITS)

    class Meta:
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["target", "year"], name="programme_goal_year_unique")]


class Figure(models.Model):
    """An organisation's reported figure of a target for a year, with its evidence (TGT-1)."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="figures")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="Tổ chức báo cáo")
    org_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    year = models.PositiveSmallIntegerField("Năm")
    value = models.DecimalField("Số liệu", **GOAL_DIGITS)
    evidence_number = models.CharField("Số, ký hiệu văn bản minh chứng", max_length=40, blank=True)
    evidence_file = models.FileField("Tệp minh chứng", storage=evidence_storage, upload_to="%Y/", blank=True,
                                     max_length=255)
    evidence_name = models.CharField("Tên tệp minh chứng", max_length=255, blank=True)
    note = models.TextField("Ghi chú", blank=True)
    reported_by = models.CharField("Người báo cáo", max_length=150, blank=True)
    reported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year", "org_path"]
        constraints = [models.UniqueConstraint(fields=["target", "organization", "year"],
                                               name="programme_figure_unique")]
        # The second lets the dashboard's reported query (viewcounts.reported) read a target's year of
        # figures from the index alone (issue 12); the third, on SQLite, each range of their paths
        # under a page's organisation (viewcounts.figure_sums).
        indexes = [models.Index(fields=["target", "year", "org_path"]),
                   models.Index(fields=["target", "year", "organization", "value"], name="programme_figure_cover"),
                   models.Index(fields=["target", "year", "org_path", "organization", "value"],
                                name="programme_figure_path_cover")]
        verbose_name = "số liệu báo cáo"
        verbose_name_plural = "số liệu báo cáo"


class ModelRecord(models.Model):
    """A Ho Chi Minh study model (MOD-1) or a «Dân vận khéo» model (MOD-2) of an organisation."""

    KIND_CHOICES = list(rules.MODEL_KIND_LABELS.items())
    FIELD_CHOICES = list(rules.DVK_FIELDS.items())
    FORM_CHOICES = list(rules.FORMS.items())

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="Tổ chức đăng ký")
    org_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    kind = models.CharField("Loại mô hình", max_length=16, choices=KIND_CHOICES)
    title = models.CharField("Tên mô hình", max_length=500)
    field = models.CharField("Lĩnh vực", max_length=20, choices=FIELD_CHOICES, blank=True)
    form = models.CharField("Hình thức", max_length=12, choices=FORM_CHOICES, default="collective")
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name="Đảng viên điển hình")
    start_year = models.PositiveSmallIntegerField("Năm bắt đầu")
    end_year = models.PositiveSmallIntegerField("Năm kết thúc", null=True, blank=True)
    description = models.TextField("Mô tả", blank=True)
    evidence = models.CharField("Minh chứng (số văn bản, tài liệu)", max_length=255, blank=True)
    recognised_year = models.PositiveSmallIntegerField("Năm được công nhận", null=True, blank=True)
    recognised_by = models.CharField("Cấp công nhận", max_length=255, blank=True)
    recognised_number = models.CharField("Số, ký hiệu văn bản công nhận", max_length=40, blank=True)

    class Meta:
        ordering = ["org_path", "kind", "start_year", "id"]
        # The second lets the models measures (measures.active_models) read from the index alone (issue 12);
        # the third, the holders' paths too (viewcounts.live_heads).
        indexes = [models.Index(fields=["kind", "org_path"]),
                   models.Index(fields=["kind", "start_year", "end_year", "organization"], name="programme_model_cover"),
                   models.Index(fields=["kind", "start_year", "end_year", "organization", "org_path"],
                                name="programme_model_path_cover")]
        verbose_name = "mô hình"
        verbose_name_plural = "mô hình"

    def __str__(self) -> str:
        return self.title

    def status(self, year: int | None = None) -> str:
        return rules.model_status(start_year=self.start_year, end_year=self.end_year,
                                  recognised_year=self.recognised_year, year=year)


class ModelEvaluation(models.Model):
    RESULT_CHOICES = [("effective", "Hiệu quả"), ("fair", "Có hiệu quả, cần nhân rộng thêm"),
                      ("weak", "Chưa hiệu quả")]

    model = models.ForeignKey(ModelRecord, on_delete=models.CASCADE, related_name="evaluations")
    year = models.PositiveSmallIntegerField("Năm")
    result = models.CharField("Kết quả đánh giá", max_length=12, choices=RESULT_CHOICES)
    note = models.TextField("Nhận xét", blank=True)

    class Meta:
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["model", "year"], name="programme_evaluation_unique")]


class Commitment(models.Model):
    """A member's yearly commitment to study and follow Ho Chi Minh (MOD-1, low)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+", verbose_name="Đảng viên")
    org_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    year = models.PositiveSmallIntegerField("Năm")
    text = models.TextField("Nội dung đăng ký làm theo")
    result = models.TextField("Kết quả thực hiện", blank=True)

    class Meta:
        ordering = ["year", "org_path"]
        verbose_name = "cam kết làm theo Bác"
        verbose_name_plural = "cam kết làm theo Bác"
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="programme_commitment_unique")]


class CongressPlan(models.Model):
    """A subordinate organisation's congress in the season: planned, preparing, held (TGT-1)."""

    PLANNED, PREPARING, HELD = "planned", "preparing", "held"
    STATUS_CHOICES = [(PLANNED, "Có kế hoạch"), (PREPARING, "Đang chuẩn bị"), (HELD, "Đã tổ chức")]

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="Tổ chức đảng")
    org_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    term = models.CharField("Nhiệm kỳ", max_length=20)
    planned_date = models.DateField("Ngày dự kiến")
    held_date = models.DateField("Ngày tổ chức", null=True, blank=True)
    status = models.CharField("Tình trạng", max_length=10, choices=STATUS_CHOICES, default=PLANNED)
    documents = models.TextField("Văn kiện, hồ sơ", blank=True)

    class Meta:
        ordering = ["planned_date", "org_path"]
        constraints = [models.UniqueConstraint(fields=["organization", "term"], name="programme_plan_unique")]
        verbose_name = "kế hoạch đại hội"
        verbose_name_plural = "kế hoạch đại hội"
