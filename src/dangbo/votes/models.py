"""Open votes of a congress (CON-4) and the delegates' votes cast from their phones.

An `OpenVote` is one motion put to the congress: draft → open → closed. At opening the delegates
present and summoned are frozen (`present_at_open`, `summoned_at_open`) with, for a resolution, the
exclusions the secretariat entered (`exclusions` by category, `excluded_at_open` their sum), and the
base computed from them (`base`, `base_method`: members / present / summoned — `votes.rules.vote_base`,
CON-4); at closing the counts are frozen (`votes_for` …, `passed`).
In `hands` mode the secretariat enters the counts of a show of hands; in `phones` mode each present
delegate casts one `VoteCast`, and the database's UNIQUE (vote, delegate) constraint makes a second
row impossible, whatever the server or the network does. Rows are written only by `votes.services`.
"""

from django.db import models

from dangbo.congress.models import Congress, Delegate
from dangbo.votes import rules


class Mode(models.TextChoices):
    HANDS = "hands", "Giơ tay / giơ thẻ (Đoàn Thư ký nhập số)"
    PHONES = "phones", "Bấm trên điện thoại"


class Status(models.TextChoices):
    DRAFT = "draft", "Chưa mở"
    OPEN = "open", "Đang biểu quyết"
    CLOSED = "closed", "Đã kết thúc"


# the codes by their short names, as the services, views and demo use them
HANDS, PHONES = Mode
DRAFT, OPEN, CLOSED = Status


class OpenVote(models.Model):
    #: what may be put to an open vote (CON-4): the codes and words of `votes.rules.OPEN_KINDS`
    KIND_CHOICES = list(rules.OPEN_KINDS.items())

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="open_votes")
    subject = models.CharField("Nội dung biểu quyết", max_length=255)
    kind = models.CharField("Loại", max_length=32, choices=KIND_CHOICES)
    mode = models.CharField("Hình thức", max_length=8, choices=Mode.choices, default=HANDS)
    status = models.CharField("Trạng thái", max_length=8, choices=Status.choices, default=DRAFT)
    created_at = models.DateTimeField("Tạo lúc", auto_now_add=True)
    opened_at = models.DateTimeField("Mở lúc", null=True, blank=True)
    closed_at = models.DateTimeField("Kết thúc lúc", null=True, blank=True)
    present_at_open = models.PositiveIntegerField("Có mặt khi mở", null=True, blank=True)
    summoned_at_open = models.PositiveIntegerField("Triệu tập khi mở", null=True, blank=True)
    base = models.PositiveIntegerField("Cơ sở tính", null=True, blank=True)
    base_method = models.CharField("Cách tính cơ sở", max_length=10, blank=True)
    exclusions = models.JSONField("Loại trừ khỏi cơ sở tính (nghị quyết)", default=dict, blank=True)
    excluded_at_open = models.PositiveIntegerField("Số loại trừ khi mở", null=True, blank=True)
    votes_for = models.PositiveIntegerField("Tán thành", default=0)
    votes_against = models.PositiveIntegerField("Không tán thành", default=0)
    votes_abstain = models.PositiveIntegerField("Không biểu quyết", default=0)
    passed = models.BooleanField("Thông qua", null=True, blank=True)

    class Meta:
        ordering = ["congress", "created_at", "id"]
        verbose_name = "biểu quyết"
        verbose_name_plural = "biểu quyết"

    def __str__(self) -> str:
        return self.subject


class VoteCast(models.Model):
    """One delegate's vote on one open vote (phones mode). `token` is the form's one-time key: the
    same POST sent again (a retry after a lost answer) finds its own row and gets the same answer."""

    CHOICE_CHOICES = list(rules.CHOICE_LABELS.items())

    vote = models.ForeignKey(OpenVote, on_delete=models.CASCADE, related_name="casts")
    delegate = models.ForeignKey(Delegate, on_delete=models.PROTECT, related_name="vote_casts")
    choice = models.CharField("Lựa chọn", max_length=8, choices=CHOICE_CHOICES)
    token = models.CharField(max_length=64)
    at = models.DateTimeField("Lúc")

    class Meta:
        ordering = ["vote", "at", "id"]
        verbose_name = "phiếu biểu quyết"
        verbose_name_plural = "phiếu biểu quyết"
        constraints = [models.UniqueConstraint(fields=["vote", "delegate"], name="votecast_one_per_delegate")]
        indexes = [models.Index(fields=["vote", "choice"], name="votecast_vote_choice_idx")]

    def __str__(self) -> str:
        return f"{self.vote_id}/{self.delegate_id}: {self.choice}"
