from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "dangbo.members"
    verbose_name = "Đảng viên"
