from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "dangbo.programme"
    verbose_name = "Chương trình toàn khoá"
