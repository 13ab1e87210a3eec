from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "dangbo.registry"
    verbose_name = "Hợp nhất danh sách đảng viên"

    def ready(self):
        from dangbo.core.paths import follow_moves

        follow_moves("registry", "ImportBatch")  # core/paths.py: path copies follow org moves
