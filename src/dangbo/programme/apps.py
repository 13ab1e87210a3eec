from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "dangbo.programme"
    verbose_name = "Chương trình toàn khoá"

    def ready(self):
        from dangbo.core.paths import follow_moves

        follow_moves("programme", "Programme", "Figure", "ModelRecord", "Commitment", "CongressPlan")  # core/paths.py: path copies follow org moves
