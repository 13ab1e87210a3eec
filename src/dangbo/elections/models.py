"""Paper-ballot elections of a congress (CON-4..CON-9) and the counting committee's double entry.

An `Election` is one round: what is elected, the seats, the base (CON-7, with its breakdown), the
candidate list (`Candidate`, ballot order = official list order). The counting committee enters each
paper ballot twice, by two tellers independently (`BallotEntry`, teller 1 and 2). `Ballot` is the
ballot as the committee holds it: accepted when both entries agree (or the committee resolved a
mismatch / ruled on a contested ballot); only accepted ballots carry a place in the hash chain
(`seq`, `prev`, `hash` — `elections.chain`), and only they are counted. Rows are written only by
`elections.services`.
"""

from django.conf import settings
from django.db import models

from dangbo.congress.models import Congress
from dangbo.members.models import Member


class Body(models.TextChoices):
    """What a round elects (CON-4: by secret ballot); the codes are `elections.rules.ELECTION_BODIES`."""

    EXEC_COMMITTEE = "executive_committee", "Ban Chấp hành (cấp ủy)"
    STANDING = "standing_committee", "Ban Thường vụ"
    SECRETARY = "secretary", "Bí thư"
    DEPUTY = "deputy_secretary", "Phó Bí thư"
    INSPECTION = "inspection_commission", "Ủy ban Kiểm tra"
    UPPER_DELEGATES = "upper_delegates", "Đại biểu dự Đại hội cấp trên"


class Status(models.TextChoices):
    DRAFT = "draft", "Chuẩn bị danh sách"
    VOTING = "voting", "Đang bỏ phiếu"
    COUNTING = "counting", "Đang kiểm phiếu"
    CLOSED = "closed", "Đã có kết quả"


class Form(models.TextChoices):
    """The ballot a round uses (CON-5, CON-6)."""

    STRIKE = "strike", "Gạch tên (danh sách có số dư)"
    AGREE = "agree", "Đồng ý / không đồng ý (không có số dư)"


class BallotStatus(models.TextChoices):
    PENDING = "pending", "Chờ nhập lần hai"
    ACCEPTED = "accepted", "Đã khớp, được tính"
    MISMATCH = "mismatch", "Hai lần nhập không khớp"
    CONTESTED = "contested", "Chờ Ban Kiểm phiếu quyết định"


class Decision(models.TextChoices):
    """The counting committee's decision on a ballot (CON-6, CON-9), as said on the desk and in the minutes."""

    RESOLVED = "resolved", "đọc lại phiếu giấy (hai lần nhập không khớp)"
    VALID = "valid", "quyết định: hợp lệ"
    INVALID = "invalid", "quyết định: không hợp lệ"


class Teller(models.IntegerChoices):
    """The two desks of double entry."""

    FIRST = 1, "Tổ viên 1"
    SECOND = 2, "Tổ viên 2"


# the codes by their short names, as the services, views and demo use them
EXEC_COMMITTEE, STANDING, SECRETARY, DEPUTY, INSPECTION, UPPER_DELEGATES = Body
BODY_CHOICES = Body.choices
DRAFT, VOTING, COUNTING, CLOSED = Status
STRIKE, AGREE_FORM = Form
PENDING, ACCEPTED, MISMATCH, CONTESTED = BallotStatus


class Election(models.Model):
    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="elections")
    body = models.CharField("Bầu", max_length=32, choices=Body.choices)
    seats = models.PositiveIntegerField("Số lượng cần bầu")
    round_no = models.PositiveIntegerField("Lần bầu", default=1)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="next_rounds", verbose_name="Lần bầu trước")
    is_runoff = models.BooleanField("Bầu lại trong số bằng phiếu (CON-8)", default=False)
    form = models.CharField("Mẫu phiếu", max_length=8, choices=Form.choices, default=STRIKE)
    status = models.CharField("Trạng thái", max_length=10, choices=Status.choices, default=DRAFT)
    base = models.PositiveIntegerField("Cơ sở tính kết quả (CON-7)", null=True, blank=True)
    base_parts = models.JSONField("Cách tính cơ sở", default=dict, blank=True)
    issued = models.PositiveIntegerField("Số phiếu phát ra", null=True, blank=True)
    returned = models.PositiveIntegerField("Số phiếu thu vào", null=True, blank=True)
    result = models.JSONField("Kết quả", default=dict, blank=True)
    fingerprint = models.CharField("Dấu vân tay chuỗi phiếu", max_length=64, blank=True)
    complaints = models.TextField("Khiếu nại, kiến nghị", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["congress", "id"]
        verbose_name = "cuộc bầu cử"
        verbose_name_plural = "cuộc bầu cử"

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        text = f"Bầu {self.get_body_display()}"
        if self.round_no > 1:
            text += f" — lần {self.round_no}" + (" (bầu lại trong số bằng phiếu)" if self.is_runoff else "")
        return text

    @property
    def ref(self) -> str:
        """The CON-10 reference of this round's documents (`congress.services.document_issue`)."""
        return f"election:{self.pk}"


class Candidate(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    no = models.PositiveIntegerField("Số thứ tự trên phiếu")
    full_name = models.CharField("Họ và tên", max_length=255)
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name="Đảng viên")

    class Meta:
        ordering = ["election", "no"]
        constraints = [models.UniqueConstraint(fields=["election", "no"], name="candidate_unique_no")]

    def __str__(self) -> str:
        return f"{self.no}. {self.full_name}"


class Ballot(models.Model):
    """One paper ballot as the counting committee holds it (see the module docstring)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="ballots")
    ballot_no = models.PositiveIntegerField("Số phiếu")
    status = models.CharField("Trạng thái", max_length=10, choices=BallotStatus.choices, default=PENDING)
    kept = models.JSONField("Tên giữ lại / đồng ý", default=list)
    marks = models.JSONField("Đánh dấu (phiếu đồng ý / không đồng ý)", default=dict, blank=True)
    flags = models.JSONField("Ghi chú", default=list)
    # the committee's decision (mismatch re-read or ruling on a contested ballot), CON-6 / CON-9
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField("Quyết định", max_length=16, choices=Decision.choices, blank=True)
    decision_reason = models.TextField("Lý do", blank=True)
    was_mismatch = models.BooleanField(default=False)
    was_contested = models.BooleanField(default=False)
    # the hash chain (accepted ballots only)
    seq = models.PositiveIntegerField(null=True, blank=True)
    prev = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["election", "ballot_no"]
        constraints = [
            models.UniqueConstraint(fields=["election", "ballot_no"], name="ballot_unique_no"),
            models.UniqueConstraint(fields=["election", "seq"], name="ballot_unique_seq"),
        ]
        indexes = [models.Index(fields=["election", "status"], name="ballot_status_idx")]

    def __str__(self) -> str:
        return f"Phiếu số {self.ballot_no}"


class BallotEntry(models.Model):
    """What one teller read from one ballot (double entry: teller 1 and teller 2, independently)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="entries")
    teller = models.PositiveSmallIntegerField("Người nhập", choices=Teller.choices)
    kept = models.JSONField(default=list)
    marks = models.JSONField(default=dict, blank=True)
    flags = models.JSONField(default=list)
    contested = models.BooleanField("Phiếu cần Ban Kiểm phiếu xem xét", default=False)
    note = models.CharField("Ghi chú", max_length=255, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["ballot", "teller"]
        constraints = [models.UniqueConstraint(fields=["ballot", "teller"], name="entry_unique_teller")]

    def reading(self) -> tuple:
        return (tuple(sorted(self.kept)), tuple(sorted(self.marks.items())), tuple(sorted(self.flags)),
                self.contested)
