"""Routes of the congress pages (included at the site root by `dangbo.web.urls`)."""

from django.urls import path

from dangbo.congress import views, views_credentials, views_delegates, views_setup

urlpatterns = [
    path("dai-hoi/", views.congress_list, name="congress_list"),
    path("dai-hoi/them/", views_setup.congress_create, name="congress_create"),
    path("dai-hoi/<int:congress_id>/", views.congress_detail, name="congress_detail"),
    path("dai-hoi/<int:congress_id>/sua/", views_setup.congress_edit, name="congress_edit"),
    path("dai-hoi/<int:congress_id>/chuong-trinh/", views_setup.congress_program, name="congress_program"),
    path("dai-hoi/<int:congress_id>/cac-ban/", views_setup.congress_bodies, name="congress_bodies"),
    path("dai-hoi/<int:congress_id>/dai-bieu/", views_delegates.congress_delegates, name="congress_delegates"),
    path("dai-hoi/<int:congress_id>/phan-bo/", views_delegates.congress_allocation, name="congress_allocation"),
    path("dai-hoi/<int:congress_id>/the-dai-bieu/", views_delegates.congress_cards, name="congress_cards"),
    path("dai-hoi/<int:congress_id>/tham-tra/", views_credentials.congress_credentials, name="congress_credentials"),
    path("dai-hoi/<int:congress_id>/tham-tra/bao-cao.docx", views_credentials.congress_credentials_docx,
         name="congress_credentials_docx"),
    path("dai-hoi/<int:congress_id>/diem-danh/", views.congress_check_in, name="congress_check_in"),
    path("dai-hoi/<int:congress_id>/diem-danh/huy/", views.congress_check_in_undo, name="congress_check_in_undo"),
    path("dai-hoi/<int:congress_id>/tu-cach/", views.congress_quorum, name="congress_quorum"),
]
