"""The documents register (DOC-1, DOC-2): incoming and outgoing documents of each organisation, and
where documents are cited (organisation events, congress papers)."""

from django.conf import settings
from django.db import models

from dangbo.documents import rules
from dangbo.orgs.models import Organization


class Direction(models.TextChoices):
    INCOMING = rules.Direction.INCOMING.value, "Văn bản đến"
    OUTGOING = rules.Direction.OUTGOING.value, "Văn bản đi"


class Source(models.TextChoices):
    REGISTER = "register", "Vào sổ"
    ISSUED = "issued", "Cấp số trên nền tảng"
    CITED = "cited", "Trích dẫn trong dữ liệu"


class Document(models.Model):
    """One document in an organisation's register. Its key is (number, type, issuer, date) within the
    holder (DOC-1: numbering restarts each term, so a number-symbol alone is not unique). Outgoing
    numbers the platform issues come from `services.document_issue` (a series per holder, type, issuer
    and term, under a lock on the holder: no gap, no repeat)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="documents",
                                      verbose_name="Tổ chức vào sổ")
    # a copy of the holder's path (as members carry theirs): the register's scope filter is a prefix
    # on the row itself, no join; kept by the services and by `apps.py` when an organisation moves
    org_path = models.CharField(max_length=255, editable=False, default="")
    direction = models.CharField("Loại sổ", max_length=10, choices=Direction.choices)
    source = models.CharField("Nguồn", max_length=10, choices=Source.choices, default=Source.REGISTER)
    number = models.PositiveIntegerField("Số", null=True, blank=True)
    doc_type = models.CharField("Loại văn bản", max_length=8, blank=True)
    issuer = models.CharField("Ký hiệu cơ quan ban hành", max_length=40, blank=True)
    number_symbol = models.CharField("Số, ký hiệu", max_length=60)
    term = models.CharField("Nhiệm kỳ", max_length=20, blank=True)
    date = models.DateField("Ngày văn bản")
    received_on = models.DateField("Ngày đến", null=True, blank=True)
    # an incoming document's arrival number («số đến»): a series per receiving organisation and year of
    # arrival (rules.arrival_year), issued by `services.arrival_next` under the lock on the holder
    arrival_number = models.PositiveIntegerField("Số đến", null=True, blank=True)
    arrival_year = models.PositiveSmallIntegerField("Năm đến", null=True, blank=True)
    sender = models.CharField("Cơ quan gửi", max_length=255, blank=True)
    signer = models.CharField("Người ký", max_length=120, blank=True)
    subject = models.CharField("Trích yếu", max_length=500)
    recipients = models.CharField("Nơi nhận", max_length=1000, blank=True)  # others, one a line
    # the organisations of the tree it was sent to (chosen in the scoped picker); `recipients` holds
    # the others as typed (one a line)
    recipient_orgs = models.ManyToManyField(Organization, blank=True, related_name="received_documents",
                                            verbose_name="Nơi nhận trong hệ thống")
    file_name = models.CharField("Tệp đính kèm", max_length=255, blank=True)
    file_path = models.CharField(max_length=255, blank=True, editable=False)
    file_size = models.PositiveIntegerField("Dung lượng tệp", default=0)
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField("Ngày vào sổ", auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = "văn bản"
        verbose_name_plural = "văn bản"
        constraints = [
            # the platform's series: one number per holder, type, issuer and term (DOC-1)
            models.UniqueConstraint(fields=["organization", "doc_type", "issuer", "term", "number"],
                                    condition=models.Q(source="issued"),
                                    name="document_outgoing_series"),
            # the same incoming document is registered once (DOC-1 key: number, type, issuer, date)
            models.UniqueConstraint(fields=["organization", "direction", "number_symbol", "date"],
                                    name="document_key"),
            # the arrival series: one number per receiving organisation and year
            models.UniqueConstraint(fields=["organization", "arrival_year", "arrival_number"],
                                    condition=models.Q(arrival_number__isnull=False),
                                    name="document_arrival_series"),
        ]
        indexes = [models.Index(fields=["organization", "direction", "-date"], name="document_register_idx"),
                   # the register's first page: newest first, the scope's prefix checked on the row
                   models.Index(fields=["-date", "-id"], name="document_date_idx"),
                   # a small scope (one cell) in a large register: its rows by prefix, then by date
                   models.Index(fields=["org_path", "-date", "-id"], name="document_scope_date_idx"),
                   # a number-symbol search (DOC-1 key parts) without reading the register
                   models.Index(fields=["number", "doc_type", "issuer"], name="document_symbol_idx")]

    def __str__(self) -> str:
        return f"{self.number_symbol} {self.subject}"

    def recipient_lines(self) -> list[str]:
        """The free-text recipients, one a line (the organisations of the tree are `recipient_orgs`)."""
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]

    @property
    def direction_label(self) -> str:
        return Direction(self.direction).label


class Citation(models.Model):
    """Where a document is cited: an organisation event's decision (ORG-3) or a congress paper
    (CON-10). Kept by `documents.citations` when those rows are written."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="citations")
    org_event = models.OneToOneField("orgs.OrgEvent", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="citation")
    congress_document = models.OneToOneField("congress.CongressDocument", null=True, blank=True,
                                             on_delete=models.CASCADE, related_name="citation")

    class Meta:
        ordering = ["id"]
        verbose_name = "nơi trích dẫn"
        verbose_name_plural = "nơi trích dẫn"
