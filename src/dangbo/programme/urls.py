"""Routes of the programme pages (included at the site root by `dangbo.web.urls`)."""

from django.urls import path

from dangbo.programme import views

urlpatterns = [
    path("chuong-trinh/", views.dashboard, name="programme_dashboard"),
    path("chuong-trinh/chuyen-doi-so/", views.digital, name="programme_digital"),
    path("chuong-trinh/bao-cao.docx", views.report_docx, name="programme_report_docx"),
    path("chuong-trinh/so-lieu.xlsx", views.figures_xlsx, name="programme_figures_xlsx"),
    path("chuong-trinh/them/", views.programme_create, name="programme_create"),
    path("chuong-trinh/<int:programme_id>/", views.programme_detail, name="programme_detail"),
    path("chuong-trinh/<int:programme_id>/chi-tieu/them/", views.target_edit, name="programme_target_add"),
    path("chuong-trinh/<int:programme_id>/chi-tieu/<int:target_id>/sua/", views.target_edit,
         name="programme_target_edit"),
    path("chuong-trinh/viec/<int:item_id>/xong/", views.item_done, name="programme_item_done"),
    path("chuong-trinh/chi-tieu/<int:target_id>/", views.target_detail, name="programme_target"),
    path("chuong-trinh/chi-tieu/<int:target_id>/bao-cao/", views.figure_report, name="programme_figure_report"),
    path("chuong-trinh/so-lieu/<int:figure_id>/minh-chung/", views.evidence_download, name="programme_evidence"),
    path("chuong-trinh/dai-hoi/", views.congress_season, name="programme_congresses"),
    path("cam-ket/", views.commitments, name="programme_commitments"),
    path("cam-ket/<int:member_id>/", views.commitment_member, name="programme_commitment"),
    path("mo-hinh/", views.model_list, name="programme_models"),
    path("mo-hinh/them/", views.model_edit, name="programme_model_add"),
    path("mo-hinh/<int:model_id>/", views.model_detail, name="programme_model"),
    path("mo-hinh/<int:model_id>/sua/", views.model_edit, name="programme_model_edit"),
]
