"""The holiday calendar: days off and weekend days worked, per year, kept by the office.

A year is in the calendar once `CalendarYear` has it (seeded from the `holidays` package and the
Government's notices by `services.year_seed`); until then the selectors read the package directly.
Only `workdays.services` writes these rows.
"""

from django.db import models

from dangbo.workdays.rules import KIND_LABELS

PACKAGE, GOVERNMENT, OFFICE = "package", "government", "office"
SOURCE_LABELS = {PACKAGE: "Ngày lễ theo Bộ luật Lao động", GOVERNMENT: "Thông báo nghỉ của Chính phủ",
                 OFFICE: "Văn phòng ghi thêm"}


class CalendarYear(models.Model):
    year = models.PositiveSmallIntegerField("Năm", unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year"]
        verbose_name = "năm trong lịch"
        verbose_name_plural = "năm trong lịch"

    def __str__(self) -> str:
        return f"Lịch ngày nghỉ năm {self.year}"


class CalendarDay(models.Model):
    day = models.DateField("Ngày", unique=True)
    kind = models.CharField("Loại ngày", max_length=10, choices=list(KIND_LABELS.items()), default="off")
    name = models.CharField("Tên ngày nghỉ", max_length=120)
    source = models.CharField("Nguồn", max_length=12, choices=list(SOURCE_LABELS.items()), default=OFFICE)

    class Meta:
        ordering = ["day"]
        verbose_name = "ngày trong lịch"
        verbose_name_plural = "ngày trong lịch"

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} — {self.name}"

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source)
