"""Routes of the documents register (included at the site root by `dangbo.web.urls`)."""

from django.urls import path

from dangbo.documents import views

urlpatterns = [
    path("van-ban/", views.register, name="document_register"),
    path("van-ban/den/moi/", views.incoming_new, name="document_incoming_new"),
    path("van-ban/di/cap-so/", views.outgoing_issue, name="document_outgoing_issue"),
    path("van-ban/xuat.xlsx", views.register_export, name="document_export"),
    path("van-ban/<int:document_id>/", views.document_detail, name="document_detail"),
    path("van-ban/<int:document_id>/tep/", views.document_file, name="document_file"),
]
