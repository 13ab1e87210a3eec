from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "dangbo.registry"
    verbose_name = "Hợp nhất danh sách đảng viên"
