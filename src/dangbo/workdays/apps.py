from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "dangbo.workdays"
    verbose_name = "Lịch ngày nghỉ"
