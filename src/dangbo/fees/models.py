"""Party fee records: what each member declared, exemptions and reductions, the cell's monthly
ledger (one row per member and month paid for). Remittances up the tree are computed from the ledger
(`selectors.remittances`), never stored twice.

Months are stored as `month` = year × 12 + month − 1 (`rules.month_index`), so "months of 2026" is
one range and arrears / advances are comparisons. Every row carries the member's organisation path
at the time (`org_path`) for scoped reads.
"""

from django.conf import settings
from django.db import models

from dangbo.fees import rules
from dangbo.members.models import Member
from dangbo.orgs.models import Organization

CATEGORY_CHOICES = [(c, rules.CATEGORY_LABELS[c]) for c in rules.CATEGORIES]
RELIEF_CHOICES = [
    ("social_pension", "Miễn: hưởng trợ cấp hưu trí xã hội"),
    ("hardship", "Miễn: hoàn cảnh đặc biệt khó khăn"),
    ("reduction", "Giảm"),
]
CASH, ONLINE, EXCUSED = "cash", "online", "excused"
METHOD_CHOICES = [(CASH, "Tiền mặt tại chi bộ"), (ONLINE, "Nộp trực tuyến"), (EXCUSED, "Có lý do chính đáng")]


class Declaration(models.Model):
    """A member's declared category and base from a month on (the newest row in force wins)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="fee_declarations",
                               verbose_name="Đảng viên")
    org_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    from_month = models.PositiveIntegerField("Áp dụng từ tháng")
    category = models.CharField("Đối tượng", max_length=16, choices=CATEGORY_CHOICES)
    base = models.PositiveBigIntegerField("Căn cứ đóng (đồng)", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "from_month"], name="fee_declaration_month")]
        ordering = ["member_id", "-from_month"]

    def __str__(self) -> str:
        return f"Kê khai đảng phí của {self.member} từ {month_label(self.from_month)}"

    @property
    def from_month_label(self) -> str:
        return month_label(self.from_month)


class Relief(models.Model):
    """An exemption or reduction decided on application (FEE-4), for at most 12 months."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="fee_reliefs", verbose_name="Đảng viên")
    org_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    kind = models.CharField("Miễn hoặc giảm", max_length=16, choices=RELIEF_CHOICES)
    pct = models.PositiveSmallIntegerField("Mức giảm (%)", default=0)
    start_month = models.PositiveIntegerField("Từ tháng")
    end_month = models.PositiveIntegerField("Đến tháng")
    decision = models.CharField("Quyết định", max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["member_id", "-start_month"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} đảng phí của {self.member} ({self.decision})"

    @property
    def start_label(self) -> str:
        return month_label(self.start_month)

    @property
    def end_label(self) -> str:
        return month_label(self.end_month)


class Payment(models.Model):
    """One member's fee for one month: paid in cash to the cell, paid online (with the portal's
    reference), or not paid with a good reason the cell accepted (amount 0)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="fee_payments", verbose_name="Đảng viên")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="fee_payments",
                                     verbose_name="Chi bộ thu")
    org_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    month = models.PositiveIntegerField("Tháng đóng")
    due = models.PositiveBigIntegerField("Phải đóng (đồng)", default=0)
    amount = models.PositiveBigIntegerField("Số tiền (đồng)", default=0)
    method = models.CharField("Hình thức", max_length=10, choices=METHOD_CHOICES)
    reference = models.CharField("Mã giao dịch / lý do", max_length=120, blank=True)
    paid_on = models.DateField("Ngày nộp")
    receipt_no = models.PositiveIntegerField("Số biên lai", default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="fee_payment_member_month")]
        indexes = [models.Index(fields=["org_path", "month"], name="fee_payment_path_month")]
        ordering = ["month", "member_id"]

    def __str__(self) -> str:
        return f"Đảng phí {month_label(self.month)} của {self.member}"


class Remittance(models.Model):
    """One transfer of fees up the tree (FEE-6: the cell collects and remits): from an organisation
    to the one above it (none: the committee above the platform's top), for a month's collection,
    on a date, with the bank's or the receipt's reference. What is owed is computed from the ledger
    (`selectors.remittance_book`); a transfer records what was actually sent."""

    from_org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="fee_remittances_sent",
                                 verbose_name="Tổ chức nộp")
    to_org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="fee_remittances_received",
                               null=True, blank=True, verbose_name="Nộp lên")
    org_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    period = models.PositiveIntegerField("Đảng phí tháng")
    amount = models.PositiveBigIntegerField("Số tiền (đồng)")
    transferred_on = models.DateField("Ngày nộp")
    reference = models.CharField("Số chứng từ", max_length=120)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["from_org", "period"], name="fee_remit_org_period")]
        ordering = ["period", "transferred_on", "id"]

    def __str__(self) -> str:
        return f"Nộp đảng phí tháng {month_label(self.period)} của {self.from_org}"


def month_label(index: int) -> str:
    y, m = rules.month_of_index(index)
    return f"{m:02d}/{y}"
