"""A congress of a party organisation and its delegates (CON-1, ORG-2).

The number summoned is never stored: it is counted from the delegates (see `congress.selectors`).
`Delegate.checked_in_at` is written only by `congress.services.delegate_check_in` / `_undo`, with a
conditional UPDATE so a card scanned twice is counted once.
"""

from django.conf import settings
from django.db import models

from dangbo.members.models import Member
from dangbo.orgs.models import Organization


class CongressKind(models.TextChoices):
    MEMBERS = "members", "Đại hội đảng viên"
    DELEGATES = "delegates", "Đại hội đại biểu"


class DelegateKind(models.TextChoices):
    OFFICIAL = "official", "Chính thức"
    ALTERNATE = "alternate", "Dự khuyết"


class Obtained(models.TextChoices):
    """How a delegate's seat was obtained (ORG-2)."""

    ELECTED = "elected", "Bầu cử"
    APPOINTED = "appointed", "Chỉ định"
    EX_OFFICIO = "ex_officio", "Đương nhiên"


class Credential(models.TextChoices):
    """The credentials committee's finding on a delegate (CON-3)."""

    PENDING = "pending", "Chưa thẩm tra"
    ACCEPTED = "accepted", "Công nhận"
    REFUSED = "refused", "Không công nhận"


class BodyKind(models.TextChoices):
    """The bodies of a congress approved by open vote (CON-4), in their usual order."""

    PRESIDIUM = "presidium", "Đoàn Chủ tịch"
    SECRETARIAT = "secretariat", "Đoàn Thư ký"
    CREDENTIALS = "credentials", "Ban Thẩm tra tư cách đại biểu"
    COUNTING = "counting", "Ban Kiểm phiếu"


# the codes by their short names, as the services, selectors and demos use them
KIND_MEMBERS, KIND_DELEGATES = CongressKind.MEMBERS, CongressKind.DELEGATES
OFFICIAL, ALTERNATE = DelegateKind.OFFICIAL, DelegateKind.ALTERNATE
ELECTED, APPOINTED, EX_OFFICIO = Obtained.ELECTED, Obtained.APPOINTED, Obtained.EX_OFFICIO
PENDING, ACCEPTED, REFUSED = Credential.PENDING, Credential.ACCEPTED, Credential.REFUSED
PRESIDIUM, SECRETARIAT, CREDENTIALS, COUNTING = (BodyKind.PRESIDIUM, BodyKind.SECRETARIAT, BodyKind.CREDENTIALS,
                                                 BodyKind.COUNTING)
BODY_KINDS = tuple(BodyKind)
BODY_LABELS = dict(BodyKind.choices)
#: What the head of each body is called.
HEAD_LABELS = {PRESIDIUM: "Chủ tịch", SECRETARIAT: "Trưởng đoàn", CREDENTIALS: "Trưởng ban", COUNTING: "Trưởng ban"}


class Congress(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="congresses",
                                     verbose_name="Tổ chức đảng")
    kind = models.CharField("Hình thức", max_length=16, choices=CongressKind.choices)
    term = models.CharField("Nhiệm kỳ", max_length=20)
    name = models.CharField("Tên đại hội", max_length=255)
    start_date = models.DateField("Ngày khai mạc")
    end_date = models.DateField("Ngày bế mạc")
    # CON-2 allocation figures, saved with the allocation rows (`AllocationRow`) by `allocation_save`
    seats = models.PositiveIntegerField("Tổng số đại biểu", null=True, blank=True)
    ex_officio = models.PositiveIntegerField("Số đại biểu đương nhiên", default=0)
    base_per_org = models.PositiveIntegerField("Số đại biểu cố định mỗi tổ chức", default=0)

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = "đại hội"
        verbose_name_plural = "đại hội"

    def __str__(self) -> str:
        return self.name


class Delegate(models.Model):
    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="delegates")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="delegacies",
                               verbose_name="Đảng viên")
    kind = models.CharField("Loại đại biểu", max_length=12, choices=DelegateKind.choices, default=OFFICIAL)
    obtained = models.CharField("Hình thức có tư cách", max_length=12, choices=Obtained.choices)
    from_org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="Đoàn đại biểu (tổ chức trực thuộc)")
    number = models.PositiveIntegerField("Số thẻ đại biểu")
    checked_in_at = models.DateTimeField("Điểm danh lúc", null=True, blank=True)
    replaced_by = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="replaces", verbose_name="Đại biểu dự khuyết thay thế")
    # CON-3 credentials: written only by congress.services.credential_decide
    credential = models.CharField("Tư cách đại biểu", max_length=10, choices=Credential.choices, default=PENDING)
    credential_ground = models.CharField("Căn cứ không công nhận", max_length=24, blank=True)
    credential_note = models.CharField("Ghi chú thẩm tra", max_length=255, blank=True)
    credential_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name="Người ghi")
    credential_at = models.DateTimeField("Thẩm tra lúc", null=True, blank=True)

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
        return f"{self.card_label} {self.member.full_name}" if self.member_id else self.card_label

    @property
    def card_label(self) -> str:
        """The card number as printed on the card (three digits at least: "007"); every page, message
        and document says it this way."""
        return f"{self.number:03d}"


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


class CongressSession(models.Model):
    """A session (phiên) of a congress, in order (preparatory, opening, working, closing …)."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="sessions")
    order = models.PositiveIntegerField("Thứ tự")
    title = models.CharField("Tên phiên", max_length=200)
    date = models.DateField("Ngày", null=True, blank=True)

    class Meta:
        ordering = ["congress", "order", "id"]
        verbose_name = "phiên đại hội"
        verbose_name_plural = "phiên đại hội"

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    """One item of a session's agenda, in order."""

    session = models.ForeignKey(CongressSession, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField("Thứ tự")
    title = models.CharField("Nội dung", max_length=255)

    class Meta:
        ordering = ["session", "order", "id"]
        verbose_name = "nội dung chương trình"
        verbose_name_plural = "nội dung chương trình"

    def __str__(self) -> str:
        return self.title


class CongressBody(models.Model):
    """A body of the congress (presidium, secretariat, credentials committee, counting committee),
    approved by an open vote (CON-4) whose counts and result are stored here by
    `congress.services.body_vote_record`."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="bodies")
    kind = models.CharField("Cơ quan", max_length=16, choices=BodyKind.choices)
    votes_for = models.PositiveIntegerField("Tán thành", null=True, blank=True)
    votes_against = models.PositiveIntegerField("Không tán thành", null=True, blank=True)
    votes_abstain = models.PositiveIntegerField("Không biểu quyết", null=True, blank=True)
    vote_present = models.PositiveIntegerField("Có mặt khi biểu quyết", null=True, blank=True)
    vote_base = models.PositiveIntegerField("Cơ sở tính", null=True, blank=True)
    approved = models.BooleanField("Được thông qua", null=True, blank=True)
    voted_at = models.DateTimeField("Biểu quyết lúc", null=True, blank=True)

    class Meta:
        ordering = ["congress", "id"]
        verbose_name = "cơ quan của đại hội"
        verbose_name_plural = "cơ quan của đại hội"
        constraints = [models.UniqueConstraint(fields=["congress", "kind"], name="congress_body_kind")]

    def __str__(self) -> str:
        return BODY_LABELS.get(self.kind, self.kind)

    @property
    def label(self) -> str:
        return BODY_LABELS.get(self.kind, self.kind)

    @property
    def head_label(self) -> str:
        return HEAD_LABELS.get(self.kind, "Trưởng ban")


class BodyMember(models.Model):
    body = models.ForeignKey(CongressBody, on_delete=models.CASCADE, related_name="members")
    delegate = models.ForeignKey(Delegate, on_delete=models.CASCADE, related_name="body_seats")
    is_head = models.BooleanField("Đứng đầu", default=False)
    order = models.PositiveIntegerField("Thứ tự", default=0)

    class Meta:
        ordering = ["body", "-is_head", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["body", "delegate"], name="body_member_unique")]


class AllocationRow(models.Model):
    """The seats allocated to one subordinate organisation (CON-2), saved by `allocation_save`."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="allocation")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    members = models.PositiveIntegerField("Số đảng viên")
    bonus = models.PositiveIntegerField("Cộng thêm", default=0)
    seats = models.PositiveIntegerField("Số đại biểu")

    class Meta:
        ordering = ["congress", "organization__path"]
        constraints = [models.UniqueConstraint(fields=["congress", "organization"], name="allocation_org_unique")]
