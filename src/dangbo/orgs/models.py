"""The organisation tree with its history (ORG-1..3).

The tree is kept as a materialised path (`path`, e.g. "000001/000004/"), so "this organisation and
everything under it" is one indexed prefix query on SQLite and PostgreSQL alike. Written by hand
rather than with django-treebeard because organisations move between parents by decision (merges),
keep their history, and the scope selectors need exactly one prefix column.
"""

from django.db import models

from dangbo.orgs import rules


class Organization(models.Model):
    KIND_CHOICES = [(k, rules.KIND_LABELS[k]) for k in rules.KINDS]

    code = models.CharField("Mã", max_length=40, unique=True)
    name = models.CharField("Tên", max_length=255)
    # `name` folded for searching without diacritics (`text.vietnamese.fold`), set with the name by
    # orgs.services; "" for rows written around them (bulk fills): the search folds those itself.
    name_folded = models.CharField(max_length=255, blank=True, default="", editable=False)
    kind = models.CharField("Loại", max_length=32, choices=KIND_CHOICES)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    valid_from = models.DateField("Hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("Hiệu lực đến", null=True, blank=True)
    # Its OWN members counted the MEM-5 way (not the subtree): kept by orgs.counts in the same
    # transaction as each member change; `dangbo recount` rebuilds them from the member rows.
    official_count = models.PositiveIntegerField("Đảng viên chính thức", default=0, editable=False)
    probationary_count = models.PositiveIntegerField("Đảng viên dự bị", default=0, editable=False)

    class Meta:
        ordering = ["path"]
        verbose_name = "tổ chức đảng"
        verbose_name_plural = "tổ chức đảng"

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.valid_to is None

    @property
    def kind_label(self) -> str:
        return rules.KIND_LABELS.get(self.kind, self.kind)


class OrgEvent(models.Model):
    """A dated change of an organisation, citing its decision (ORG-3)."""

    KIND_CHOICES = [(k, rules.EVENT_LABELS[k]) for k in rules.EVENT_KINDS]

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("Sự kiện", max_length=16, choices=KIND_CHOICES)
    date = models.DateField("Ngày hiệu lực")
    decision_number = models.CharField("Số, ký hiệu quyết định", max_length=40, blank=True)
    decision_date = models.DateField("Ngày quyết định", null=True, blank=True)
    related = models.ManyToManyField(Organization, blank=True, related_name="related_events")
    details = models.JSONField(default=dict, blank=True)
    note = models.TextField("Ghi chú", blank=True)

    class Meta:
        ordering = ["date", "id"]

    @property
    def kind_label(self) -> str:
        return rules.EVENT_LABELS.get(self.kind, self.kind)
