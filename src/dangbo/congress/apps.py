from django.apps import AppConfig


class CongressConfig(AppConfig):
    name = "dangbo.congress"
    verbose_name = "Đại hội"
