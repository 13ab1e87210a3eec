"""Member procedures: the admission file of an applicant (ADM-1..7), step by step.

Each step's date and numbers are columns of `Applicant`, filled in order by `procedures.services`
(which checks the step's rule first); the step the file is at is the first one not filled
(`Applicant.step`). After the ceremony the applicant is a probationary member in the registry
(`member`, written by `members.services.member_create`).
"""

from django.db import models

from dangbo.members.models import Member
from dangbo.orgs.models import Organization

#: the steps of an admission file in order (ADM-3, ADM-7): (key, label, the date column that marks it done)
STEPS: tuple[tuple[str, str, str], ...] = (
    ("course", "Giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng", "course_date"),
    ("application", "Đơn xin vào Đảng (Mẫu 1-KNĐ)", "application_date"),
    ("background", "Lý lịch người xin vào Đảng (Mẫu 2-KNĐ) và thẩm tra", "verified_date"),
    ("introducers", "Giấy giới thiệu người vào Đảng (Mẫu 3-KNĐ, 4-KNĐ)", "introduced_date"),
    ("cell", "Nghị quyết đề nghị kết nạp của chi bộ", "cell_resolution_date"),
    ("committee", "Nghị quyết của đảng ủy cơ sở", "committee_resolution_date"),
    ("decision", "Quyết định kết nạp", "decision_date"),
    ("ceremony", "Lễ kết nạp", "ceremony_date"),
)
STEP_LABELS = {k: label for k, label, _ in STEPS}
DONE = "done"


class Applicant(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="applicants",
                                     verbose_name="Chi bộ")
    org_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    full_name = models.CharField("Họ và tên", max_length=120)
    sex = models.CharField("Giới tính", max_length=1, choices=[("M", "Nam"), ("F", "Nữ")])
    birth_date = models.DateField("Ngày sinh")
    over_limit_consent = models.BooleanField("Có văn bản đồng ý kết nạp người trên 60 tuổi", default=False)
    course_date = models.DateField("Ngày cấp giấy chứng nhận lớp bồi dưỡng", null=True, blank=True)
    course_number = models.CharField("Số giấy chứng nhận", max_length=40, blank=True)
    application_date = models.DateField("Ngày làm đơn xin vào Đảng", null=True, blank=True)
    background_date = models.DateField("Ngày khai lý lịch", null=True, blank=True)
    verified_date = models.DateField("Ngày thẩm tra lý lịch xong", null=True, blank=True)
    introducers = models.JSONField("Người giới thiệu", default=list, blank=True)
    introduced_date = models.DateField("Ngày giới thiệu", null=True, blank=True)
    cell_resolution_date = models.DateField("Ngày nghị quyết chi bộ", null=True, blank=True)
    cell_official_count = models.PositiveSmallIntegerField("Số đảng viên chính thức của chi bộ", null=True, blank=True)
    cell_votes_for = models.PositiveSmallIntegerField("Số đảng viên chính thức tán thành", null=True, blank=True)
    committee_resolution_date = models.DateField("Ngày nghị quyết đảng ủy cơ sở", null=True, blank=True)
    committee_member_count = models.PositiveSmallIntegerField("Số cấp ủy viên đảng ủy cơ sở", null=True, blank=True)
    committee_votes_for = models.PositiveSmallIntegerField("Số cấp ủy viên tán thành", null=True, blank=True)
    decision_number = models.CharField("Số quyết định kết nạp", max_length=40, blank=True)
    decision_date = models.DateField("Ngày quyết định kết nạp", null=True, blank=True)
    decision_received_date = models.DateField("Ngày chi bộ nhận quyết định", null=True, blank=True)
    ceremony_date = models.DateField("Ngày tổ chức lễ kết nạp", null=True, blank=True)
    member = models.OneToOneField(Member, on_delete=models.PROTECT, null=True, blank=True, related_name="applicant",
                                  verbose_name="Đảng viên dự bị")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["org_path", "full_name", "id"]
        verbose_name = "hồ sơ kết nạp"
        verbose_name_plural = "hồ sơ kết nạp"

    def __str__(self) -> str:
        return f"Hồ sơ kết nạp {self.full_name}"

    @property
    def step(self) -> str:
        """The first step not done yet, or "done" after the ceremony."""
        for key, _label, column in STEPS:
            if getattr(self, column) is None:
                return key
        return DONE

    @property
    def step_label(self) -> str:
        return STEP_LABELS.get(self.step, "Đã kết nạp")


class TransferImport(models.Model):
    """Provenance of a member received by a signed transfer file (MEM-5): the whole file as received."""

    member = models.OneToOneField(Member, on_delete=models.PROTECT, related_name="transfer_import",
                                  verbose_name="Đảng viên")
    org_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    from_committee = models.CharField("Đảng bộ chuyển đi", max_length=255)
    letter_number = models.CharField("Số giấy giới thiệu", max_length=40, blank=True)
    fingerprint = models.CharField("Dấu vân khóa ký", max_length=19)
    payload = models.JSONField("Nội dung tệp")
    signature = models.CharField(max_length=100)
    public_key = models.CharField(max_length=60)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "tệp chuyển sinh hoạt đã nhận"
        verbose_name_plural = "tệp chuyển sinh hoạt đã nhận"

    def __str__(self) -> str:
        return f"Chuyển đến từ {self.from_committee}"


HOLD_KINDS = [("inspection", "Đang bị kiểm tra"), ("complaint", "Đang giải quyết khiếu nại")]


class MemberHold(models.Model):
    """MEM-5: a member under inspection or whose complaint is being handled may not be transferred —
    the decision that opened it and the dates (no end date: still going on)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="procedure_holds",
                               verbose_name="Đảng viên")
    org_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    kind = models.CharField("Lý do", max_length=16, choices=HOLD_KINDS)
    decision = models.CharField("Quyết định, văn bản", max_length=120)
    start_date = models.DateField("Từ ngày")
    end_date = models.DateField("Đến ngày", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = "thời gian không được chuyển sinh hoạt"
        verbose_name_plural = "thời gian không được chuyển sinh hoạt"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.member}"


TRANSFER_KINDS = [("official", "Chuyển sinh hoạt chính thức"), ("temporary", "Chuyển sinh hoạt tạm thời")]


class TransferLetter(models.Model):
    """MEM-5: the numbered introduction letter of a transfer (number per committee and year), its
    deadlines in working days, and the receiving cell's confirmation, which records the member's
    event through the members service."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="transfer_letters",
                               verbose_name="Đảng viên")
    org_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    from_org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name="Nơi đi")
    committee_path = models.CharField(max_length=255, editable=False, default="")  # the numbering's committee
    kind = models.CharField("Hình thức", max_length=16, choices=TRANSFER_KINDS)
    to_org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name="Chi bộ nơi đến")
    year = models.PositiveSmallIntegerField("Năm")
    number = models.PositiveIntegerField("Số giấy giới thiệu")
    letter_date = models.DateField("Ngày giới thiệu")
    end_date = models.DateField("Sinh hoạt tạm thời đến ngày", null=True, blank=True)
    study = models.BooleanField("Đi học tập trung trong nước", default=False)
    present_by = models.DateField("Hạn nộp giấy giới thiệu")
    complete_by = models.DateField("Hạn hoàn thành chuyển sinh hoạt")
    confirmed_date = models.DateField("Ngày chi bộ nơi đến nhận", null=True, blank=True)
    # A letter issued in error, or not used (the member stays), is withdrawn by the office that issued
    # it; its number stays taken (the series has no gaps) and the member may be given a new letter.
    withdrawn_date = models.DateField("Ngày thu hồi", null=True, blank=True)
    withdraw_reason = models.CharField("Lý do thu hồi", max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-letter_date", "-id"]
        constraints = [models.UniqueConstraint(fields=["committee_path", "year", "number"], name="transfer_letter_number")]
        verbose_name = "giấy giới thiệu chuyển sinh hoạt"
        verbose_name_plural = "giấy giới thiệu chuyển sinh hoạt"

    def __str__(self) -> str:
        return f"Giấy giới thiệu số {self.label}"

    @property
    def label(self) -> str:
        return f"{self.number}/{self.year}/GGT"


class EarlyBadge(models.Model):
    """MEM-3: the cell proposes an early badge award for a member seriously ill — for the tier due
    next, up to 12 months early (30–65 years) or 24 (70–90)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="early_badges", verbose_name="Đảng viên")
    org_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    tier = models.PositiveSmallIntegerField("Mốc Huy hiệu (năm tuổi Đảng)")
    months = models.PositiveSmallIntegerField("Số tháng xét sớm")
    reason = models.CharField("Tình trạng bệnh hiểm nghèo", max_length=255)
    cell_resolution = models.CharField("Đề nghị của chi bộ (số, ngày)", max_length=120)
    proposed_date = models.DateField("Ngày chi bộ đề nghị")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-proposed_date", "-id"]
        verbose_name = "đề nghị xét sớm Huy hiệu Đảng"
        verbose_name_plural = "đề nghị xét sớm Huy hiệu Đảng"

    def __str__(self) -> str:
        return f"Xét sớm Huy hiệu {self.tier} năm: {self.member}"


class ProbationTreeCount(models.Model):
    """MEM-1: how many probationary members of one organisation's whole subtree (itself and every
    organisation below it) started their probation (the ceremony, else the admission date) on one day —
    kept by every member write and organisation move (`procedures.kept`), read by «Việc cần làm»: a
    scope's totals are its own rows, its breakdown its children's rows."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     verbose_name="Tổ chức đảng")
    day = models.DateField("Ngày bắt đầu dự bị")
    n = models.IntegerField("Số đảng viên dự bị", default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "day"], name="probation_tree_count_key")]
        verbose_name = "số đảng viên dự bị theo ngày (cả tổ chức cấp dưới)"
        verbose_name_plural = "số đảng viên dự bị theo ngày (cả tổ chức cấp dưới)"


class BadgeTreeCount(models.Model):
    """MEM-3: how many members below one organisation (in the organisations under it, not its own
    members) have their stored next-badge day (`Member.badge_tier_on`) falling to one award day under
    the default award days — kept by every write of a member's organisation or badge day and by
    organisation moves (`procedures.badgekept`), read by «Việc cần làm»'s badge count."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     verbose_name="Tổ chức đảng")
    award_day = models.DateField("Đợt trao Huy hiệu")
    n = models.IntegerField("Số đảng viên", default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "award_day"], name="badge_tree_count_key")]
        verbose_name = "số đảng viên đến mốc Huy hiệu theo đợt (tổ chức cấp dưới)"
        verbose_name_plural = "số đảng viên đến mốc Huy hiệu theo đợt (tổ chức cấp dưới)"
