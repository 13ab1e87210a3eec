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
