from django.apps import AppConfig


class AppraisalConfig(AppConfig):
    name = "dangbo.appraisal"
    verbose_name = "Đánh giá, xếp loại"
