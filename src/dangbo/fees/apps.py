from django.apps import AppConfig


class FeesConfig(AppConfig):
    name = "dangbo.fees"
    verbose_name = "Đảng phí"

    def ready(self):
        # MTG-8: not paying without reason is the warning list's second ground (meetings app)
        from dangbo.fees.selectors import warning_ground
        from dangbo.meetings.rules import GROUND_FEES
        from dangbo.meetings.selectors import ground_register

        ground_register(GROUND_FEES, warning_ground)
