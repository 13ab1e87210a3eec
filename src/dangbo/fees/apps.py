from django.apps import AppConfig


class FeesConfig(AppConfig):
    name = "dangbo.fees"
    verbose_name = "Đảng phí"

    def ready(self):
        from dangbo.core.paths import follow_moves

        follow_moves("fees", "Declaration", "Relief", "Payment", "Remittance")  # core/paths.py: path copies follow org moves
        # MTG-8: not paying without reason is the warning list's second ground (meetings app)
        from dangbo.fees.selectors import warning_ground
        from dangbo.meetings.rules import GROUND_FEES
        from dangbo.meetings.selectors import ground_register

        ground_register(GROUND_FEES, warning_ground)
        # issue 13: exemptions and reductions ending appear in "what is due" (procedures app)
        from dangbo.fees.selectors import reliefs_ending
        from dangbo.procedures.selectors import due_register

        due_register("fee_reliefs", reliefs_ending, label="Hết thời hạn miễn, giảm đảng phí")
