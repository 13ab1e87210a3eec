"""A user's role and the part of the organisation tree it covers."""

from django.conf import settings
from django.db import models

ROLE_OFFICE = "office"
ROLE_SECRETARY = "secretary"
ROLE_MEMBER = "member"
ROLE_CHOICES = [
    (ROLE_OFFICE, "Cán bộ Văn phòng Đảng ủy"),
    (ROLE_SECRETARY, "Bí thư tổ chức đảng"),
    (ROLE_MEMBER, "Đảng viên"),
]


class Account(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account")
    role = models.CharField("Vai trò", max_length=16, choices=ROLE_CHOICES)
    organization = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.PROTECT, verbose_name="Phạm vi"
    )
    member = models.OneToOneField(
        "members.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="account"
    )

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.get_role_display()})"
