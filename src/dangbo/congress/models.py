"""A congress of a party organisation and its delegates (CON-1, ORG-2).

The number summoned is never stored: it is counted from the delegates (see `congress.selectors`).
`Delegate.checked_in_at` is written only by `congress.services.delegate_check_in` / `_undo`, with a
conditional UPDATE so a card scanned twice is counted once.
"""

from django.db import models

from dangbo.members.models import Member
from dangbo.orgs.models import Organization

KIND_MEMBERS, KIND_DELEGATES = "members", "delegates"
OFFICIAL, ALTERNATE = "official", "alternate"
ELECTED, APPOINTED, EX_OFFICIO = "elected", "appointed", "ex_officio"


class Congress(models.Model):
    KIND_CHOICES = [(KIND_MEMBERS, "Đại hội đảng viên"), (KIND_DELEGATES, "Đại hội đại biểu")]

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="congresses",
                                     verbose_name="Tổ chức đảng")
    kind = models.CharField("Hình thức", max_length=16, choices=KIND_CHOICES)
    term = models.CharField("Nhiệm kỳ", max_length=20)
    name = models.CharField("Tên đại hội", max_length=255)
    start_date = models.DateField("Ngày khai mạc")
    end_date = models.DateField("Ngày bế mạc")

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = "đại hội"
        verbose_name_plural = "đại hội"

    def __str__(self) -> str:
        return self.name


class Delegate(models.Model):
    KIND_CHOICES = [(OFFICIAL, "Chính thức"), (ALTERNATE, "Dự khuyết")]
    OBTAINED_CHOICES = [(ELECTED, "Bầu cử"), (APPOINTED, "Chỉ định"), (EX_OFFICIO, "Đương nhiên")]

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="delegates")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="delegacies",
                               verbose_name="Đảng viên")
    kind = models.CharField("Loại đại biểu", max_length=12, choices=KIND_CHOICES, default=OFFICIAL)
    obtained = models.CharField("Hình thức có tư cách", max_length=12, choices=OBTAINED_CHOICES)
    from_org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="Đoàn đại biểu (tổ chức trực thuộc)")
    number = models.PositiveIntegerField("Số thẻ đại biểu")
    checked_in_at = models.DateTimeField("Điểm danh lúc", null=True, blank=True)
    replaced_by = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="replaces", verbose_name="Đại biểu dự khuyết thay thế")

    class Meta:
        ordering = ["number"]
        verbose_name = "đại biểu"
        verbose_name_plural = "đại biểu"
        constraints = [
            models.UniqueConstraint(fields=["congress", "member"], name="delegate_unique_member"),
            models.UniqueConstraint(fields=["congress", "number"], name="delegate_unique_number"),
        ]
        indexes = [models.Index(fields=["congress", "checked_in_at"], name="delegate_checkin_idx")]

    def __str__(self) -> str:
        return f"{self.number:03d} {self.member.full_name}" if self.member_id else str(self.number)


class CongressDocument(models.Model):
    """A numbered document of a congress (CON-10: every document of one congress shares one number
    series from 01 — resolutions, minutes, reports, decisions alike). Numbers are issued only by
    `congress.services.document_issue`, which locks the congress row so two issues never share one."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="documents")
    number = models.PositiveIntegerField("Số")
    kind = models.CharField("Loại văn bản", max_length=40)
    title = models.CharField("Trích yếu", max_length=255)
    ref = models.CharField("Thuộc về", max_length=80, blank=True,
                           help_text="The object the document is about, e.g. «election:7».")
    issued_at = models.DateTimeField("Ngày ban hành")

    class Meta:
        ordering = ["congress", "number"]
        verbose_name = "văn bản đại hội"
        verbose_name_plural = "văn bản đại hội"
        constraints = [models.UniqueConstraint(fields=["congress", "number"], name="congress_document_number")]

    def __str__(self) -> str:
        return f"{self.number:02d} {self.title}"

    @property
    def label(self) -> str:
        """The number as written on the document: two digits at least ("01", "02", … "12")."""
        return f"{self.number:02d}"
