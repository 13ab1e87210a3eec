"""Party meetings (MTG-1..7): the year's plan as planned meetings, their preparation, the bulletin,
attendance (one row per member, which also carries the member's answer to the invitation), the
record of the day and the resolution's vote. The quality (MTG-5) is computed, never stored."""

from django.conf import settings
from django.db import models

from dangbo.meetings import rules
from dangbo.members.models import Member
from dangbo.orgs.models import Organization

PLANNED, HELD, MISSED = "planned", "held", "missed"
STATE_LABELS = {PLANNED: "Theo kế hoạch", HELD: "Đã sinh hoạt", MISSED: "Không tổ chức"}


class Meeting(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="meetings",
                                     verbose_name="Tổ chức đảng")
    org_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    body = models.CharField("Hình thức", max_length=24, default=rules.Body.CELL,
                            choices=[(b, rules.BODY_LABELS[b]) for b in rules.BODIES])
    kind = models.CharField("Loại sinh hoạt", max_length=16, default=rules.Kind.ORDINARY,
                            choices=[(k, rules.KIND_LABELS[k]) for k in rules.KINDS])
    theme = models.CharField("Chủ đề chuyên đề", max_length=24, blank=True,
                             choices=[(k, v) for k, v in rules.THEMES.items()])
    held_on = models.DateField("Ngày sinh hoạt")
    starts_at = models.TimeField("Giờ bắt đầu", null=True, blank=True)
    state = models.CharField("Tình trạng", max_length=12, default=PLANNED,
                             choices=list(STATE_LABELS.items()), db_index=True)
    topic = models.CharField("Nội dung chính", max_length=255, blank=True)
    place = models.CharField("Địa điểm", max_length=255, blank=True)
    # MTG-4 preparation
    draft_content = models.TextField("Dự thảo nội dung", blank=True)
    draft_resolution = models.TextField("Dự thảo nghị quyết", blank=True)
    committee_met_on = models.DateField("Ngày chi ủy họp chuẩn bị", null=True, blank=True)
    upper_member = models.CharField("Đồng chí cấp ủy cấp trên theo dõi", max_length=120, blank=True)
    invited_at = models.DateTimeField("Đã gửi giấy mời", null=True, blank=True)
    theme_author = models.CharField("Người chuẩn bị chuyên đề", max_length=120, blank=True)
    theme_approved = models.BooleanField("Chi ủy đã duyệt chuyên đề", default=False)
    # MTG-3 bulletin (a file under var/uploads/meetings/)
    bulletin_name = models.CharField("Bản tin sinh hoạt chi bộ", max_length=255, blank=True)
    bulletin_file = models.CharField(max_length=255, blank=True, editable=False)
    # The day (MTG-5, MTG-7)
    minutes = models.PositiveIntegerField("Thời gian sinh hoạt (phút)", null=True, blank=True)
    chair = models.CharField("Chủ trì", max_length=120, blank=True)
    secretary = models.CharField("Thư ký", max_length=120, blank=True)
    speakers = models.TextField("Đảng viên phát biểu", blank=True)
    proceedings = models.TextField("Diễn biến", blank=True)
    resolution = models.TextField("Nghị quyết", blank=True)
    # MTG-6 vote
    vote_base = models.PositiveIntegerField("Số đảng viên làm cơ sở biểu quyết", null=True, blank=True)
    votes_for = models.PositiveIntegerField("Tán thành", null=True, blank=True)
    votes_against = models.PositiveIntegerField("Không tán thành", null=True, blank=True)
    resolution_passed = models.BooleanField("Nghị quyết được thông qua", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-held_on", "id"]
        verbose_name = "buổi sinh hoạt"
        verbose_name_plural = "buổi sinh hoạt"
        indexes = [models.Index(fields=["org_path", "held_on"])]

    def __str__(self) -> str:
        return f"{self.title} {self.held_on:%d/%m/%Y}"

    @property
    def title(self) -> str:
        if self.body == rules.Body.CELL:
            return f"Sinh hoạt {rules.KIND_LABELS[self.kind].lower()}"
        return f"Họp {rules.BODY_LABELS[self.body].lower()}"

    @property
    def kind_label(self) -> str:
        return rules.KIND_LABELS.get(self.kind, self.kind)

    @property
    def body_label(self) -> str:
        return rules.BODY_LABELS.get(self.body, self.body)

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)

    @property
    def month_key(self) -> str:
        return rules.month_key(self.held_on.year, self.held_on.month)

    @property
    def prepared(self) -> list[str]:
        """Preparation steps done (MTG-4 codes)."""
        done = []
        if self.draft_content:
            done.append("draft_content")
        if self.draft_resolution:
            done.append("draft_resolution")
        if self.committee_met_on:
            done.append("committee_met")
        if self.invited_at:
            done.append("invited_members")
            if self.upper_member:
                done.append("invited_upper")
        if self.theme_author:
            done.append("theme_author")
        if self.theme_approved:
            done.append("theme_approved")
        return done


class Attendance(models.Model):
    """One member at one meeting: the answer to the invitation before, the attendance on the day."""

    REPLY_CHOICES = [("yes", "Sẽ dự"), ("no", "Không dự được")]

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="meeting_attendance")
    official = models.BooleanField("Đảng viên chính thức", default=True)
    reply = models.CharField("Trả lời giấy mời", max_length=4, blank=True, choices=REPLY_CHOICES)
    reply_reason = models.CharField("Lý do không dự được", max_length=255, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField("Điểm danh", max_length=8, blank=True,
                              choices=[(s, rules.STATUS_LABELS[s]) for s in rules.STATUSES])
    reason = models.CharField("Lý do vắng", max_length=255, blank=True)

    class Meta:
        ordering = ["member__name_sort", "id"]
        verbose_name = "điểm danh"
        verbose_name_plural = "điểm danh"
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.member} — {self.meeting}"

    @property
    def status_label(self) -> str:
        return rules.STATUS_LABELS.get(self.status, "Chưa điểm danh")


class CommitteeSeat(models.Model):
    """A member sitting on a cell committee (chi ủy) or a grassroots committee (đảng ủy cơ sở) from a
    day (and until a day): the expected list of that committee's meetings (MTG-1), taken like a
    cell's. The registry keeps no committee membership, so the office or the secretary records it."""

    ROLE_CHOICES = [("secretary", "Bí thư"), ("deputy", "Phó Bí thư"), ("member", "Ủy viên")]

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="committee_seats",
                                     verbose_name="Tổ chức đảng")
    org_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    body = models.CharField("Cấp ủy", max_length=24,
                            choices=[(b, rules.BODY_LABELS[b]) for b in rules.COMMITTEE_BODIES])
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="committee_seats",
                               verbose_name="Đảng viên")
    role = models.CharField("Chức danh", max_length=12, choices=ROLE_CHOICES, default="member")
    since = models.DateField("Từ ngày")
    until = models.DateField("Đến ngày", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization_id", "body", "until", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["organization", "body", "member"],
                                                condition=models.Q(until__isnull=True), name="committee_seat_open")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.member} ({rules.BODY_LABELS[self.body]} {self.organization})"
