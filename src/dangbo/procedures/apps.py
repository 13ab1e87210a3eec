from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "dangbo.procedures"
    verbose_name = "Thủ tục đảng viên"
