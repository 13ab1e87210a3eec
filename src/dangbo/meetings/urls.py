"""Routes of the meetings pages (included at the site root by `dangbo.web.urls`)."""

from django.urls import path

from dangbo.meetings import views

urlpatterns = [
    path("sinh-hoat/", views.meeting_list, name="meeting_list"),
    path("sinh-hoat/cua-toi/", views.my_meetings, name="meeting_mine"),
    path("sinh-hoat/canh-bao/", views.warning_list, name="meeting_warnings"),
    path("sinh-hoat/tong-hop/", views.dashboard, name="meeting_dashboard"),
    path("sinh-hoat/cap-uy/<int:committee_org_id>/", views.committee_roll, name="meeting_committee"),
    path("sinh-hoat/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("sinh-hoat/<int:meeting_id>/chuan-bi/", views.meeting_prepare, name="meeting_prepare"),
    path("sinh-hoat/<int:meeting_id>/ban-tin/", views.meeting_bulletin, name="meeting_bulletin"),
    path("sinh-hoat/<int:meeting_id>/diem-danh/", views.meeting_attendance, name="meeting_attendance"),
    path("sinh-hoat/<int:meeting_id>/ket-qua/", views.meeting_record, name="meeting_record"),
    path("sinh-hoat/<int:meeting_id>/bien-ban.docx", views.meeting_minutes, name="meeting_minutes"),
]
