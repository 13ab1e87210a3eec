from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "dangbo.audit"
    verbose_name = "Nhật ký"
