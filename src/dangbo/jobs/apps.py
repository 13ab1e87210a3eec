from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "dangbo.jobs"
    verbose_name = "Việc chạy nền"
