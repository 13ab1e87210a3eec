"""Routes of the votes pages (included at the site root by `dangbo.web.urls`)."""

from django.urls import path

from dangbo.votes import views

urlpatterns = [
    path("dai-hoi/<int:congress_id>/bieu-quyet/", views.vote_list, name="vote_list"),
    path("dai-hoi/<int:congress_id>/bieu-quyet/<int:vote_id>/", views.vote_control, name="vote_control"),
    path("dai-hoi/<int:congress_id>/bieu-quyet/<int:vote_id>/trinh-chieu/", views.vote_projector,
         name="vote_projector"),
    path("bieu-quyet/", views.vote_phone, name="vote_phone"),
    path("bieu-quyet/<int:vote_id>/", views.vote_phone_cast, name="vote_phone_cast"),
]
