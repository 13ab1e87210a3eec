"""Routes of the member procedures (included at the site root by `dangbo.web.urls`)."""

from django.urls import path

from dangbo.procedures import views

urlpatterns = [
    path("ket-nap/", views.applicant_list, name="procedure_applicants"),
    path("ket-nap/<int:applicant_id>/", views.applicant_detail, name="procedure_applicant"),
    path("ket-nap/<int:applicant_id>/ho-so.docx", views.applicant_docx, name="procedure_applicant_docx"),
    *[path(f"ket-nap/<int:applicant_id>/mau-{n}-knd.docx", views.applicant_form_docx, {"number": n},
           name=f"procedure_applicant_form{n}") for n in (1, 2, 3, 4)],
    path("huy-hieu/", views.badges, name="procedure_badges"),
    path("huy-hieu/xet-som/", views.early_badge, name="procedure_early_badge"),
    path("viec-can-lam/", views.due, name="procedure_due"),
    path("viec-can-lam/tom-tat/", views.due_digest, name="procedure_due_digest"),
    path("chuyen-sinh-hoat/", views.transfers, name="procedure_transfers"),
    path("chuyen-sinh-hoat/giay-gioi-thieu/", views.letters, name="procedure_letters"),
    path("chuyen-sinh-hoat/giay-gioi-thieu/<int:letter_id>/xac-nhan/", views.letter_confirm,
         name="procedure_letter_confirm"),
    path("chuyen-sinh-hoat/giay-gioi-thieu/<int:letter_id>/thu-hoi/", views.letter_withdraw,
         name="procedure_letter_withdraw"),
    path("chuyen-sinh-hoat/kiem-tra-khieu-nai/<int:hold_id>/ket-thuc/", views.hold_end, name="procedure_hold_end"),
    path("chuyen-sinh-hoat/giay-gioi-thieu/<int:letter_id>.docx", views.letter_docx, name="procedure_letter_docx"),
]
