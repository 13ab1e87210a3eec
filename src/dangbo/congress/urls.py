"""Routes of the congress pages (included at the site root by `dangbo.web.urls`)."""

from django.urls import path

from dangbo.congress import views

urlpatterns = [
    path("dai-hoi/", views.congress_list, name="congress_list"),
    path("dai-hoi/<int:congress_id>/", views.congress_detail, name="congress_detail"),
    path("dai-hoi/<int:congress_id>/diem-danh/", views.congress_check_in, name="congress_check_in"),
    path("dai-hoi/<int:congress_id>/diem-danh/huy/", views.congress_check_in_undo, name="congress_check_in_undo"),
    path("dai-hoi/<int:congress_id>/tu-cach/", views.congress_quorum, name="congress_quorum"),
]
