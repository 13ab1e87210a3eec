"""Routes of the statistics pages (included at the site root by `dangbo.web.urls`)."""

from django.urls import path

from dangbo.reports import views

urlpatterns = [
    path("thong-ke/", views.report_start, name="report_members"),
    path("thong-ke/<int:org_id>/", views.report_page, name="report_members_org"),
    path("thong-ke/<int:org_id>/thong-ke.xlsx", views.report_xlsx, name="report_members_xlsx"),
    path("thong-ke/<int:org_id>/bao-cao.docx", views.report_docx, name="report_members_docx"),
]
