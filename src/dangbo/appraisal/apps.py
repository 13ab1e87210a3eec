from django.apps import AppConfig


class AppraisalConfig(AppConfig):
    name = "dangbo.appraisal"
    verbose_name = "Đánh giá, xếp loại"

    def ready(self):
        from dangbo.core.paths import follow_moves

        follow_moves("appraisal", "Campaign", "Review", "Review.host_path", "OrgReview")  # core/paths.py: path copies follow org moves
