"""Routes of the registry pages (included at the site root by `dangbo.web.urls`)."""

from django.urls import path

from dangbo.registry import views, views_queue

urlpatterns = [
    path("nhap-danh-sach/", views.batch_list, name="registry_batches"),
    path("nhap-danh-sach/tai-len/", views.upload, name="registry_upload"),
    path("nhap-danh-sach/<int:batch_id>/", views.batch_detail, name="registry_batch"),
    path("nhap-danh-sach/<int:batch_id>/bao-cao.xlsx", views.batch_report, {"fmt": "xlsx"},
         name="registry_batch_report_xlsx"),
    path("nhap-danh-sach/<int:batch_id>/bao-cao.csv", views.batch_report, {"fmt": "csv"},
         name="registry_batch_report_csv"),
    path("nhap-danh-sach/<int:batch_id>/tien-do/", views.batch_progress, name="registry_batch_progress"),
    path("nhap-danh-sach/<int:batch_id>/hang-loat/", views_queue.bulk, name="registry_bulk"),
    path("nhap-danh-sach/<int:batch_id>/hang-loat/hoan-tac/", views_queue.bulk_undo, name="registry_bulk_undo"),
    path("nhap-danh-sach/<int:batch_id>/giao/", views_queue.assign, name="registry_assign"),
    path("nhap-danh-sach/<int:batch_id>/cap-can-xem-xet.xlsx", views_queue.queue_xlsx, name="registry_queue_xlsx"),
    path("nhap-danh-sach/<int:batch_id>/nhap-quyet-dinh/", views_queue.decisions_upload,
         name="registry_decisions_upload"),
    path("xem-xet/", views_queue.secretary_queue, name="registry_secretary"),
    path("nhap-danh-sach/cap/<int:pair_id>/hop-nhat/", views.pair_merge, name="registry_pair_merge"),
    path("nhap-danh-sach/cap/<int:pair_id>/giu-rieng/", views.pair_keep_apart, name="registry_pair_keep_apart"),
    path("nhap-danh-sach/cap/<int:pair_id>/hoan-tac/", views.pair_undo, name="registry_pair_undo"),
]
