from django.apps import AppConfig


class FeesConfig(AppConfig):
    name = "dangbo.fees"
    verbose_name = "Đảng phí"
