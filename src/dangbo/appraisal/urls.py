"""Routes of the appraisal pages (included at the site root by `dangbo.web.urls`)."""

from django.urls import path

from dangbo.appraisal import views

urlpatterns = [
    path("danh-gia/", views.campaign_list, name="appraisal_campaigns"),
    path("danh-gia/<int:campaign_id>/", views.campaign_detail, name="appraisal_campaign"),
    path("danh-gia/<int:campaign_id>/ty-le/", views.campaign_quota, name="appraisal_quota"),
    path("danh-gia/<int:campaign_id>/de-xuat/<int:org_id>/", views.cell_propose, name="appraisal_cell_propose"),
    path("danh-gia/<int:campaign_id>/quyet-dinh/<int:org_id>/", views.unit_decide, name="appraisal_decide"),
    path("danh-gia/phieu/<int:review_id>/", views.review_detail, name="appraisal_review"),
]

urlpatterns += [
    path("danh-gia/<int:campaign_id>/to-chuc/<int:org_id>/", views.org_review, name="appraisal_org_review"),
    path("danh-gia/<int:campaign_id>/xep-loai-to-chuc/<int:org_id>/", views.org_decide, name="appraisal_org_decide"),
    path("danh-gia/<int:campaign_id>/tong-hop/", views.summary, name="appraisal_summary"),
    path("danh-gia/<int:campaign_id>/quyet-dinh.docx", views.decision_download, name="appraisal_decision_docx"),
    path("danh-gia/<int:campaign_id>/bao-cao.docx", views.report_download, name="appraisal_report_docx"),
    path("danh-gia/dang-vien/<int:member_id>/", views.member_history, name="appraisal_member_history"),
    path("danh-gia/khen-thuong/", views.commendation_list, name="appraisal_commendations"),
]
