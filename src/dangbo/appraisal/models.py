"""The annual appraisal (APR-1..7): a campaign per year and organisation, one review per member.

A review moves draft → self_assessed (the member) → proposed (the cell, grade from `rules.grade_member`)
→ decided (the deciding level, after the APR-4 quota check). Members excluded by APR-1 are created
decided with grade not_reviewed. Only `appraisal.services` writes these rows.
"""

from django.db import models

from dangbo.appraisal import rules
from dangbo.members.models import Member
from dangbo.orgs.models import Organization

DRAFT, SELF_ASSESSED, PROPOSED, DECIDED = "draft", "self_assessed", "proposed", "decided"
STATUS_LABELS = {
    DRAFT: "Chưa tự đánh giá",
    SELF_ASSESSED: "Đã tự đánh giá",
    PROPOSED: "Chi bộ đã đề xuất",
    DECIDED: "Đã quyết định",
}
STATUSES = tuple(STATUS_LABELS)
GRADE_CHOICES = [(g, rules.GRADE_LABELS[g]) for g in rules.GRADES]


class Campaign(models.Model):
    """One year's appraisal of an organisation's whole subtree."""

    year = models.PositiveSmallIntegerField("Năm đánh giá")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="appraisal_campaigns",
                                     verbose_name="Tổ chức đảng")
    org_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    review_date = models.DateField("Ngày đánh giá")
    deadline = models.DateField("Hạn hoàn thành")
    regulation = models.CharField("Quy định áp dụng", max_length=20, editable=False)  # APR-7, from the year
    note = models.CharField("Ghi chú", max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "org_path"]
        constraints = [models.UniqueConstraint(fields=["year", "organization"], name="appraisal_campaign_unique")]
        verbose_name = "đợt đánh giá"
        verbose_name_plural = "đợt đánh giá"

    def __str__(self) -> str:
        return f"Đánh giá, xếp loại năm {self.year} — {self.organization.name}"

    @property
    def uses_score(self) -> bool:
        """APR-7: the 100-point score exists from 366-QĐ/TW on."""
        return self.regulation != rules.REGULATION_124


class GradedMixin:
    """What a member's and an organisation's review both show: the status and the grade as it stands."""

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def grade(self) -> str:
        """The grade as it stands: decided, else proposed, else ''."""
        return self.decided_grade or self.proposed_grade

    @property
    def grade_label(self) -> str:
        return rules.GRADE_LABELS.get(self.grade, "")


class Review(GradedMixin, models.Model):
    """One member's review in a campaign: the self-assessment (the inputs of `rules.grade_member`),
    the cell's proposal and the decision."""

    STATUS_CHOICES = list(STATUS_LABELS.items())
    ROLE_CHOICES = [(r, rules.ROLE_LABELS[r]) for r in (rules.Role.LEADER, rules.Role.MEMBER)]
    DISCIPLINE_CHOICES = list(rules.DISCIPLINE_CHOICE_LABELS.items())

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reviews")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="reviews")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="Chi bộ")  # the member's cell when the campaign opened
    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                             verbose_name="Tổ chức cơ sở đảng")  # the grassroots organisation that decides
    org_path = models.CharField(max_length=255, editable=False, default="")
    peer_group = models.CharField("Nhóm đối tượng", max_length=80)
    role = models.CharField("Vai trò", max_length=16, choices=ROLE_CHOICES, default=rules.Role.MEMBER.value)
    # self-assessment: the inputs of rules.grade_member
    score = models.FloatField("Điểm tự chấm (thang 100)", null=True, blank=True)
    tasks_done_pct = models.FloatField("Tỷ lệ nhiệm vụ hoàn thành (%)", null=True, blank=True)
    tasks_late_pct = models.FloatField("Tỷ lệ nhiệm vụ chậm tiến độ (%)", null=True, blank=True)
    tasks_beyond_pct = models.FloatField("Tỷ lệ nhiệm vụ vượt mức (%)", null=True, blank=True)
    shortcomings_fixed = models.BooleanField("Đã khắc phục hạn chế kỳ trước", default=False)
    discipline = models.CharField("Kỷ luật trong năm", max_length=16, choices=DISCIPLINE_CHOICES, default="none")
    degradation = models.BooleanField("Bị kết luận suy thoái", default=False)
    self_comment = models.TextField("Tự nhận xét", blank=True)
    # APR-6: long sick leave or maternity — graded on the work actually expected (rules.leave_task_shares)
    leave_months = models.FloatField("Số tháng nghỉ ốm dài ngày, thai sản trong năm", default=0)
    maternity = models.BooleanField("Nghỉ thai sản", default=False)
    tasks_assigned = models.PositiveIntegerField("Số nhiệm vụ được giao trong năm", null=True, blank=True)
    tasks_done_n = models.PositiveIntegerField("Số nhiệm vụ đã hoàn thành", null=True, blank=True)
    tasks_late_n = models.PositiveIntegerField("Số nhiệm vụ chậm tiến độ", null=True, blank=True)
    tasks_beyond_n = models.PositiveIntegerField("Số nhiệm vụ vượt mức", null=True, blank=True)
    # proposal and decision
    status = models.CharField("Tình trạng", max_length=16, choices=STATUS_CHOICES, default=DRAFT)
    proposed_grade = models.CharField("Chi bộ đề xuất", max_length=16, choices=GRADE_CHOICES, blank=True)
    decided_grade = models.CharField("Xếp loại", max_length=16, choices=GRADE_CHOICES, blank=True)
    reasons = models.JSONField("Căn cứ (APR)", default=list, blank=True)
    note = models.TextField("Ghi chú của quy tắc", blank=True)  # APR-1 reason, APR-3 causes
    override_reason = models.TextField("Lý do xếp loại khác", blank=True)  # APR-3 mitigation
    regulation = models.CharField("Quy định áp dụng", max_length=20)
    # APR-6: a member on temporary transfer when the campaign opened is graded here, at the permanent
    # cell, after the host's written comments
    temporary = models.BooleanField("Sinh hoạt tạm thời nơi khác", default=False)
    temp_host = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    host_name = models.CharField("Nơi sinh hoạt tạm thời", max_length=255, blank=True)
    host_path = models.CharField(max_length=255, blank=True, default="", editable=False)
    host_comments = models.TextField("Nhận xét của nơi sinh hoạt tạm thời", blank=True)
    host_commented_by = models.CharField("Người ghi nhận xét", max_length=150, blank=True)
    host_commented_on = models.DateField("Ngày nhận xét", null=True, blank=True)

    class Meta:
        ordering = ["org_path", "member__name_sort", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "member"], name="appraisal_review_unique")]
        indexes = [models.Index(fields=["campaign", "org_path"]), models.Index(fields=["campaign", "unit", "status"])]
        verbose_name = "phiếu đánh giá"
        verbose_name_plural = "phiếu đánh giá"

    def __str__(self) -> str:
        return f"Phiếu đánh giá năm {self.campaign.year} — {self.member.full_name}"


class OrgReview(GradedMixin, models.Model):
    """One party organisation's review in a campaign (APR-5): the collective's self-assessment, the
    grade the rules propose from it and from its members' decided grades, and the deciding level's
    decision. `decider` is the organisation whose committee decides (rules.deciding_level)."""

    STATUS_CHOICES = list(STATUS_LABELS.items())
    DISCIPLINE_CHOICES = list(rules.DISCIPLINE_CHOICE_LABELS.items())

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="org_reviews")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="Tổ chức đảng")
    org_path = models.CharField(max_length=255, editable=False, default="")
    decider = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                verbose_name="Cấp quyết định")
    decider_level = models.CharField("Cấp quyết định (APR-5)", max_length=32)
    peer_group = models.CharField("Nhóm tổ chức", max_length=80)
    # the collective's self-assessment: the inputs of rules.org_grade
    score = models.FloatField("Điểm tự chấm của tập thể (thang 100)", null=True, blank=True)
    tasks_done_pct = models.FloatField("Tỷ lệ nhiệm vụ hoàn thành (%)", null=True, blank=True)
    tasks_late_pct = models.FloatField("Tỷ lệ nhiệm vụ chậm tiến độ (%)", null=True, blank=True)
    tasks_beyond_pct = models.FloatField("Tỷ lệ nhiệm vụ vượt mức (%)", null=True, blank=True)
    shortcomings_fixed = models.BooleanField("Đã khắc phục hạn chế kỳ trước", default=False)
    discipline = models.CharField("Kỷ luật của thành viên tập thể lãnh đạo", max_length=16,
                                  choices=DISCIPLINE_CHOICES, default="none")
    degradation = models.BooleanField("Tập thể lãnh đạo có thành viên bị kết luận suy thoái", default=False)
    unit_plan_pct = models.FloatField("Tỷ lệ hoàn thành kế hoạch của đơn vị (%)", null=True, blank=True)
    self_comment = models.TextField("Tự nhận xét của tập thể", blank=True)
    # proposal (rules.org_grade) and decision
    status = models.CharField("Tình trạng", max_length=16, choices=STATUS_CHOICES, default=DRAFT)
    member_grades = models.JSONField("Xếp loại đảng viên khi đề xuất", default=dict, blank=True)
    proposed_grade = models.CharField("Đề xuất", max_length=16, choices=GRADE_CHOICES, blank=True)
    decided_grade = models.CharField("Xếp loại", max_length=16, choices=GRADE_CHOICES, blank=True)
    reasons = models.JSONField("Căn cứ (APR)", default=list, blank=True)
    note = models.TextField("Ghi chú của quy tắc", blank=True)
    override_reason = models.TextField("Lý do xếp loại khác", blank=True)
    decided_by = models.CharField("Người ghi quyết định", max_length=150, blank=True)
    decided_on = models.DateField("Ngày quyết định", null=True, blank=True)
    regulation = models.CharField("Quy định áp dụng", max_length=20)

    class Meta:
        ordering = ["org_path", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "organization"], name="appraisal_orgreview_unique")]
        indexes = [models.Index(fields=["campaign", "decider", "status"])]
        verbose_name = "đánh giá tổ chức đảng"
        verbose_name_plural = "đánh giá tổ chức đảng"

    def __str__(self) -> str:
        return f"Đánh giá năm {self.campaign.year} — {self.organization.name}"


class QuotaCount(models.Model):
    """How many reviews of a campaign stand at `grade` in one grassroots unit and peer group (APR-4,
    `rules.counted_grade`): kept by `appraisal.kept` in the same transaction as every write of a
    review, so the quota boxes read a few rows per unit instead of a province's reviews (issue 14).
    `dangbo quotacounts [--check]` recomputes them from the reviews. A row may hold 0."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    peer_group = models.CharField(max_length=80)
    grade = models.CharField(max_length=16)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "unit", "peer_group", "grade"],
                                               name="appraisal_quotacount_unique")]
