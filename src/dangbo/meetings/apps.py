from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "dangbo.meetings"
    verbose_name = "Sinh hoạt chi bộ"

    def ready(self):
        from dangbo.core.paths import follow_moves

        follow_moves("meetings", "Meeting", "CommitteeSeat")  # core/paths.py: path copies follow org moves
