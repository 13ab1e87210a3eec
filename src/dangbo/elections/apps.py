from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "dangbo.elections"
    verbose_name = "Bầu cử bằng phiếu kín"
