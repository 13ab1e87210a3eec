from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "dangbo.procedures"
    verbose_name = "Thủ tục đảng viên"

    def ready(self):
        from dangbo.core.paths import follow_moves, on_subtree_move
        from dangbo.procedures import badgekept, kept

        follow_moves("procedures", "Applicant", "TransferImport", "MemberHold", "TransferLetter", "EarlyBadge")  # core/paths.py: path copies follow org moves
        on_subtree_move(kept.subtree_moved)  # MEM-1 counts kept per ancestor follow a moved subtree
        on_subtree_move(badgekept.subtree_moved)  # MEM-3 counts by award day too
